"""Coach replies and lounge posts count towards the shared posting limit: per account (tighter
for new accounts) and per address, together with questions and assists."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from community.accounts.models import User
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.extensions import db
from tests.conftest import PASSWORD

ADDRESS = "192.0.2.60"
REPLY = "I went through the same thing at 15. Writing my feelings down first helped me."
TOPIC = {"title": "How do you end a thread well?", "body": "I never know when to stop."}
QUESTION = {
    "title": "How do coaches rest after a hard week?",
    "body": "Asking for myself this time, as a coach.",
    "topic": "feelings",
}


@pytest.fixture
def app(make_app):
    """The app with rate limits on (in memory): generous per address, tight per account."""
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_POST="100 per minute",
        RATELIMIT_POST_ACCOUNT="3 per minute",
        RATELIMIT_POST_NEW_ACCOUNT="1 per minute",
    )
    with app.app_context():
        yield app


def _established(user: User) -> User:
    """Make *user*'s account older than ``MODERATION_NEW_ACCOUNT_DAYS``."""
    db.session.execute(
        update(User).where(User.id == user.id).values(created_at=utcnow() - timedelta(days=60))
    )
    commit_unit_of_work()
    return user


def _client(app, user: User, address: str = ADDRESS):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.post("/log-in", data={"pseudonym": user.pseudonym, "password": PASSWORD})
    return client


def test_coach_replies_lounge_posts_and_questions_share_one_limit_per_account(
    app, attached, coach, make_coach
):
    question, _ = attached
    client = _client(app, _established(coach))
    topic = client.post("/coaches/lounge/", data=TOPIC)
    assert topic.status_code == 302
    topic_id = int(topic.location.rsplit("/", 1)[1])
    statuses = [
        client.post(f"/coaches/lounge/{topic_id}", data={"body": "Kindly, and in time."}),
        client.post(f"/questions/{question.id}/coach-replies", data={"body": REPLY}),
        client.post(f"/questions/{question.id}/coach-replies", data={"body": REPLY}),
        client.post("/coaches/lounge/", data=TOPIC),
        client.post("/questions/ask", data=QUESTION),
    ]
    assert [r.status_code for r in statuses] == [302, 302, 429, 429, 429]
    assert "You can try again in" in statuses[2].text and REPLY in statuses[2].text
    # Per account, not per address: another coach at the same address still posts.
    other = _client(app, _established(make_coach("Ali")))
    assert other.post("/coaches/lounge/", data=TOPIC).status_code == 302


def test_new_coach_accounts_get_the_tighter_limit(app, coach):
    client = _client(app, coach)  # made just now, so a new account
    assert client.post("/coaches/lounge/", data=TOPIC).status_code == 302
    assert client.post("/coaches/lounge/", data=TOPIC).status_code == 429


def test_one_address_shares_its_posting_limit_across_coaches(app, make_coach):
    app.config["RATELIMIT_POST"] = "2 per minute"  # read on every request
    sara, ali = (_established(make_coach(name)) for name in ("Sara", "Ali"))
    first, second = _client(app, sara), _client(app, ali)
    topic = first.post("/coaches/lounge/", data=TOPIC)
    assert topic.status_code == 302
    reply = second.post(topic.location, data={"body": "Kindly, and in time."})
    assert reply.status_code == 302
    # Starting a topic and replying count together (once per route, this would be allowed).
    assert second.post("/coaches/lounge/", data=TOPIC).status_code == 429
    elsewhere = _client(app, sara, address="192.0.2.61")
    assert elsewhere.post("/coaches/lounge/", data=TOPIC).status_code == 302
