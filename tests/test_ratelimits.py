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


def _try(app, user: User, password: str, address: str) -> int:
    return (
        _client(app, address=address)
        .post("/log-in", data={"pseudonym": user.pseudonym, "password": password})
        .status_code
    )


def test_an_attacker_cannot_lock_a_person_out_from_one_address(limited):
    app = limited(RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_PAIR="3 per minute")
    victim = _person("CalmOtter21")
    attacker = "198.51.100.66"
    assert [_try(app, victim, "wrong guess", attacker) for _ in range(3)] == [422] * 3
    # The attacker's address is held back, even with the right password …
    assert _try(app, victim, "wrong guess", attacker) == 429
    assert _try(app, victim, PASSWORD, attacker) == 429
    # … the person, from their own address, gets in at once (was 429 for ~10 minutes).
    assert _try(app, victim, PASSWORD, "203.0.113.9") == 302


def test_the_account_ceiling_holds_back_only_addresses_that_failed(limited):
    app = limited(
        RATELIMIT_LOGIN="100 per minute",
        RATELIMIT_LOGIN_PAIR="100 per minute",
        RATELIMIT_LOGIN_ACCOUNT="4 per minute",
    )
    victim = _person("CalmOtter21")
    # Guesses spread over many addresses, in any case of the pseudonym.
    for n in range(4):
        assert _try(app, victim, "wrong guess", f"192.0.2.{n + 1}") == 422
    # Over the account's ceiling: every address that failed waits, right password or not …
    assert _try(app, victim, "another guess", "192.0.2.1") == 429
    assert _try(app, victim, PASSWORD, "192.0.2.2") == 429
    # … but the person, from an address that never failed, is never locked out.
    assert _try(app, victim, PASSWORD, "203.0.113.9") == 302
    assert _try(app, victim, PASSWORD, "203.0.113.10") == 302
    # A new address may still guess until it fails once.
    assert _try(app, victim, "wrong guess", "192.0.2.50") == 422
    assert _try(app, victim, "wrong guess", "192.0.2.50") == 429


def test_only_failures_count(limited):
    app = limited(RATELIMIT_LOGIN="2 per minute", RATELIMIT_LOGIN_PAIR="2 per minute")
    person = _person("CalmOtter21")
    for _ in range(4):  # a shared school address: many right passwords never add up
        assert _try(app, person, PASSWORD, ADDRESS) == 302


def test_recovery_is_held_back_like_log_in(limited):
    app = limited(RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_PAIR="2 per minute")
    person = _person("CalmOtter21")
    form = {"pseudonym": person.pseudonym, "recovery_code": "AAAA-BBBB", "password": "new pw 123 x"}
    attacker = _client(app, address="198.51.100.66")
    assert [attacker.post("/recover", data=form).status_code for _ in range(3)] == [422, 422, 429]
    fresh = _client(app, address="203.0.113.9").post("/recover", data=form)
    assert fresh.status_code == 422  # a wrong code, but not held back


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
