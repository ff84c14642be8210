"""Changing one's password while logged in: the current one is needed, the rest of the
person's sessions and "keep me logged in" tokens end, and failures are rate-limited."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from moderation.models import AuditEntry
from tests.conftest import PASSWORD

NEW = "a fresh long secret"


def _logged_in(app, user, remember: bool = False):
    client = app.test_client()
    data = {"pseudonym": user.pseudonym, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/log-in", data=data).status_code == 302
    return client


def _change(client, current=PASSWORD, new=NEW):
    return client.post("/me/password", data={"current_password": current, "password": new})


def test_settings_link_to_the_form(app, youth):
    client = _logged_in(app, youth)
    assert 'href="/me/password"' in client.get("/me/settings").text
    page = client.get("/me/password")
    assert page.status_code == 200 and 'autocomplete="current-password"' in page.text


def test_visitors_are_sent_to_log_in(client):
    assert client.get("/me/password").status_code == 302
    assert _change(client).status_code == 302


def test_a_wrong_current_password_changes_nothing(app, youth):
    client = _logged_in(app, youth)
    response = _change(client, current="not my password")
    assert response.status_code == 422 and "not your password now" in response.text
    assert (
        app.test_client()
        .post("/log-in", data={"pseudonym": youth.pseudonym, "password": PASSWORD})
        .status_code
        == 302
    )


def test_the_new_password_must_follow_the_rules(app, youth):
    client = _logged_in(app, youth)
    assert "too easy to guess" in _change(client, new="password").text
    assert "same as the one you have now" in _change(client, new=PASSWORD).text


def test_changing_ends_every_other_session_and_keeps_this_one(app, youth):
    here = _logged_in(app, youth)
    elsewhere = _logged_in(app, youth)
    remembered = _logged_in(app, youth, remember=True)
    remembered.delete_cookie("session", domain="localhost")  # only the remember-me token left
    assert youth.pseudonym in remembered.get("/").text

    response = _change(here)
    assert response.status_code == 302
    assert youth.pseudonym in here.get(response.location).text  # still logged in here
    assert "Log in" in elsewhere.get("/").text and youth.pseudonym not in elsewhere.get("/").text
    assert youth.pseudonym not in remembered.get("/").text  # the old token no longer works
    old = app.test_client().post(
        "/log-in", data={"pseudonym": youth.pseudonym, "password": PASSWORD}
    )
    assert old.status_code == 422
    new = app.test_client().post("/log-in", data={"pseudonym": youth.pseudonym, "password": NEW})
    assert new.status_code == 302


def test_the_change_is_audited_without_secrets(app, youth):
    _change(_logged_in(app, youth))
    db.session.expire_all()
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "user.password_changed")
    ).all()
    assert entry.actor_id == youth.id and entry.object_id == youth.id
    assert NEW not in (entry.reason or "")
    assert db.session.get(User, youth.id).password_hash not in (entry.reason or "")


def test_wrong_current_passwords_are_rate_limited(make_app, create_user):
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_PASSWORD_CHANGE="2 per hour",
    )
    with app.app_context():
        person = create_user()
        client = _logged_in(app, person)
        statuses = [_change(client, current="guess number one").status_code for _ in range(3)]
        assert statuses == [422, 422, 429]
