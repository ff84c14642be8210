"""A coach joins a thread because the asker chose them, through the UI only, in real Chromium.

A young adult applies to be a coach → a moderator approves → a young person asks → the
question is approved → the asker chooses the coach on the thread → the coach, told by a
notification that names no content, accepts and replies → the reply is approved → the
thread shows it as a coach's reply, under the coach's display name. Each person has their
own browser context; only the moderator's account is made behind the UI.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_core_loop import UI

pytestmark = pytest.mark.browser

ABOUT = "I'm 23, I study to become a teacher and I play the drums in a band."
EXPERIENCE = (
    "My parents split up when I was 14 and for a long time I thought it was my fault. "
    "Talking to an older cousin helped me understand it wasn't."
)
QUESTION = "How do I talk to my mum about the divorce?"
QUESTION_BODY = "My parents are splitting up and I feel like I can't talk to either of them."
REPLY = "I know that feeling. For me it helped to start with a short letter to my mum first."


def bell(ui: UI):
    main_nav = ui.page.get_by_role("navigation", name=ui.t("Main"), exact=True)
    return main_nav.get_by_role("link", name=re.compile("^" + re.escape(ui.t("Notifications"))))


def test_a_coach_the_asker_chose_replies_in_their_thread(open_page, live_server):
    moderator = live_server.create_staff()
    people = {
        name: UI(open_page(live_server.url), live_server, "en")
        for name in ("coach", "asker", "mod")
    }
    coach, asker, mod = people["coach"], people["asker"], people["mod"]

    # A young adult applies to be a coach.
    coach_name = coach.sign_up(age="18 to 25")
    coach.nav("Coaches").click()
    coach.page.get_by_role("link", name=coach.t("Become a coach"), exact=True).click()
    expect(coach.heading(coach.t("Become a coach"))).to_be_visible()
    coach.field("Your name on Assist").fill("Sam")
    coach.field("What I have been through").fill(EXPERIENCE)
    coach.field("About me").fill(ABOUT)
    coach.choose("Topics you can help with", "Family & friends")
    coach.choose("Languages you speak", "Danish")
    coach.choose("Languages you speak", "English")
    coach.field("How many threads can you be in at once?").select_option("2")
    coach.button("Send my application").click()
    coach.expect_flash("Thanks! A moderator will read your application soon.")

    # A moderator reads the application and approves it.
    mod.page.goto("/")
    mod.log_in(moderator)
    mod.nav("Applications").click()
    application = mod.page.get_by_role("article", name="Sam", exact=True)
    expect(application).to_contain_text(EXPERIENCE)
    expect(application).to_contain_text(mod.t("by %(name)s", name=coach_name))
    mod.button("Approve", within=application).click()
    mod.expect_flash("Approved. %(name)s is a coach now.", name="Sam")

    # A young person asks; the question is approved.
    asker_name = asker.sign_up(age="16 or 17")
    asker.nav("Ask").click()
    asker.field("Your question in one line").fill(QUESTION)
    asker.field("Tell us more").fill(QUESTION_BODY)
    asker.choose("What is it about?", "Family & friends")
    asker.button("Send my question").click()
    expect(asker.heading(QUESTION)).to_be_visible()
    mod.approve_in_queue(QUESTION, author=asker_name)

    # The asker chooses Sam on their thread.
    asker.open_question(QUESTION)
    panel = asker.page.get_by_role("region", name=asker.t("Coach"), exact=True)
    panel.get_by_label(asker.t("Choose a coach"), exact=True).select_option(label="Sam")
    asker.button("Ask this coach to join", within=panel).click()
    asker.expect_flash(
        "We asked %(name)s to join. You'll get a message when they answer.", name="Sam"
    )

    # The coach is told without any content, and says yes.
    coach.page.goto("/")
    # (the welcome after their approval, then the request)
    expect(bell(coach)).to_contain_text(coach.t("%(num)d new", num=2))
    bell(coach).click()
    expect(coach.page.get_by_role("main")).to_contain_text(coach.t("Welcome! You are a coach now."))
    expect(coach.page.get_by_role("main")).not_to_contain_text(QUESTION)
    coach.button("Someone asked you to join a thread.").click()
    expect(coach.heading(coach.t("My threads"))).to_be_visible()
    request = coach.page.get_by_role("listitem").filter(has_text=QUESTION)
    coach.button("Yes, I'll join", within=request).click()
    coach.expect_flash("You joined the thread. Write your coach's reply below.")
    expect(coach.heading(QUESTION)).to_be_visible()
    expect(coach.page.get_by_role("button", name=coach.t("Send my assist"))).to_have_count(0)
    coach.field("Your reply as a coach").fill(REPLY)
    coach.button("Send my coach's reply").click()
    coach.expect_flash("Thanks! A moderator will read your coach's reply soon.")

    # The asker was told that Sam said yes.
    asker.page.reload()
    # (their question's approval, then Sam's yes)
    expect(bell(asker)).to_contain_text(asker.t("%(num)d new", num=2))
    expect(asker.page.get_by_role("region", name=asker.t("Coach"), exact=True)).to_contain_text(
        asker.t("%(name)s is the coach in this thread.", name="Sam")
    )

    # The reply is approved and shows as a coach's reply, under the coach's display name.
    mod.approve_in_queue(QUESTION, author=coach_name)
    asker.page.reload()
    reply = asker.page.get_by_role("listitem").filter(has_text=REPLY)
    expect(reply).to_contain_text(asker.t("Coach's reply"))
    expect(reply).to_contain_text(asker.t("by %(name)s", name="Sam"))
    expect(reply).not_to_contain_text(coach_name)
