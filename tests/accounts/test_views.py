import re

from sqlalchemy import select

from community.accounts import pseudonyms
from community.accounts.models import User
from community.extensions import db


def _proposed(html: str) -> str:
    return re.search(r'id="pseudonym"[^>]*value="([^"]+)"', html)[1]


def test_sign_up_proposes_a_pseudonym_and_shows_a_recovery_code_once(client):
    page = client.get("/sign-up")
    assert page.status_code == 200
    name = _proposed(page.text)
    response = client.post(
        "/sign-up", data={"pseudonym": name, "age_band": "13-15", "password": "my own long secret"}
    )
    assert response.status_code == 200
    code = re.search(r"<code>([A-Z0-9-]+)</code>", response.text)[1]
    assert len(code) == 24
    user = db.session.scalar(select(User).where(User.pseudonym == name))
    assert user is not None and code not in user.recovery_code_hash
    # signed in now, and the code is not shown again anywhere
    home = client.get("/")
    assert name in home.text and code not in home.text


def test_another_one_rerolls_and_keeps_the_age_choice(client):
    first = _proposed(client.get("/sign-up").text)
    rerolled = client.post(
        "/sign-up", data={"pseudonym": first, "age_band": "16-17", "reroll": "1"}
    )
    assert rerolled.status_code == 200
    assert re.search(r'<input[^>]*checked[^>]*value="16-17"', rerolled.text)
    assert pseudonyms.is_well_formed(_proposed(rerolled.text))


def test_sign_up_errors_keep_what_was_chosen(client):
    name = _proposed(client.get("/sign-up").text)
    response = client.post(
        "/sign-up", data={"pseudonym": name, "age_band": "18-25", "password": "password"}
    )
    assert response.status_code == 422
    assert "too easy to guess" in response.text
    assert name in response.text
    assert re.search(r'<input[^>]*checked[^>]*value="18-25"', response.text)
    assert db.session.scalar(select(User).where(User.pseudonym == name)) is None


def test_under_13_sees_a_kind_page_and_no_account_is_made(client):
    name = _proposed(client.get("/sign-up").text)
    response = client.post(
        "/sign-up",
        data={"pseudonym": name, "age_band": "under-13", "password": "whatever it is"},
        follow_redirects=True,
    )
    assert "13 to 25" in response.text and "helpline" in response.text.lower()
    assert db.session.scalar(select(User)) is None


def test_log_in_and_out(client, youth, login):
    response = login(youth)
    assert response.status_code == 302
    assert youth.pseudonym in client.get("/").text
    assert client.get("/log-out").status_code == 405  # never on GET
    client.post("/log-out")
    assert "Log in" in client.get("/").text


def test_wrong_password_keeps_the_pseudonym_typed(client, youth):
    response = client.post("/log-in", data={"pseudonym": youth.pseudonym, "password": "nope nope"})
    assert response.status_code == 422
    assert "don&#39;t match" in response.text and youth.pseudonym in response.text


def test_log_in_next_never_leaves_the_site(client, youth):
    for target in ["https://evil.example", "//evil.example", "/\\evil.example", "/questions/"]:
        response = client.post(
            f"/log-in?next={target}",
            data={"pseudonym": youth.pseudonym, "password": "correct horse battery"},
        )
        assert response.status_code == 302
        assert response.location in ("/", "/questions/"), target
        client.post("/log-out")


def test_recover_page_resets_the_password(client):
    name = _proposed(client.get("/sign-up").text)
    page = client.post(
        "/sign-up", data={"pseudonym": name, "age_band": "16-17", "password": "first secret here"}
    )
    code = re.search(r"<code>([A-Z0-9-]+)</code>", page.text)[1]
    client.post("/log-out")
    response = client.post(
        "/recover",
        data={"pseudonym": name, "recovery_code": code, "password": "second secret here"},
    )
    assert response.status_code == 200 and "<code>" in response.text
    client.post("/log-out")
    assert (
        client.post(
            "/log-in", data={"pseudonym": name, "password": "second secret here"}
        ).status_code
        == 302
    )
