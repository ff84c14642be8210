"""Helplines follow the reader's country, not their language; the country can be chosen in
the footer (no script needed) and is remembered in a cookie."""

import re

import pytest

from tests.moderation.test_screening import CRISIS_BODY, _ask_form


def _first_region(page: str) -> str:
    """The part of the help page about the reader's own country (before the others)."""
    main = page.split('<main id="main"', 1)[1]
    return main.split('id="other-countries"', 1)[0]


def _tel_links(html: str) -> list[str]:
    return re.findall(r'href="tel:([^"]+)"', html)


@pytest.mark.parametrize(
    ("header", "heading", "expected", "absent"),
    [
        # An English reader in the UK gets UK lines, not Danish ones.
        (
            "en-GB,en;q=0.9",
            "United Kingdom",
            ["Samaritans", "Childline", "0800 1111"],
            "Livslinien",
        ),
        ("nb-NO", "Norge", ["Alarmtelefonen for barn og unge", "Kirkens SOS"], "Livslinien"),
        ("da", "Danmark", ["BørneTelefonen", "Livslinien", "Psykiatrifonden"], "Samaritans"),
        ("sv-SE,en;q=0.5", "Sweden", ["Bris", "90101"], "Samaritans"),
        # The browser's first preference decides: Danish first means Denmark.
        ("da,en-GB;q=0.5", "Danmark", ["Livslinien"], "Samaritans"),
        ("en-US,en;q=0.8,no;q=0.5", "Norway", ["Kirkens SOS"], "Samaritans"),
        # No region and a language with no country of its own: the configured default.
        ("en", "Denmark", ["Livslinien", "70 201 201"], "Samaritans"),
    ],
)
def test_the_help_page_shows_the_readers_country_first(client, header, heading, expected, absent):
    first = _first_region(client.get("/help", headers={"Accept-Language": header}).text)
    assert f">{heading}</h2>" in first
    for text in expected:
        assert text in first
    assert absent not in first


def test_each_emergency_number_is_its_own_link(client):
    norway = _first_region(client.get("/help", headers={"Accept-Language": "nb-NO"}).text)
    assert _tel_links(norway)[:2] == ["112", "113"]
    assert "112 / 113" not in norway
    assert "Politi" in norway and "Ambulanse" in norway
    uk = _first_region(client.get("/help", headers={"Accept-Language": "en-GB"}).text)
    assert _tel_links(uk)[:2] == ["999", "112"]
    assert 'Text SHOUT to <a class="phone" href="sms:85258">85258</a>' in uk


def test_choosing_a_country_in_the_footer_changes_the_helplines_and_stays_on_the_page(client):
    footer = client.get("/help").text.split("<footer", 1)[1]
    assert 'action="/country"' in footer and 'name="csrf_token"' in footer
    assert '<option value="NO" >Norway</option>' in footer
    response = client.post("/country", data={"country": "no", "next": "/help?x=1"})
    assert response.status_code == 302 and response.location == "/help?x=1"
    cookie = response.headers["Set-Cookie"]
    assert "assist_country=NO" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The country beats the browser's region; the words stay in the reader's language.
    page = client.get("/help", headers={"Accept-Language": "en-GB"}).text
    first = _first_region(page)
    assert ">Norway</h2>" in first and "Alarmtelefonen for barn og unge" in first
    assert "If someone is hurting you" in first  # the English description
    assert '<option value="NO" selected>Norway</option>' in page
    danish = _first_region(client.get("/help", headers={"Accept-Language": "da"}).text)
    assert ">Norge</h2>" in danish and "Hvis nogen gør dig fortræd" in danish


def test_the_country_switch_refuses_other_sites_and_unknown_countries(client):
    response = client.post("/country", data={"country": "XX", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.location == "/"
    assert "Set-Cookie" not in response.headers
    again = client.post("/country", data={"country": "GB", "next": "//evil.example/help"})
    assert again.location == "/"
    assert "assist_country=GB" in again.headers["Set-Cookie"]
    assert client.get("/country").status_code == 405


def test_a_forged_country_cookie_is_ignored(client):
    client.set_cookie("assist_country", "<script>")
    page = client.get("/help", headers={"Accept-Language": "nb"})
    assert page.status_code == 200
    assert ">Norge</h2>" in _first_region(page.text)


@pytest.mark.parametrize(
    ("country", "numbers", "line"),
    [("GB", ["999", "112"], "Samaritans"), ("NO", ["112", "113"], "Mental Helse Hjelpetelefonen")],
)
def test_the_crisis_panel_shows_the_chosen_countrys_lines(
    client, youth, login, country, numbers, line
):
    client.set_cookie("assist_country", country)
    login(youth)
    page = client.post("/questions/ask", data=_ask_form(body=CRISIS_BODY), follow_redirects=True)
    panel = page.text.split('class="crisis-panel"', 1)[1].split("</section>", 1)[0]
    assert line in panel
    assert "Livslinien" not in panel
    danger = panel.split("If you are in danger right now", 1)[1]
    assert _tel_links(danger) == numbers
