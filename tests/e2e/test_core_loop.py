"""The whole loop, through the UI only, in English, Danish and Norwegian.

Ask → moderate → assist → moderate → "This helped me" → leaderboard. Only the moderator's
account is made behind the UI. Locators are accessible ones (role + name, label), so the
test also checks that every field has a label and every control a name. Texts come from the
app's own catalogs (``force_locale`` + ``gettext``), so the test follows the translations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from playwright.sync_api import Page, expect

from community import ROOT
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

RECOVERY_CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){4}")
QUESTION_BODY = "My dad gets angry when I talk about my grades. How can I start the talk?"
ASSIST_BODY = "Pick a calm moment, like a walk, and start with something good about your week."

# Every UI text the loop finds its way by (besides ones with variables, checked where used).
LOOP_MESSAGES = [
    "Main",
    "Sign up",
    "Log in",
    "Log out",
    "Ask",
    "Questions",
    "Queue",
    "Leaderboard",
    "Your pseudonym",
    "How old are you?",
    "16 or 17",
    "18 to 25",
    "Choose a password",
    "Create my account",
    "Your recovery code",
    "I've saved it. Continue",
    "You are logged out. See you soon.",
    "Pseudonym",
    "Password",
    "Ask a question",
    "Your question in one line",
    "Tell us more",
    "What is it about?",
    "Family & friends",
    "Send my question",
    "Waiting for a moderator",
    "Moderation queue",
    "Approve",
    "Approved. It is public now.",
    "Your assist",
    "Send my assist",
    "Thanks for helping! A moderator will read your assist soon.",
    "This helped me",
    "Thanks for telling them it helped!",
    "This helped the asker",
    "Rank",
    "Points",
    "Language",
    "Change",
]


class UI:
    """One browser tab, in one language, with the app's words for things."""

    def __init__(self, page: Page, live, language: str) -> None:
        self.page, self.live, self.language = page, live, language

    def t(self, message: str, **variables) -> str:
        return self.live.t(self.language, message, **variables)

    def nav(self, name: str):
        main_nav = self.page.get_by_role("navigation", name=self.t("Main"), exact=True)
        return main_nav.get_by_role("link", name=self.t(name), exact=True)

    def button(self, name: str, within=None):
        return (within or self.page).get_by_role("button", name=self.t(name), exact=True)

    def field(self, label: str):
        return self.page.get_by_label(self.t(label), exact=True)

    def choose(self, group: str, option: str) -> None:
        fieldset = self.page.get_by_role("group", name=self.t(group), exact=True)
        fieldset.get_by_label(self.t(option), exact=True).check()

    def heading(self, text: str, level: int = 1):
        return self.page.get_by_role("heading", name=text, exact=True, level=level)

    def expect_flash(self, message: str, **variables) -> None:
        expect(self.page.get_by_role("status")).to_contain_text(self.t(message, **variables))

    # ---------------------------------------------------------------- steps

    def switch_language(self) -> None:
        """Use the footer's language switch (it is in English until we switch)."""
        self.page.goto("/")
        self.page.get_by_label("Language", exact=True).select_option(self.language)
        self.page.get_by_role("button", name="Change", exact=True).click()
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)
        expect(self.page.get_by_label(self.t("Language"), exact=True)).to_have_value(self.language)

    def sign_up(self, age: str) -> str:
        self.page.goto("/")
        self.nav("Sign up").click()
        expect(self.page).to_have_url(re.compile(r"/sign-up$"))
        expect(self.heading(self.t("Sign up"))).to_be_visible()
        pseudonym_field = self.field("Your pseudonym")
        expect(pseudonym_field).not_to_be_editable()  # proposed, never typed
        pseudonym = pseudonym_field.input_value()
        assert re.fullmatch(r"[A-Z][a-z]+[A-Z][a-z]+[1-9][0-9]", pseudonym), pseudonym
        self.choose("How old are you?", age)
        self.field("Choose a password").fill(PASSWORD)
        self.button("Create my account").click()

        expect(self.heading(self.t("Welcome, %(name)s!", name=pseudonym))).to_be_visible()
        expect(self.heading(self.t("Your recovery code"), level=2)).to_be_visible()
        code = self.page.get_by_test_id("recovery-code").inner_text().strip()
        assert RECOVERY_CODE.fullmatch(code), f"odd recovery code {code!r}"
        assert code not in self.page.url
        app = self.live.app
        cookies = {c["name"]: c["value"] for c in self.page.context.cookies()}
        session = app.session_interface.get_signing_serializer(app).loads(
            cookies[app.config["SESSION_COOKIE_NAME"]]
        )
        assert code not in repr(session), "the recovery code is kept in the session"
        self.page.get_by_role("link", name=self.t("I've saved it. Continue"), exact=True).click()
        self.expect_logged_in_as(pseudonym)
        return pseudonym

    def expect_logged_in_as(self, pseudonym: str) -> None:
        expect(self.page.get_by_role("contentinfo")).to_contain_text(
            self.t("Logged in as %(name)s", name=pseudonym)
        )

    def log_out(self) -> None:
        self.button("Log out").click()
        self.expect_flash("You are logged out. See you soon.")
        expect(self.nav("Log in")).to_be_visible()

    def log_in(self, pseudonym: str) -> None:
        self.nav("Log in").click()
        self.field("Pseudonym").fill(pseudonym)
        self.field("Password").fill(PASSWORD)
        self.button("Log in").click()
        self.expect_flash("Welcome back, %(name)s.", name=pseudonym)
        self.expect_logged_in_as(pseudonym)

    def open_question(self, title: str) -> None:
        self.nav("Questions").click()
        expect(self.heading(self.t("Questions"))).to_be_visible()
        self.page.get_by_role("link", name=title, exact=True).click()
        expect(self.heading(title)).to_be_visible()

    def approve_in_queue(self, heading: str, author: str) -> None:
        self.nav("Queue").click()
        expect(self.page).to_have_url(re.compile(r"/moderation/$"))
        expect(self.heading(self.t("Moderation queue"))).to_be_visible()
        item = self.page.get_by_role("article", name=heading, exact=True)
        expect(item).to_contain_text(self.t("by %(name)s", name=author))
        self.button("Approve", within=item).click()
        self.expect_flash("Approved. It is public now.")
        expect(item).to_have_count(0)


@pytest.mark.parametrize("language", ["en", "da", "nb"])
def test_ask_moderate_assist_helpful_leaderboard(page, live_server, language):
    moderator = live_server.create_staff()
    ui = UI(page, live_server, language)
    if language != "en":
        ui.switch_language()

    asker = ui.sign_up(age="16 or 17")
    ui.log_out()
    helper = ui.sign_up(age="18 to 25")
    ui.log_out()
    assert asker != helper

    # The asker asks; only they (and moderators) can see it for now.
    title = f"How do I talk to my dad about school? ({language})"
    ui.log_in(asker)
    ui.nav("Ask").click()
    expect(ui.heading(ui.t("Ask a question"))).to_be_visible()
    ui.field("Your question in one line").fill(title)
    ui.field("Tell us more").fill(QUESTION_BODY)
    ui.choose("What is it about?", "Family & friends")
    ui.button("Send my question").click()
    expect(ui.heading(title)).to_be_visible()
    expect(page.get_by_text(ui.t("Waiting for a moderator"), exact=True)).to_be_visible()
    ui.log_out()

    ui.log_in(moderator)
    ui.approve_in_queue(title, author=asker)
    ui.log_out()

    # The helper finds it in the list and writes an assist.
    ui.log_in(helper)
    ui.open_question(title)
    ui.field("Your assist").fill(ASSIST_BODY)
    ui.button("Send my assist").click()
    ui.expect_flash("Thanks for helping! A moderator will read your assist soon.")
    assist = page.get_by_role("listitem").filter(has_text=ASSIST_BODY)
    expect(assist).to_contain_text(ui.t("Waiting for a moderator"))
    ui.log_out()

    ui.log_in(moderator)
    ui.approve_in_queue(title, author=helper)  # an assist shows its question's title
    ui.log_out()

    # The asker says it helped.
    ui.log_in(asker)
    ui.open_question(title)
    assist = page.get_by_role("listitem").filter(has_text=ASSIST_BODY)
    expect(assist).to_contain_text(ui.t("by %(name)s", name=helper))
    ui.button("This helped me", within=assist).click()
    ui.expect_flash("Thanks for telling them it helped!")
    expect(assist).to_contain_text(ui.t("This helped the asker"))
    expect(ui.button("This helped me")).to_have_count(0)

    # 2 points for the published assist + 10 for "helpful".
    ui.nav("Leaderboard").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_text(
        [ui.t("Rank"), ui.t("Pseudonym"), ui.t("Points")]
    )
    row = table.get_by_role("row").filter(has=page.get_by_role("cell", name=helper, exact=True))
    expect(row.get_by_role("cell")).to_have_text(["1", helper, "12"])
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", ["da", "nb"])
def test_the_loop_is_fully_translated(language):
    """Every text the loop above relies on has a translation in the compiled catalog.

    (The loop itself follows the catalogs, so it passes on English fallbacks; this makes a
    missing translation fail on its own.)"""
    mo = Path(ROOT, "community", "translations", language, "LC_MESSAGES", "messages.mo")
    with mo.open("rb") as handle:
        catalog = read_mo(handle)
    missing = [m for m in LOOP_MESSAGES if m not in catalog or not catalog[m].string]
    assert not missing, f"untranslated in {language}: {missing}"
