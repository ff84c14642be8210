"""What a new person goes through: sign-up keeps where they were going, the first page after
sign-up or a reset has forms that work, pseudonyms ignore case, "keep me logged in" is
capped, and sign-up tells nobody which pseudonyms exist."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community.accounts import services
from community.accounts.models import Role, User
from community.core.database import commit_unit_of_work
from community.extensions import db
from tests.conftest import PASSWORD
from tests.security.payloads import lines_of

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _proposed(html: str) -> str:
    return re.search(r'id="pseudonym"[^>]*value="([^"]+)"', html)[1]


def _form_tokens(html: str) -> dict[str, str]:
    """The CSRF token of each form on a page, by the form's action."""
    forms = re.findall(r'<form[^>]*action="([^"]+)"(.*?)</form>', html, re.S)
    return {unescape(action): TOKEN.search(body)[1] for action, body in forms if TOKEN.search(body)}


@pytest.fixture
def csrf_client(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app.test_client()


def _sign_up(client, age_band="16-17", password="my own long secret", next_path=None):
    query = f"?next={quote(next_path, safe='')}" if next_path else ""
    page = client.get("/sign-up" + query).text
    data = {"pseudonym": _proposed(page), "age_band": age_band, "password": password}
    for action, token in _form_tokens(page).items():
        if action.startswith("/sign-up"):
            data["csrf_token"] = token
    return data["pseudonym"], client.post("/sign-up" + query, data=data)


# -- 1: the recovery-code page's forms ---------------------------------------------------------


def _code_on(page: str) -> str:
    return re.search(r"<code>([A-Z0-9-]+)</code>", page)[1]


def _check_every_form_works(client, page: str) -> None:
    tokens = _form_tokens(page)
    assert {"/log-out", "/recovery-code/language"} <= set(tokens), tokens
    hidden = dict(re.findall(r'name="(code|new_account|next)" value="([^"]*)"', page))
    switched = client.post(
        "/recovery-code/language",
        data={"csrf_token": tokens["/recovery-code/language"], "language": "da", **hidden},
    )
    # was 400 "Something went wrong with the form"; then a reload without the code
    assert switched.status_code == 200
    assert "assist_lang=da" in switched.headers.get("Set-Cookie", "")
    assert 'lang="da"' in switched.text and _code_on(switched.text) == _code_on(page)
    tokens = _form_tokens(switched.text)
    out = client.post("/log-out", data={"csrf_token": tokens["/log-out"]})
    assert out.status_code == 302
    assert "Log ind" in client.get("/").text  # logged out (and in Danish now)


def test_the_language_switch_shows_only_the_persons_own_code(csrf_client):
    _, signed_up = _sign_up(csrf_client)
    token = _form_tokens(signed_up.text)["/recovery-code/language"]
    own = _code_on(signed_up.text)
    forged = "ABCD-EFGH-JKLM-NPQR" if own != "ABCD-EFGH-JKLM-NPQR" else "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
    answer = csrf_client.post(
        "/recovery-code/language",
        data={"csrf_token": token, "language": "da", "code": forged, "new_account": "1"},
    )
    assert answer.status_code == 302 and forged not in answer.text


def test_forms_on_the_recovery_code_page_work_after_sign_up(csrf_client):
    _, page = _sign_up(csrf_client)
    assert page.status_code == 200 and "<code>" in page.text
    _check_every_form_works(csrf_client, page.text)


def test_forms_on_the_recovery_code_page_work_after_a_reset(csrf_client):
    name, page = _sign_up(csrf_client)
    code = _code_on(page.text)
    csrf_client.post("/log-out", data={"csrf_token": _form_tokens(page.text)["/log-out"]})
    form = csrf_client.get("/recover").text
    reset = csrf_client.post(
        "/recover",
        data={
            "csrf_token": _form_tokens(form)["/recover"],
            "pseudonym": name,
            "recovery_code": code,
            "password": "another long secret",
        },
    )
    assert reset.status_code == 200 and "<code>" in reset.text
    _check_every_form_works(csrf_client, reset.text)


# -- 2: pseudonyms ignore case -----------------------------------------------------------------


def test_log_in_and_recovery_ignore_the_case_of_the_pseudonym(client, youth):
    typed = youth.pseudonym.lower()
    assert (
        client.post("/log-in", data={"pseudonym": typed, "password": PASSWORD}).status_code == 302
    )
    client.post("/log-out")
    account = services.register(services.Registration("CalmOtter21", "16-17", PASSWORD))
    commit_unit_of_work()
    reset = client.post(
        "/recover",
        data={
            "pseudonym": "  CALMOTTER21 ",
            "recovery_code": account.recovery_code.lower(),
            "password": "a brand new secret",
        },
    )
    assert reset.status_code == 200 and "<code>" in reset.text


def test_a_name_taken_in_another_case_is_taken(app, youth):
    services.create_staff("Moderator Mo", Role.MODERATOR, PASSWORD)
    commit_unit_of_work()
    with pytest.raises(services.DomainError):
        services.create_staff("moderator MO", Role.MODERATOR, PASSWORD)
    db.session.rollback()
    # … and the database itself refuses it, whoever writes the row.
    db.session.add(User(pseudonym=youth.pseudonym.upper(), password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_profile_urls_ignore_case(client, youth):
    response = client.get(f"/u/{youth.pseudonym.lower()}")
    assert response.status_code == 200 and youth.pseudonym in response.text


# -- 3: where the visitor was going ------------------------------------------------------------


def test_ask_while_logged_out_then_sign_up_lands_on_the_ask_form(client):
    to_log_in = client.get("/questions/ask")
    assert to_log_in.status_code == 302
    login_page = client.get(to_log_in.location).text
    signup_link = unescape(re.search(r'href="(/sign-up\?next=[^"]*)"', login_page)[1])
    page = client.get(signup_link).text
    action = unescape(re.search(r'<form method="post" action="(/sign-up[^"]*)"', page)[1])
    done = client.post(
        action,
        data={"pseudonym": _proposed(page), "age_band": "13-15", "password": "my own long secret"},
    )
    assert done.status_code == 200 and "<code>" in done.text
    go_on = unescape(re.search(r'<a class="button" href="([^"]+)"', done.text)[1])
    assert go_on == "/questions/ask"
    assert client.get(go_on).status_code == 200


def test_the_log_in_link_on_sign_up_keeps_next_too(client):
    page = client.get("/sign-up?next=/questions/ask").text
    assert 'href="/log-in?next=/questions/ask"' in page


def test_next_through_sign_up_never_leaves_the_site(client):
    offsite = []
    for payload in lines_of("open-redirect/Open-Redirect-payloads.txt")[::7]:
        _, done = _sign_up(client, next_path=payload)
        if done.status_code != 200:
            offsite.append((payload, done.status_code))
            continue
        target = unescape(re.search(r'<a class="button" href="([^"]+)"', done.text)[1])
        parts = urlsplit(target)
        if (
            parts.scheme
            or parts.netloc
            or not target.startswith("/")
            or target[:2] in ("//", "/\\")
        ):
            offsite.append((payload, target))
        client.post("/log-out")
    assert not offsite


# -- 18: what sign-up and profiles tell -------------------------------------------------------


def test_sign_up_answers_the_same_for_taken_and_free_names_it_did_not_offer(client, youth):
    client.get("/sign-up")
    answers = []
    for name in (youth.pseudonym, "CalmOtter21"):  # taken, and (as it happens) free
        response = client.post(
            "/sign-up", data={"pseudonym": name, "age_band": "16-17", "password": "long secret 12"}
        )
        answers.append(
            (response.status_code, "Pick one of the pseudonyms we suggest" in response.text)
        )
    assert answers == [(422, True), (422, True)]
    assert db.session.scalar(select(User).where(User.pseudonym == "CalmOtter21")) is None


def test_a_name_sign_up_offered_works_after_another_one(client):
    first = _proposed(client.get("/sign-up").text)
    client.post("/sign-up", data={"pseudonym": first, "age_band": "16-17", "reroll": "1"})
    done = client.post(
        "/sign-up", data={"pseudonym": first, "age_band": "16-17", "password": "long secret 12"}
    )
    assert done.status_code == 200 and "<code>" in done.text


def test_an_offered_name_taken_meanwhile_gets_a_new_one(client):
    offered = _proposed(client.get("/sign-up").text)
    services.register(services.Registration(offered, "18-25", PASSWORD))
    commit_unit_of_work()
    again = client.post(
        "/sign-up", data={"pseudonym": offered, "age_band": "16-17", "password": "long secret 12"}
    )
    assert again.status_code == 422 and "not free any more" in again.text
    assert _proposed(again.text) != offered


@pytest.fixture
def young_teen(create_user):
    return create_user(age_band="13-15")


def test_profiles_of_people_not_on_the_boards_are_404_to_others(make_app, young_teen, create_user):
    from flask import current_app

    app = current_app._get_current_object()
    other = create_user(age_band="18-25")
    moderator = create_user(role=Role.MODERATOR)
    url = f"/u/{young_teen.pseudonym}"

    def as_(user):
        client = app.test_client()
        if user is not None:
            client.post("/log-in", data={"pseudonym": user.pseudonym, "password": PASSWORD})
        return client.get(url).status_code

    assert as_(None) == 404  # was 200
    assert as_(other) == 404
    assert as_(young_teen) == 200  # themselves
    assert as_(moderator) == 200  # staff
    # Opting in puts them on the boards, and their profile with them.
    teen = app.test_client()
    teen.post("/log-in", data={"pseudonym": young_teen.pseudonym, "password": PASSWORD})
    teen.post("/me/settings", data={"appear": "yes"})
    assert as_(None) == 200
    # A 16+ who chose to leave the boards is not listed either.
    leaver = app.test_client()
    leaver.post("/log-in", data={"pseudonym": other.pseudonym, "password": PASSWORD})
    leaver.post("/me/settings", data={"appear": "no"})
    assert app.test_client().get(f"/u/{other.pseudonym}").status_code == 404


# -- 20: "keep me logged in" -------------------------------------------------------------------


def _remember_cookie(response) -> str | None:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("remember_token="):
            return header
    return None


def test_keep_me_logged_in_lasts_at_most_30_days(client, youth):
    response = client.post(
        "/log-in", data={"pseudonym": youth.pseudonym, "password": PASSWORD, "remember": "y"}
    )
    cookie = _remember_cookie(response)
    assert cookie is not None
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie)[1])
    assert expires <= datetime.now(UTC) + timedelta(days=30, minutes=1)  # was a year


def test_keep_me_logged_in_is_never_given_to_13_to_15_year_olds(client, young_teen):
    response = client.post(
        "/log-in",
        data={"pseudonym": young_teen.pseudonym, "password": PASSWORD, "remember": "y"},
    )
    assert response.status_code == 302 and _remember_cookie(response) is None
