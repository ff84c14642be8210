"""The browser tells the server its time zone through static/timezone.js (no inline script)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_browser_zone_reaches_the_server_as_a_cookie(open_page, live_server):
    page = open_page(live_server.url, timezone_id="America/Santiago")
    page.goto("/")
    page.wait_for_function("document.cookie.indexOf('assist_tz=') !== -1")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["assist_tz"] == "America/Santiago"
    # The next page the server renders uses that zone.
    page.goto("/")
    with live_server.app.test_request_context(
        "/", headers={"Cookie": "assist_tz=" + cookies["assist_tz"]}
    ):
        from community.core.i18n import select_timezone

        assert select_timezone() == "America/Santiago"
    live_server.check_no_server_errors()
