import re

import pytest


def _html_tag(text: str) -> str:
    return re.search(r"<html[^>]*>", text)[0]


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("da-DK,da;q=0.9", "da"),
        ("no", "nb"),
        ("nn-NO", "nb"),
        ("nb", "nb"),
        ("fr-FR,fr", "en"),
        ("", "en"),
    ],
)
def test_language_follows_the_browser(client, header, lang):
    response = client.get("/", headers={"Accept-Language": header})
    assert _html_tag(response.text) == f'<html lang="{lang}" dir="ltr">'


def test_the_language_switch_beats_the_browser_and_stays_on_the_page(client):
    response = client.post("/language", data={"language": "da", "next": "/questions/?topic=love"})
    assert response.status_code == 302 and response.location == "/questions/?topic=love"
    page = client.get("/questions/", headers={"Accept-Language": "nb"})
    assert 'lang="da"' in _html_tag(page.text)
    assert "Spørgsmål" in page.text or "Questions" not in page.text.split("<main")[1]


def test_the_language_switch_ignores_offsite_next_and_unknown_languages(client):
    response = client.post("/language", data={"language": "xx", "next": "https://evil.example/"})
    assert response.location == "/"
    assert 'lang="en"' in _html_tag(client.get("/").text)


def test_every_page_links_to_help_in_the_same_place(client):
    for url in ("/", "/questions/", "/leaderboard/", "/log-in", "/sign-up", "/no-such-page"):
        text = client.get(url).text
        header = text.split("</header>")[0]
        assert 'class="help-now" href="/help"' in header, url


def test_help_page_lists_helplines_for_the_locale_first(client):
    danish = client.get("/help", headers={"Accept-Language": "da"}).text
    norwegian = client.get("/help", headers={"Accept-Language": "nb"}).text
    assert danish.index("116 111") < danish.index("Norge")
    assert norwegian.index("Alarmtelefonen") < norwegian.index("Danmark")
    assert 'href="tel:116111"' in danish


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/no-such-page", 404, "couldn"),
        ("/questions/999999", 404, "couldn"),
    ],
)
def test_friendly_error_pages_with_a_way_back(client, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    assert words in response.text and 'href="/"' in response.text.split("<main")[1]


def test_error_pages_are_translated(client):
    english = client.get("/nope").text
    danish = client.get("/nope", headers={"Accept-Language": "da"}).text
    assert re.search(r"<h1>(.*?)</h1>", english)[1] != re.search(r"<h1>(.*?)</h1>", danish)[1]


def test_my_posts_needs_an_account(client):
    assert client.get("/me/posts").status_code == 302


def test_no_external_resources(client):
    text = client.get("/").text
    assert not re.search(r'(src|href)="(https?:)?//', text)


def test_favicon_answers_and_every_page_links_an_icon(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200
        assert icon.mimetype == "image/vnd.microsoft.icon"
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/questions/").text
    links = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert "/favicon.ico" in links and len(links) == 2
    for href in links:
        with client.get(href) as linked:
            assert linked.status_code == 200
