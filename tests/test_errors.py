"""Friendly, translated error pages with a way back."""

import re

import pytest


def _heading(text: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", text)[1]


def test_rate_limited_log_in_gets_a_friendly_429(make_app):
    app = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute", RATELIMIT_STORAGE_URI="memory://"
    )
    client = app.test_client()
    for _ in range(2):
        assert client.post("/log-in", data={"pseudonym": "a", "password": "b"}).status_code == 422
    limited = client.post("/log-in", data={"pseudonym": "a", "password": "b"})
    assert limited.status_code == 429
    assert "Slow down" in _heading(limited.text) and 'href="/"' in limited.text
    danish = client.post(
        "/log-in", data={"pseudonym": "a", "password": "b"}, headers={"Accept-Language": "da"}
    )
    assert danish.status_code == 429 and _heading(danish.text) != _heading(limited.text)


def test_unexpected_errors_get_a_friendly_500(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "not your fault" in response.text and "RuntimeError" not in response.text


@pytest.mark.parametrize("size", [300 * 1024])
def test_too_large_bodies_get_413(client, size):
    response = client.post("/log-in", data={"pseudonym": "x" * size, "password": "y"})
    assert response.status_code == 413 and "too big" in response.text
