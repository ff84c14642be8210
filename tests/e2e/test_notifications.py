"""Notifications that bring people back, through the UI in real Chromium.

A young person asks → it is approved → someone follows the question from its page → a
helper's assist is approved → the asker is told (their title shown to them only), and so
is the follower → the asker says "this helped" → the helper is told, with the points →
the asker brings in a coach, whose reply is approved → the asker is told. Each person has
their own browser context. Only the staff are made behind the UI (the moderator, and a
coach whose profile a moderator approved: the coach's own journey is test_coaches.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.accounts import services as accounts
from community.accounts.models import Role, User
from community.coaches import profiles
from community.core.database import commit_unit_of_work
from community.extensions import db
from tests.coaches.conftest import draft
from tests.conftest import PASSWORD, approve_open
from tests.e2e.test_core_loop import UI

pytestmark = pytest.mark.browser

QUESTION = "How do I tell my friends I want to quit football?"
QUESTION_BODY = "Everyone on my team is my friend and I'm scared they'll be angry with me."
ASSIST = "Tell your best friend on the team first, then it is easier to tell the rest."
REPLY = "I quit a team at 15. Saying it early, and staying friends off the pitch, helped me."


def _coach(live, moderator_name: str) -> str:
    """A vetted coach, Sam, whose profile a moderator approved; returns the log-in name."""
    with live.app.app_context():
        user = accounts.create_staff("Coach Sam", Role.COACH, PASSWORD)
        profiles.edit_profile(user, draft("Sam", topics=("family", "school", "feelings")))
        commit_unit_of_work()
        approve_open(db.session.scalar(select(User).where(User.pseudonym == moderator_name)))
        return user.pseudonym


def bell(ui: UI):
    main_nav = ui.page.get_by_role("navigation", name=ui.t("Main"), exact=True)
    return main_nav.get_by_role("link", name=re.compile("^" + re.escape(ui.t("Notifications"))))


def notifications(ui: UI):
    ui.page.goto("/")
    bell(ui).click()
    expect(ui.heading(ui.t("Notifications"))).to_be_visible()
    return ui.page.get_by_role("main")


def test_askers_helpers_and_followers_are_told_what_happened(open_page, live_server):
    moderator = live_server.create_staff()
    coach_login = _coach(live_server, moderator)
    people = {
        name: UI(open_page(live_server.url), live_server, "en")
        for name in ("asker", "helper", "follower", "mod", "coach")
    }
    asker, helper, follower, mod, coach = (
        people[n] for n in ("asker", "helper", "follower", "mod", "coach")
    )
    mod.page.goto("/")
    mod.log_in(moderator)

    # A young person asks; a moderator approves it.
    asker_name = asker.sign_up(age="16 or 17")
    asker.nav("Ask").click()
    asker.field("Your question in one line").fill(QUESTION)
    asker.field("Tell us more").fill(QUESTION_BODY)
    asker.choose("What is it about?", "Family & friends")
    asker.button("Send my question").click()
    expect(asker.heading(QUESTION)).to_be_visible()
    mod.approve_in_queue(QUESTION, author=asker_name)

    # Someone else follows it from the question's page, without any JavaScript needed.
    follower.sign_up(age="18 to 25")
    follower.open_question(QUESTION)
    follower.button("Follow this question").click()
    follower.expect_flash("You follow this question now. We'll tell you about new assists.")
    expect(follower.button("Stop following")).to_be_visible()

    # A helper writes an assist; nobody hears of it before a moderator approves it.
    helper_name = helper.sign_up(age="18 to 25")
    helper.open_question(QUESTION)
    helper.field("Your assist").fill(ASSIST)
    helper.button("Send my assist").click()
    helper.expect_flash("Thanks for helping! A moderator will read your assist soon.")
    expect(notifications(follower)).to_contain_text(
        follower.t("Nothing new. We'll tell you here when something happens.")
    )
    mod.approve_in_queue(QUESTION, author=helper_name)

    # The asker is told, sees their own question's title there, and follows the link.
    asker.page.goto("/")
    expect(bell(asker)).to_contain_text(asker.t("%(num)d new", num=2))  # approval + assist
    main = notifications(asker)
    expect(main).to_contain_text(asker.t("Your question got its first assist!"))
    expect(main).to_contain_text(asker.t("Your question: %(title)s", title=QUESTION))
    expect(main).not_to_contain_text(ASSIST)
    asker.button("Your question got its first assist!").click()
    expect(asker.page).to_have_url(re.compile(r"/questions/\d+#a\d+$"))
    expect(asker.heading(QUESTION)).to_be_visible()

    # The follower hears of the new assist, without the title (it is not their question).
    main = notifications(follower)
    expect(main).to_contain_text(follower.t("%(num)d new assist on a question you follow", num=1))
    expect(main).not_to_contain_text(QUESTION)

    # The asker says it helped; the helper is told, with the points it earned.
    assist = asker.page.get_by_role("listitem").filter(has_text=ASSIST)
    asker.button("This helped me", within=assist).click()
    asker.expect_flash("Thanks for telling them it helped!")
    main = notifications(helper)
    said = helper.t("%(num)d of your assists helped the asker.", num=1)
    earned = helper.t("You earned %(num)d points.", num=10)
    expect(main).to_contain_text(f"{said} {earned}")
    expect(main).to_contain_text(helper.t("You reached a new level!"))
    expect(main).not_to_contain_text(QUESTION)
    helper.button("Mark all as read").click()
    helper.expect_flash("All notifications are marked as read.")
    expect(bell(helper)).not_to_contain_text(helper.t("%(num)d new", num=1))

    # The asker brings in the coach, who says yes and replies; the reply is approved.
    asker.open_question(QUESTION)
    panel = asker.page.get_by_role("region", name=asker.t("Coach"), exact=True)
    panel.get_by_label(asker.t("Choose a coach"), exact=True).select_option(label="Sam")
    asker.button("Ask this coach to join", within=panel).click()
    coach.page.goto("/")
    coach.log_in(coach_login)
    coach.nav("My threads").click()
    request = coach.page.get_by_role("listitem").filter(has_text=QUESTION)
    coach.button("Yes, I'll join", within=request).click()
    coach.field("Your reply as a coach").fill(REPLY)
    coach.button("Send my coach's reply").click()
    coach.expect_flash("Thanks! A moderator will read your coach's reply soon.")
    mod.approve_in_queue(QUESTION, author=coach_login)

    main = notifications(asker)
    replied = asker.t("%(num)d new reply from your coach", num=1)
    expect(main).to_contain_text(replied)
    expect(main).not_to_contain_text(REPLY)
    main.get_by_role("button", name=replied, exact=True).click()
    expect(asker.page.get_by_role("listitem").filter(has_text=REPLY)).to_be_visible()

    # Unfollowing works the same way.
    follower.open_question(QUESTION)
    follower.button("Stop following").click()
    follower.expect_flash("You don't follow this question any more.")
    expect(follower.button("Follow this question")).to_be_visible()
