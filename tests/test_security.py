"""Security headers and session handling."""

import re

import pytest

from community.accounts import passwords
from community.accounts.models import AgeBand
from tests.conftest import PASSWORD


def test_html_responses_carry_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/questions/", "/sign-up", "/log-in", "/leaderboard/", "/help"):
        text = client.get(url).text
        # Only script files from this site (static/timezone.js), never script in the page.
        scripts = re.findall(r"<script[^>]*>", text)
        assert all(
            re.fullmatch(r'<script src="/static/[\w.-]+\.js" defer>', tag) for tag in scripts
        )
        assert "</script>" not in text.replace("></script>", ""), url
        assert " style=" not in text and "<style" not in text, url


def test_signed_in_pages_are_not_cached(client, youth, login):
    login(youth)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_production_config_sends_hsts_and_secure_cookies(make_app):
    app = make_app(ENV="production", SECRET_KEY="x" * 32)
    response = app.test_client().get("/")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_login_starts_a_fresh_session(client, youth):
    client.get("/log-in")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/log-in", data={"pseudonym": youth.pseudonym, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("_user_id")


def test_logout_invalidates_a_copied_session_cookie(app, client, youth, login):
    login(youth)
    assert "Logged in as" in client.get("/").text
    with client.session_transaction() as session:
        stolen = dict(session)
    client.post("/log-out")
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(stolen)
    assert "Logged in as" not in thief.get("/").text


@pytest.mark.parametrize(("band", "remembered"), [("13-15", False), ("16-17", True)])
def test_keep_me_logged_in_is_not_for_13_to_15(client, create_user, band, remembered):
    user = create_user(age_band=band)
    response = client.post(
        "/log-in", data={"pseudonym": user.pseudonym, "password": PASSWORD, "remember": "y"}
    )
    cookies = " ".join(response.headers.getlist("Set-Cookie"))
    assert ("remember_token=" in cookies) is remembered
    assert user.age_band is AgeBand(band)


def test_unknown_user_costs_the_same_hash_check(app, youth, monkeypatch):
    from community.accounts import services

    calls = []
    real = passwords.verify_secret

    def counting(hashed, secret):
        calls.append(hashed is None)
        return real(hashed, secret)

    monkeypatch.setattr(passwords, "verify_secret", counting)
    for name in ("NobodyAtAll10", youth.pseudonym):
        with pytest.raises(services.InvalidCredentials):
            services.authenticate(name, "wrong password")
    assert calls == [True, False]  # one Argon2 verification each, known user or not


def test_unknown_and_wrong_get_the_same_page(client, youth):
    unknown = client.post("/log-in", data={"pseudonym": "NobodyAtAll10", "password": "xxxxxxxx"})
    wrong = client.post("/log-in", data={"pseudonym": youth.pseudonym, "password": "xxxxxxxx"})
    assert unknown.status_code == wrong.status_code == 422
    message = re.compile(r'<div class="form-errors" role="alert">(.*?)</div>', re.S)
    assert message.search(unknown.text)[1] == message.search(wrong.text)[1]
