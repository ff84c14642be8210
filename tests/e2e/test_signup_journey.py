"""A visitor who wants to ask signs up on the way and lands back on the ask form; the forms
on the recovery-code page (log out, language) work straight after sign-up. In a real
Chromium, through the UI only, in English and Danish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.test_core_loop import RECOVERY_CODE, UI

pytestmark = pytest.mark.browser


def _sign_up_from_the_ask_link(ui: UI) -> str:
    page = ui.page
    page.goto("/")
    ui.nav("Ask").click()
    # Not logged in: the log-in page, which remembers where we were going …
    expect(page).to_have_url(
        re.compile(r"/log-in\?next=%2Fquestions%2Fask$|/log-in\?next=/questions/ask$")
    )
    main = page.get_by_role("main")
    main.get_by_role("link", name=ui.t("Sign up"), exact=True).click()
    # … and so does its sign-up link.
    expect(page).to_have_url(re.compile(r"/sign-up\?next="))
    pseudonym = ui.field("Your pseudonym").input_value()
    ui.choose("How old are you?", "13 to 15")
    ui.field("Choose a password").fill(PASSWORD)
    ui.button("Create my account").click()
    expect(ui.heading(ui.t("Welcome, %(name)s!", name=pseudonym))).to_be_visible()
    code = page.get_by_test_id("recovery-code").inner_text().strip()
    assert RECOVERY_CODE.fullmatch(code)
    return pseudonym


@pytest.mark.parametrize("language", ["en", "da"])
def test_ask_while_logged_out_sign_up_and_land_on_the_ask_form(open_page, live_server, language):
    ui = UI(open_page(live_server.url), live_server, language)
    if language != "en":
        ui.switch_language()
    pseudonym = _sign_up_from_the_ask_link(ui)
    ui.page.get_by_role("link", name=ui.t("I've saved it. Continue"), exact=True).click()
    expect(ui.page).to_have_url(re.compile(r"/questions/ask$"))
    expect(ui.heading(ui.t("Ask a question"))).to_be_visible()
    ui.expect_logged_in_as(pseudonym)


def test_log_out_works_on_the_recovery_code_page(open_page, live_server):
    ui = UI(open_page(live_server.url), live_server, "en")
    _sign_up_from_the_ask_link(ui)
    ui.page.get_by_role("button", name=ui.t("Log out"), exact=True).click()
    ui.expect_flash("You are logged out. See you soon.")  # was a 400 "something went wrong"
    expect(ui.nav("Log in")).to_be_visible()


def test_the_language_switch_works_on_the_recovery_code_page(open_page, live_server):
    ui = UI(open_page(live_server.url), live_server, "en")
    pseudonym = _sign_up_from_the_ask_link(ui)
    code = ui.page.get_by_test_id("recovery-code").inner_text()
    ui.page.get_by_label("Language", exact=True).select_option("nb")
    ui.page.get_by_role("button", name="Change", exact=True).click()
    expect(ui.page.locator("html")).to_have_attribute("lang", "nb")
    # the code is shown once: switching language must not lose it
    expect(ui.page.get_by_test_id("recovery-code")).to_have_text(code)
    UI(ui.page, live_server, "nb").expect_logged_in_as(pseudonym)
