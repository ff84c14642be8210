"""XSS vectors in questions, assists and moderator notes never run, wherever they are shown.

The most dangerous view is the moderator's queue: unapproved text, staff cookies. The
vectors are also opened by a reader after approval and by the author on "My posts".
Any alert/confirm/prompt/print, any Content-Security-Policy violation (reported as a
console error) and any request leaving loopback fails the test.
"""

from __future__ import annotations

import pytest

from community.accounts import services as accounts
from community.accounts.models import Role
from community.assists import services as assists
from community.core.database import commit_unit_of_work
from moderation import decisions, queue
from tests.conftest import PASSWORD
from tests.security.payloads import lines_of
from tests.security.world import approve_all, open_item

pytestmark = pytest.mark.browser

WATCH = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss.push(name + ":" + args.join(",")); };
}
document.addEventListener("securitypolicyviolation",
  (event) => window.__xss.push("csp:" + event.violatedDirective));
"""


def _vectors() -> list[str]:
    files = [
        "BRUTELOGIC-XSS-STRINGS.txt",
        "IntrudersXSS.txt",
        "JHADDIX_XSS.txt",
        "RSNAKE_XSS.txt",
        "XSS_Polyglots.txt",
        "port_swigger_xss_cheatsheet_event_handlers.txt",
    ]
    return [line for name in files for line in lines_of(f"xss/{name}")]


def _chunks(vectors: list[str], size: int = 4800) -> list[str]:
    chunks, current = [], ""
    for vector in vectors:
        if len(current) + len(vector) + 2 > size:
            chunks.append(current)
            current = ""
        current += vector + "\n\n"
    return [*chunks, current] if current.strip() else chunks


def _visit(page, url: str, dialogs: list[str]) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    return [*page.evaluate("window.__xss"), *dialogs]


def test_xss_vectors_never_run(live_server, open_page, browser_log):
    from community.questions import services as questions

    vectors = _vectors()
    bodies = _chunks(vectors)
    titles = [v for v in vectors if 10 <= len(v) <= 150][::12][:25]
    with live_server.app.app_context():
        asker = accounts.register(accounts.Registration("CalmOtter21", "16-17", PASSWORD)).user
        helper = accounts.register(accounts.Registration("BraveFalcon42", "18-25", PASSWORD)).user
        mod = accounts.create_staff("Moderator Mo", Role.MODERATOR, PASSWORD)
        commit_unit_of_work()
        anchor = questions.ask(
            asker,
            questions.QuestionDraft(
                "A question for the assists to answer?",
                "A calm body for the anchor question.",
                "other",
            ),
        )
        commit_unit_of_work()
        approve_all(mod)
        asked = [
            questions.ask(
                asker, questions.QuestionDraft(f"Vectors in the body, part {n}", body, "other")
            )
            for n, body in enumerate(bodies)
        ]
        asked += [
            questions.ask(asker, questions.QuestionDraft(title, "x" * 20 + title, "love"))
            for title in titles
        ]
        for body in bodies:
            assists.write(helper, anchor.id, body)
        commit_unit_of_work()
        assert len(queue.open_queue(mod, limit=100)) <= 50  # all on one queue page
        question_ids = [q.id for q in asked]
        anchor_id = anchor.id

    def signed_in(name: str):
        page = open_page(live_server.url)
        page.add_init_script(WATCH)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        if name:
            page.goto("/log-in")
            page.get_by_label("Pseudonym").fill(name)
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state("load")
        return page, dialogs

    ran: list[str] = []
    moderator_page, moderator_dialogs = signed_in("Moderator Mo")
    ran += _visit(moderator_page, "/moderation/", moderator_dialogs)  # before approval
    assert moderator_page.locator("article.queue-item").count() == len(question_ids) + len(bodies)

    with live_server.app.app_context():
        reject_note = next(v for v in vectors if "<script" in v.lower() and len(v) < 400)
        item = open_item("question", question_ids[-1])
        decisions.reject(item, moderation_user(mod.id), "other", reject_note)
        commit_unit_of_work()
        approve_all(moderation_user(mod.id))

    reader, reader_dialogs = signed_in("")
    for url in [
        "/",
        "/questions/",
        f"/questions/{anchor_id}",
        *[f"/questions/{qid}" for qid in question_ids[:-1]],
    ]:
        ran += _visit(reader, url, reader_dialogs)
    author, author_dialogs = signed_in("CalmOtter21")
    for url in ["/me/posts", f"/questions/{question_ids[-1]}", f"/questions/{question_ids[0]}"]:
        ran += _visit(author, url, author_dialogs)
    helper_page, helper_dialogs = signed_in("BraveFalcon42")
    ran += _visit(helper_page, "/me/posts", helper_dialogs)
    assert not ran, f"script ran: {ran[:10]}"
    live_server.check_no_server_errors()


def moderation_user(user_id: int):
    from community.accounts.models import User
    from community.extensions import db

    return db.session.get(User, user_id)
