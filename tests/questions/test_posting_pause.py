"""Someone whose posting is paused (by a moderator, or by the posting limit) sees the pause
and its end instead of the ask and assist forms; sending is still refused (issue 11, item 7)."""

from __future__ import annotations

from sqlalchemy import func, select

from community.accounts import services as accounts
from community.accounts.models import Role
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions.models import Question
from moderation import sanctions
from tests.conftest import PASSWORD, approve_open

PAUSED = "You can't post right now"
FORM = {
    "title": "How do I say no to a party?",
    "body": "My friends want me to come but I would rather stay home this time.",
    "topic": "family",
}


def _questions() -> int:
    return db.session.scalar(select(func.count()).select_from(Question)) or 0


def test_a_paused_person_sees_until_when_instead_of_the_forms(
    client, published_question, other_youth, moderator, login
):
    sanctions.apply_sanction(moderator, other_youth.id, "silence", "spam", days=3)
    commit_unit_of_work()
    login(other_youth)
    ask = client.get("/questions/ask")
    assert ask.status_code == 200
    assert PAUSED in ask.text and "A moderator has paused your posting until" in ask.text
    assert 'name="title"' not in ask.text and "Send my question" not in ask.text
    thread = client.get(f"/questions/{published_question.id}")
    assert PAUSED in thread.text and "A moderator has paused your posting until" in thread.text
    assert "Send my assist" not in thread.text and 'name="body"' not in thread.text
    # The forms still refuse on sending.
    refused = client.post("/questions/ask", data=FORM)
    assert refused.status_code == 422 and "paused your posting" in refused.text
    assert _questions() == 1
    assert (
        client.post(
            f"/questions/{published_question.id}/assists", data={"body": "A long enough assist."}
        ).status_code
        == 403
    )


def test_someone_not_paused_gets_the_forms(client, published_question, other_youth, login):
    login(other_youth)
    assert PAUSED not in client.get("/questions/ask").text
    thread = client.get(f"/questions/{published_question.id}").text
    assert "Send my assist" in thread and PAUSED not in thread


def test_the_posting_limit_shows_when_they_can_post_again(make_app, create_user):
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_POST_ACCOUNT="2 per hour",
        RATELIMIT_POST_NEW_ACCOUNT="2 per hour",
    )
    with app.app_context():
        asker = accounts.register(accounts.Registration("CalmOtter21", "16-17", PASSWORD)).user
        helper = accounts.register(accounts.Registration("BraveFalcon42", "18-25", PASSWORD)).user
        moderator = accounts.create_staff("Moderator Mo", Role.MODERATOR, PASSWORD)
        commit_unit_of_work()
        client = app.test_client()
        client.post("/log-in", data={"pseudonym": asker.pseudonym, "password": PASSWORD})
        assert "Send my question" in client.get("/questions/ask").text
        for n in range(2):
            sent = client.post("/questions/ask", data={**FORM, "title": f"{FORM['title']} {n}"})
            assert sent.status_code == 302
        ask = client.get("/questions/ask")
        assert PAUSED in ask.text and "You can try again in" in ask.text
        assert "Send my question" not in ask.text
        assert client.post("/questions/ask", data=FORM).status_code == 429
        approve_open(moderator)
        question = db.session.scalar(select(Question).order_by(Question.id))
        # Someone else, not limited, still gets the assist form on the same thread.
        other = app.test_client()
        other.post("/log-in", data={"pseudonym": helper.pseudonym, "password": PASSWORD})
        assert "Send my assist" in other.get(f"/questions/{question.id}").text
