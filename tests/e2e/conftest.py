"""Fixtures for end-to-end tests in a real Chromium (Playwright, sync API).

* ``live_server`` serves a fresh app (emptied tables of the shared test database, CSRF
  *on*) on 127.0.0.1 with werkzeug, in a background thread.
* ``browser`` is one headless Debian Chromium per session (never ``playwright install``).
* ``open_page`` / ``page`` give pages that can only reach loopback (everything else is
  aborted and recorded) and record console errors, uncaught page errors and server-side
  exceptions; a test fails if any of those happened and was not explicitly expected.

Run them with ``pytest -m browser tests/e2e``. Set ``CHROMIUM_PATH`` to use another binary.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask, got_request_exception
from flask_babel import force_locale, gettext
from werkzeug.serving import make_server

from community import create_app
from community.accounts import services as accounts
from community.accounts.models import Role
from community.core.database import commit_unit_of_work
from community.extensions import db
from tests.conftest import PASSWORD, _empty_tables

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Only requests that leave the machine are routed (to Python), which keeps page loads fast.
NOT_LOOPBACK = re.compile(r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$))")
# Playwright waits for events (a load, a selector); this bound only catches a hang. Generous,
# because CI runs the browser beside other test workers on a busy 2-core machine.
TIMEOUT_MS = int(os.environ.get("ASSIST_BROWSER_HANG_MS", "30000"))

LIVE_CONFIG = {
    # A real browser fetches and submits the CSRF tokens, so keep the protection on.
    "WTF_CSRF_ENABLED": True,
    # The suite's SERVER_NAME ("localhost") would make Flask refuse 127.0.0.1:<port>
    # and scope the session cookie to another host.
    "SERVER_NAME": None,
}


# --------------------------------------------------------------------------- live server


@dataclass
class LiveServer:
    app: Flask
    url: str
    errors: list[BaseException] = field(default_factory=list)

    def t(self, language: str, message: str, **variables) -> str:
        """*message* as the app's catalog for *language* translates it (English falls back)."""
        with self.app.app_context(), force_locale(language):
            return gettext(message, **variables)

    def create_staff(self, role: Role = Role.MODERATOR, name: str = "Moderator Maja") -> str:
        """A committed staff account (the only thing the core loop makes behind the UI)."""
        with self.app.app_context():
            user = accounts.create_staff(name, role, PASSWORD)
            commit_unit_of_work()
            return user.pseudonym

    def check_no_server_errors(self) -> None:
        if self.errors:
            raise AssertionError(
                "the app raised while serving the browser:\n"
                + "\n".join(f"  {type(e).__name__}: {e}" for e in self.errors)
            )


def build_live_app(base_config: dict, **overrides) -> Flask:
    """Like ``make_app``: an app on the shared test database, with its tables emptied."""
    app = create_app({**base_config, **LIVE_CONFIG, **overrides})
    _empty_tables(app)
    return app


@contextmanager
def serve(app: Flask) -> Iterator[LiveServer]:
    """Serve *app* on a free loopback port until the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    live = LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")

    def record(sender, exception, **extra):
        live.errors.append(exception)

    got_request_exception.connect(record, app)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        got_request_exception.disconnect(record, app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_server(base_config) -> Iterator[LiveServer]:
    """A fresh app (empty tables, CSRF on) served on 127.0.0.1; yields its base URL holder."""
    with serve(build_live_app(base_config)) as live:
        yield live
    live.check_no_server_errors()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it, so a missing browser is a broken setup
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class BrowserLog:
    """What went wrong in the pages of one test, besides its own assertions."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    expected: list[re.Pattern] = field(default_factory=list)

    def expect_console_error(self, pattern: str) -> None:
        """Allow console errors matching *pattern* (e.g. the 404 of a page we test on purpose)."""
        self.expected.append(re.compile(pattern))

    def problems(self) -> list[str]:
        unexpected = [
            e
            for e in self.console_errors
            if not any(p.search(e) for p in self.expected) and not _BROWSER_OWN_FETCH.search(e)
        ]
        return (
            [f"console error: {e}" for e in unexpected]
            + [f"page error: {e}" for e in self.page_errors]
            + [f"blocked non-loopback request: {u}" for u in self.blocked]
        )


# Chromium fetches the icon on its own after the page has loaded, so that fetch may still be
# under way when a test ends and its server stops. Only a network error is forgiven: a
# missing icon (a 404) is still a problem.
_BROWSER_OWN_FETCH = re.compile(r"net::ERR_[A-Z_]+ .*/favicon\.")


def _is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "") in LOOPBACK_HOSTS


@pytest.fixture
def browser_log() -> Iterator[BrowserLog]:
    """Collects the problems of this test's pages; fails the test if there were any."""
    log = BrowserLog()
    yield log
    problems = log.problems()
    assert not problems, "the browser saw problems:\n" + "\n".join(problems)


def prepare_page(page, log: BrowserLog):
    """Loopback only, and record console and page errors into *log*."""

    def route(route):
        if _is_loopback(route.request.url):
            route.continue_()
        else:
            log.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    page.route(NOT_LOOPBACK, route)
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and log.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")
        ),
    )
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


@pytest.fixture
def open_page(browser, browser_log) -> Iterator[Callable]:
    """Open a page in a new browser context (its own cookies): ``open_page(base_url, **ctx)``."""
    contexts = []

    def factory(base_url: str, **context_options):
        context_options.setdefault("locale", "en-GB")
        context = browser.new_context(base_url=base_url, **context_options)
        contexts.append(context)
        return prepare_page(context.new_page(), browser_log)

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page, live_server):
    """A page on the live server, English unless the test switches language."""
    return open_page(live_server.url)
