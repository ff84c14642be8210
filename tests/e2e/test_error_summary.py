"""In a real Chromium, a form sent with mistakes puts focus on its error summary (not on
<body>), and each line of the summary takes the person to its field (issue 11, item 9)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_focus_goes_to_the_summary_and_its_links_reach_each_field(page, browser_log):
    browser_log.expect_console_error(r"status of 422")  # the form coming back, on purpose
    page.goto("/sign-up")
    page.get_by_role("button", name="Create my account").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Something needs fixing"
    page.get_by_role("link", name="How old are you?").click()
    expect(page.locator("#age_band-0")).to_be_focused()
    expect(page.locator("#age_band-0")).to_have_attribute("aria-invalid", "true")
    page.get_by_role("link", name="Choose a password").click()
    expect(page.locator("#password")).to_be_focused()
