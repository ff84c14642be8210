"""The one module that keeps CSRF protection on, as in production."""

import pytest


@pytest.fixture
def csrf_client(make_app):
    """A client for an app with CSRF protection enabled."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app.test_client()


@pytest.mark.parametrize(
    "url",
    [
        "/log-in",
        "/sign-up",
        "/log-out",
        "/language",
        "/country",
        "/recover",
        "/questions/ask",
        "/questions/1/assists",
        "/assists/1/helpful",
        "/questions/1/delete",
        "/assists/1/delete",
        "/moderation/items/1/approve",
        "/moderation/items/1/reject",
    ],
)
def test_post_without_a_token_is_refused(csrf_client, url):
    response = csrf_client.post(url, data={"pseudonym": "x", "password": "y"})
    assert response.status_code == 400
    assert "form" in response.text.lower()


def test_post_with_the_token_from_the_page_works(csrf_client):
    import re

    page = csrf_client.get("/log-in").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = csrf_client.post(
        "/log-in", data={"csrf_token": token, "pseudonym": "Nobody", "password": "whatever pw"}
    )
    assert response.status_code == 422  # got past CSRF, then the credentials were wrong
