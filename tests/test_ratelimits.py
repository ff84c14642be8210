"""Rate limits per hashed address and per account; the 429 page says when to come back and
gives back what was typed."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from community.accounts import services as accounts
from community.accounts.models import Role, User
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.extensions import db, limiter
from tests.conftest import PASSWORD, approve_open

ADDRESS = "192.0.2.44"
QUESTION = {
    "title": "How do I say no to a friend nicely?",
    "body": "My friend always wants to copy my homework and I don't like it.",
    "topic": "school",
}


@pytest.fixture
def limited(make_app):
    """An app with rate limits on (in memory), in an app context."""

    def build(**limits):
        app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", **limits)
        context = app.app_context()
        context.push()
        built.append(context)
        return app

    built: list = []
    yield build
    for context in built:
        context.pop()


def _person(name: str, *, old: bool = False) -> User:
    user = accounts.register(accounts.Registration(name, "16-17", PASSWORD)).user
    commit_unit_of_work()
    if old:
        db.session.execute(
            update(User).where(User.id == user.id).values(created_at=utcnow() - timedelta(days=30))
        )
        commit_unit_of_work()
    return user


def _client(app, user: User | None = None, address: str = ADDRESS):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if user is not None:
        client.post("/log-in", data={"pseudonym": user.pseudonym, "password": PASSWORD})
    return client


def test_log_in_is_limited_per_account_tried_from_any_address(limited):
    app = limited(RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_ACCOUNT="2 per minute")
    target = _person("CalmOtter21")
    for n in range(2):
        attempt = _client(app, address=f"192.0.2.{n + 1}").post(
            "/log-in", data={"pseudonym": target.pseudonym, "password": "wrong guess"}
        )
        assert attempt.status_code == 422
    blocked = _client(app, address="192.0.2.99").post(
        "/log-in", data={"pseudonym": target.pseudonym, "password": PASSWORD}
    )
    assert blocked.status_code == 429
    other = _person("BraveFalcon42")
    assert _client(app, other).get("/").status_code == 200


def test_sign_up_is_limited_per_address(limited):
    app = limited(RATELIMIT_SIGNUP="1 per minute")
    form = {"pseudonym": "x", "age_band": "16-17", "password": PASSWORD}
    assert _client(app).post("/sign-up", data=form).status_code == 422
    assert _client(app).post("/sign-up", data=form).status_code == 429
    assert _client(app, address="192.0.2.200").post("/sign-up", data=form).status_code == 422


def test_new_accounts_may_post_less_and_questions_and_assists_share_the_limit(limited):
    app = limited(
        RATELIMIT_POST="100 per minute",
        RATELIMIT_POST_ACCOUNT="4 per minute",
        RATELIMIT_POST_NEW_ACCOUNT="2 per minute",
    )
    newcomer = _person("CalmOtter21")
    client = _client(app, newcomer)
    assert [client.post("/questions/ask", data=QUESTION).status_code for _ in range(3)] == [
        302,
        302,
        429,
    ]
    regular = _person("BraveFalcon42", old=True)
    moderator = accounts.create_staff("Moderator Mo", Role.MODERATOR, PASSWORD)
    commit_unit_of_work()
    approve_open(moderator)
    other = _client(app, regular, address="192.0.2.7")
    statuses = [other.post("/questions/ask", data=QUESTION).status_code for _ in range(3)]
    statuses.append(other.post("/questions/1/assists", data={"body": "Say it kindly."}).status_code)
    statuses.append(other.post("/questions/1/assists", data={"body": "Say it kindly."}).status_code)
    assert statuses == [302, 302, 302, 302, 429]


def test_the_429_page_says_when_and_keeps_what_was_typed(limited):
    app = limited(RATELIMIT_POST_NEW_ACCOUNT="1 per hour")
    client = _client(app, _person("CalmOtter21"))
    client.post("/questions/ask", data=QUESTION)
    limited_page = client.post("/questions/ask", data=QUESTION)
    assert limited_page.status_code == 429
    assert int(limited_page.headers["Retry-After"]) > 0
    assert "You can try again in" in limited_page.text and "(Denmark Time)" in limited_page.text
    assert QUESTION["title"] in limited_page.text
    assert QUESTION["body"].replace("'", "&#39;") in limited_page.text
    assert 'name="body"' in limited_page.text  # a form to send it again
    danish = client.post("/questions/ask", data=QUESTION, headers={"Accept-Language": "da"})
    assert danish.status_code == 429 and "You can try again in" not in danish.text


def test_reporting_is_limited_per_account(limited):
    app = limited(RATELIMIT_FLAG_ACCOUNT="1 per minute")
    author = _person("CalmOtter21")
    moderator = accounts.create_staff("Moderator Mo", Role.MODERATOR, PASSWORD)
    commit_unit_of_work()
    _client(app, author, address="192.0.2.8").post("/questions/ask", data=QUESTION)
    _client(app, author, address="192.0.2.8").post("/questions/ask", data=QUESTION)
    approve_open(moderator)
    reader = _client(app, _person("BraveFalcon42"))
    first = reader.post("/report/question/1", data={"reason": "spam"})
    second = reader.post("/report/question/2", data={"reason": "spam"})
    assert (first.status_code, second.status_code) == (302, 429)


def test_no_limit_key_holds_an_address(limited):
    app = limited(RATELIMIT_LOGIN="1 per minute")
    client = _client(app)
    for _ in range(2):
        client.post("/log-in", data={"pseudonym": "CalmOtter21", "password": "x"})
    keys = " ".join(str(key) for key in limiter.storage.storage)
    assert keys and ADDRESS not in keys and "CalmOtter21" not in keys
