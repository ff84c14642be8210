"""A page that audits a look (the queue, an item, the dashboard, a person's record,
safeguarding, the audit log, a redaction, a pending question) never fails because someone
else wrote while it was being read, and its audit row is always written.

On SQLite a read's transaction holds a snapshot; before the fix, writing the audit row in
it after another connection had committed failed at once ("database is locked") and the
page answered 503. PostgreSQL never had the problem; the test runs there too.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import flask
import pytest
from sqlalchemy import event, func, insert, select

from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.extensions import db
from moderation.api import latest_decisions
from moderation.decisions import redact
from moderation.models import AuditEntry, Redaction
from moderation.safeguarding import escalate
from tests.moderation.conftest import BODY, TITLE

CONCURRENT = "test.written_meanwhile"


@contextmanager
def another_write_after_the_first_read(path: str) -> Iterator[list[str]]:
    """While a request to *path* runs: right after its first read, another connection
    commits a write (as another moderator's request would), before the page writes."""
    engine = db.engine
    seen: list[str] = []

    def after_execute(conn, cursor, statement, *args) -> None:
        if seen or not flask.has_request_context() or flask.request.path != path:
            return
        if not statement.lstrip().upper().startswith("SELECT"):
            return
        seen.append(statement)
        with engine.connect() as other:
            other.execute(
                insert(AuditEntry).values(
                    action=CONCURRENT, object_type="test", object_id=0, created_at=utcnow()
                )
            )
            other.commit()

    event.listen(engine, "after_cursor_execute", after_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", after_execute)


def _audited(actor_id: int, action: str) -> int:
    db.session.rollback()
    return (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.actor_id == actor_id, AuditEntry.action == action)
        )
        or 0
    )


@pytest.fixture
def pending(youth, moderator, ask):
    """A question waiting in the queue, escalated to the safeguarding team; a redaction."""
    question = ask(youth, body=BODY)
    item = latest_decisions("question", [question.id])[question.id]
    escalate(item.id, moderator, "Please look after them.")
    other = ask(youth, body=BODY + " Call me on 20 30 40 50.")
    redact(latest_decisions("question", [other.id])[other.id].id, moderator, TITLE, BODY)
    commit_unit_of_work()
    return {
        "question": question.id,
        "item": item.id,
        "user": youth.id,
        "redaction": db.session.scalar(select(Redaction.id)),
    }


PAGES = [
    ("moderator", "/moderation/", "queue.viewed"),
    ("moderator", "/moderation/items/{item}", "queue_item.viewed"),
    ("moderator", "/moderation/dashboard", "dashboard.viewed"),
    ("moderator", "/moderation/users/{user}", "user.viewed"),
    ("moderator", "/questions/{question}", "pending_content.viewed"),
    ("safeguarder", "/safeguarding/", "safeguarding.viewed"),
    ("admin", "/admin/audit", "audit.viewed"),
    ("admin", "/admin/audit/redactions/{redaction}", "redaction.viewed"),
]


@pytest.mark.parametrize(("staff", "url", "action"), PAGES)
def test_a_write_committed_during_an_audited_read_does_not_fail_the_page(
    request, client, login, pending, staff, url, action
):
    viewer = request.getfixturevalue(staff)  # pytest's request: the staff fixture by name
    login(viewer)
    path = url.format(**pending)
    with another_write_after_the_first_read(path) as seen:
        page = client.get(path)
    assert seen, "the race was not set up: the page read nothing"
    assert page.status_code == 200, page.status_code
    assert _audited(viewer.id, action) == 1
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == CONCURRENT)) == 1


def test_an_audited_read_that_fails_writes_no_audit_row(client, login, moderator):
    login(moderator)
    assert client.get("/moderation/items/999999").status_code == 404
    assert _audited(moderator.id, "queue_item.viewed") == 0
