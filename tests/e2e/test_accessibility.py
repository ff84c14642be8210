"""Accessibility of the main pages in a real Chromium.

* axe-core finds no violation of impact "serious" or "critical";
* at 360 CSS pixels wide nothing scrolls sideways (English, Danish and Norwegian: the
  Nordic words are longer);
* the skip link is the first thing Tab reaches, it shows when focused, and it works.

One server with the demo data (``flask seed``) serves the whole module; each role has its
own browser context, logged in once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from community import demo
from community.coaches.models import CoachProfile
from community.extensions import db
from community.questions.models import Question
from tests.e2e.conftest import TIMEOUT_MS, BrowserLog, build_live_app, prepare_page, serve

pytestmark = pytest.mark.browser

LANGUAGES = {"en": "en-GB", "da": "da-DK", "nb": "nb-NO"}  # chosen by the browser's language
MOBILE = {"width": 360, "height": 740}
BAD_IMPACTS = {"serious", "critical"}

ANSWERED = demo.QUESTIONS[0][1]  # has a published assist by the helper
UNANSWERED = demo.QUESTIONS[2][1]
HELPER = demo.DEMO_LOGINS[1][1]  # the demo youth who wrote the published assist


@dataclass(frozen=True)
class Visit:
    """A page to check: who looks at it, and how to get there."""

    name: str
    role: str  # "anonymous", "asker", "helper", "coach" or "moderator"
    path: str  # may name a demo question as {answered} or {unanswered}, the coach as {coach}
    submit: str | None = None  # click this button (by its English name) after loading
    status: int = 200


VISITS = [
    Visit("home", "anonymous", "/"),
    Visit("question list", "anonymous", "/questions/"),
    Visit("question with an assist", "anonymous", "/questions/{answered}"),
    Visit("question with an assist, as its asker", "asker", "/questions/{answered}"),
    Visit("question with the assist form", "helper", "/questions/{unanswered}"),
    Visit("ask a question", "helper", "/questions/ask"),
    Visit("sign-up", "anonymous", "/sign-up"),
    Visit("sign-up with errors", "anonymous", "/sign-up", submit="Create my account", status=422),
    Visit("log-in", "anonymous", "/log-in"),
    Visit("leaderboard", "anonymous", "/leaderboard/"),
    Visit("leaderboard, own rank", "helper", "/leaderboard/"),
    Visit("leaderboard, a week and topic", "anonymous", "/leaderboard/?period=week&topic=feelings"),
    Visit("leaderboard setting", "helper", "/me/settings"),
    Visit("change password", "helper", "/me/password"),
    Visit(
        "change password with errors",
        "helper",
        "/me/password",
        submit="Change password",
        status=422,
    ),
    Visit("a helper's level and badges", "anonymous", f"/u/{HELPER}"),
    Visit("my own level and badges", "helper", f"/u/{HELPER}"),
    Visit("help", "anonymous", "/help"),
    Visit("moderation queue", "moderator", "/moderation/"),
    Visit("moderation dashboard", "moderator", "/moderation/dashboard"),
    Visit("report a post", "helper", "/report/question/{answered}"),
    Visit(
        "report a post with errors",
        "helper",
        "/report/question/{answered}",
        submit="Send to a moderator",
        status=422,
    ),
    Visit("warnings and pauses", "helper", "/me/standing"),
    Visit("my posts", "helper", "/me/posts"),
    Visit("404", "anonymous", "/no-such-page", status=404),
    Visit("coach directory", "anonymous", "/coaches/"),
    Visit("coach profile", "anonymous", "/coaches/{coach}"),
    Visit("question with a coach, as its asker", "asker", "/questions/{answered}"),
    Visit("choosing a coach, as the asker", "asker", "/questions/{unanswered}"),
    Visit("question with a coach, as the coach", "coach", "/questions/{answered}"),
    Visit("become a coach", "helper", "/coaches/apply"),
    Visit(
        "become a coach with errors",
        "helper",
        "/coaches/apply",
        submit="Send my application",
        status=422,
    ),
    Visit("coach applications", "moderator", "/coaches/applications"),
    Visit("my threads", "coach", "/coaches/me/threads"),
    Visit("my coach profile", "coach", "/coaches/me/profile"),
    Visit("coach lounge", "coach", "/coaches/lounge/"),
    Visit("notifications", "asker", "/notifications/"),
]


class LogRelay:
    """Forwards a reused tab's records to whichever test's log is current (or, between
    tests, to ``stray``, which the module checks at the end)."""

    def __init__(self) -> None:
        self.target: BrowserLog | None = None
        self.stray = BrowserLog()

    def __getattr__(self, name: str):
        return getattr(self.target or self.stray, name)


class Site:
    """The demo site, served for this module, and one logged-in browser context per need."""

    def __init__(
        self, live, browser, logins: dict[str, tuple[str, str]], question_ids: dict[str, int]
    ) -> None:
        self.live, self.browser = live, browser
        self.logins, self.question_ids = logins, question_ids
        self._contexts: dict[tuple, object] = {}
        self._tabs: dict[tuple, object] = {}
        self.log = LogRelay()  # the current test's BrowserLog

    def context(self, role: str, language: str = "en", mobile: bool = False):
        key = (role, language, mobile)
        if key not in self._contexts:
            options = {"viewport": MOBILE} if mobile else {}
            context = self.browser.new_context(
                base_url=self.live.url, locale=LANGUAGES[language], **options
            )
            context.set_default_timeout(TIMEOUT_MS)
            if role != "anonymous":
                self._log_in(context, *self.logins[role])
            self._contexts[key] = context
        return self._contexts[key]

    @staticmethod
    def _log_in(context, pseudonym: str, password: str) -> None:
        """Log in over HTTP with the form's own CSRF token (cookies land in the context)."""
        form = context.request.get("/log-in").text()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
        response = context.request.post(
            "/log-in",
            form={"csrf_token": token, "pseudonym": pseudonym, "password": password},
            max_redirects=0,
        )
        assert response.status == 302, f"could not log in {pseudonym}: {response.status}"

    def open(self, visit: Visit, log, language: str = "en", mobile: bool = False):
        """The context's tab, freshly loaded with *visit*'s page in the state it describes.

        Tabs are reused across tests (a new one costs a renderer process); their console,
        page errors and blocked requests go to the current test's *log*."""
        self.log.target = log
        key = (visit.role, language, mobile)
        if key not in self._tabs:
            self._tabs[key] = prepare_page(self.context(*key).new_page(), self.log)
        page = self._tabs[key]
        if visit.status >= 400:
            log.expect_console_error(rf"status of {visit.status}\b")
        response = page.goto(
            visit.path.format(
                answered=self.question_ids[ANSWERED],
                unanswered=self.question_ids[UNANSWERED],
                coach=self.question_ids["coach"],
            )
        )
        if visit.submit:
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.get_by_role(
                    "button", name=self.live.t(language, visit.submit), exact=True
                ).click()
            page.wait_for_load_state()
            response = posted.value
        assert response.status == visit.status, f"{visit.name}: HTTP {response.status}"
        return page

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()


@pytest.fixture(scope="module")
def site(base_config, browser) -> Iterator[Site]:
    app = build_live_app(base_config)
    with app.app_context():
        logins = demo.load_demo_data()
        by_role = {
            "asker": logins[0],
            "helper": logins[1],
            "coach": logins[2],
            "moderator": logins[3],
        }
        question_ids = dict(db.session.execute(select(Question.title, Question.id)).all())
        question_ids["coach"] = db.session.scalar(select(CoachProfile.id))
    with serve(app) as live:
        site = Site(
            live, browser, {r: (name, pw) for r, (_, name, pw) in by_role.items()}, question_ids
        )
        yield site
        site.close()
    live.check_no_server_errors()
    assert not site.log.stray.problems(), site.log.stray.problems()


@pytest.fixture
def tab(site, browser_log) -> Iterator:
    """Opens a visit's page for this test, recording problems into this test's log."""

    def open_tab(visit: Visit, **options):
        return site.open(visit, browser_log, **options)

    yield open_tab
    site.log.target = None


def describe(violations: list[dict], visit: Visit, url: str) -> str:
    lines = [f"{len(violations)} serious/critical axe violation(s) on {visit.name} ({url}):"]
    for v in violations:
        lines.append(f"\n[{v['impact']}] {v['id']}: {v['help']}\n  {v['helpUrl']}")
        for node in v["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:200]}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"      {summary_line}")
    return "\n".join(lines)


@pytest.mark.parametrize("visit", VISITS, ids=[v.name for v in VISITS])
def test_no_serious_axe_violations(tab, visit):
    page = tab(visit)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in BAD_IMPACTS]
    assert not bad, describe(bad, visit, page.url)


MOBILE_CASES = [(visit, language) for visit in VISITS for language in LANGUAGES]


@pytest.mark.parametrize(
    ("visit", "language"), MOBILE_CASES, ids=[f"{v.name}-{lang}" for v, lang in MOBILE_CASES]
)
def test_fits_a_small_phone_and_starts_with_the_skip_link(site, tab, visit, language):
    page = tab(visit, language=language, mobile=True)
    expect(page.locator("html")).to_have_attribute("lang", language)

    width = page.evaluate("document.documentElement.scrollWidth")
    if width > MOBILE["width"]:
        too_wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit)
                .slice(0, 5).map(e => e.outerHTML.slice(0, 120))""",
            MOBILE["width"],
        )
        pytest.fail(
            f"{visit.name} ({language}) scrolls sideways at 360px: scrollWidth "
            f"{width}. Widest elements:\n  " + "\n  ".join(too_wide)
        )

    if visit.status == 422:
        # A form that came back with mistakes starts at its error summary (focused on load),
        # so Tab goes on to the summary's links; the skip link is for pages read from the top.
        expect(page.locator(":focus")).to_have_attribute("data-error-summary", "")
        return
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text(site.live.t(language, "Skip to content"))
    expect(focused).to_have_attribute("href", "#main")
    box = focused.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 360, (
        f"the focused skip link is not on screen: {box}"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
