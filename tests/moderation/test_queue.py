"""The queue: priority order, claims, redaction, escalation to safeguarding, the dashboard."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from community.accounts.models import Role
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.errors import Conflict, DomainError, NotAllowed
from community.core.posts import ContentStatus
from community.extensions import db
from community.notifications.models import Notification
from moderation import api as moderation
from moderation import claims, dashboard, decisions, flags, queue, safeguarding
from moderation.models import (
    AuditEntry,
    Escalation,
    Priority,
    QueueItem,
    QueueState,
    Redaction,
)
from tests.conftest import approve_open
from tests.moderation.conftest import open_item

RISK = "Some days I want to die and I don't know who to tell about it."
PHONE = "Can someone text me? My number is 20 30 40 50, I feel so alone."


def _age(item_id: int, minutes: int) -> None:
    db.session.execute(
        update(QueueItem)
        .where(QueueItem.id == item_id)
        .values(submitted_at=utcnow() - timedelta(minutes=minutes))
    )
    commit_unit_of_work()


def test_queue_order_is_risk_identifying_flags_then_the_rest(app, create_user, moderator, ask):
    authors = [create_user() for _ in range(6)]
    flagged = ask(authors[1], body="A question people will flag after it is published.")
    approve_open(moderator)
    routine = ask(authors[0])
    identifying = ask(authors[2], body=PHONE)
    older_risk = ask(authors[3], body=RISK)
    newer_risk = ask(authors[4], body=RISK + " Really.")
    flags.file_flag(authors[5], "question", flagged.id, "hurtful")
    commit_unit_of_work()
    routine_again = ask(authors[0], body="A second, ordinary question about homework.")
    _age(open_item("question", routine.id).id, 60)
    _age(open_item("question", older_risk.id).id, 30)
    order = [(e.item.content_id, e.item.priority) for e in queue.open_queue(moderator)]
    assert order == [
        (older_risk.id, Priority.RISK),
        (newer_risk.id, Priority.RISK),
        (identifying.id, Priority.IDENTIFYING),
        (flagged.id, Priority.FLAGGED),
        (routine.id, Priority.ROUTINE),
        (routine_again.id, Priority.ROUTINE),
    ]


def test_the_queue_shows_reasons_and_history_in_counts_never_an_address(
    client, youth, other_youth, moderator, login, ask
):
    earlier = ask(youth, body="An earlier question that a moderator turned down.")
    decisions.reject(open_item("question", earlier.id).id, moderator, "unclear")
    ask(youth, body="Another earlier one, approved this time by a moderator.")
    approve_open(moderator)
    ask(youth, body=PHONE)
    login(moderator)
    page = client.get("/moderation/", environ_base={"REMOTE_ADDR": "203.0.113.77"})
    assert "Phone number" in page.text
    assert "1 approved, 1 not published" in page.text
    assert "203.0.113.77" not in page.text


def test_a_claim_keeps_other_moderators_off_until_it_expires(
    app, youth, moderator, create_user, ask
):
    other = create_user(role=Role.MODERATOR, pseudonym="Moderator Kim")
    item = open_item("question", ask(youth).id)
    claims.claim(item.id, other)
    commit_unit_of_work()
    with pytest.raises(Conflict, match="Moderator Kim is looking"):
        claims.claim(item.id, moderator)
    with pytest.raises(Conflict, match="Moderator Kim is looking"):
        moderation.approve(item.id, moderator)
    with pytest.raises(Conflict):
        decisions.reject(item.id, moderator, "unclear")
    [entry] = queue.open_queue(moderator)
    assert entry.claimed_by_other
    db.session.execute(
        update(QueueItem)
        .where(QueueItem.id == item.id)
        .values(claimed_until=utcnow() - timedelta(seconds=1))
    )
    commit_unit_of_work()
    claims.claim(item.id, moderator)  # the claim ran out
    with pytest.raises(Conflict):
        moderation.approve(item.id, other)
    moderation.approve(item.id, moderator)
    commit_unit_of_work()
    assert open_item("question", item.content_id) is None


def test_releasing_a_claim_and_claiming_ones_own_post(app, youth, moderator, create_user, ask):
    other = create_user(role=Role.MODERATOR)
    item = open_item("question", ask(youth).id)
    claims.claim(item.id, moderator)
    claims.release(item.id, moderator)
    claims.claim(item.id, other)
    own = ask(moderator, body="A moderator can ask a question too, like anyone.")
    with pytest.raises(NotAllowed):
        claims.claim(open_item("question", own.id).id, moderator)


def test_claiming_in_the_queue_page_opens_the_item(client, youth, moderator, login, ask):
    item = open_item("question", ask(youth).id)
    login(moderator)
    response = client.post(f"/moderation/items/{item.id}/claim")
    assert response.status_code == 302 and response.location.endswith(f"/items/{item.id}")
    page = client.get(f"/moderation/items/{item.id}")
    assert "You are looking at this until" in page.text


def test_redaction_keeps_both_versions_tells_the_author_and_publishes(
    client, youth, moderator, admin, login, ask
):
    question = ask(youth, body=PHONE)
    item = open_item("question", question.id)
    login(moderator)
    unchanged = client.post(
        f"/moderation/items/{item.id}/redact",
        data={"x-title": question.title, "x-body": PHONE},
    )
    assert unchanged.status_code == 422 and "Nothing was changed" in unchanged.text
    redacted = "Can someone text me? My number is [removed], I feel so alone."
    response = client.post(
        f"/moderation/items/{item.id}/redact",
        data={"x-title": question.title, "x-body": redacted, "x-note": "No phone numbers."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    question = db.session.get(type(question), question.id)
    assert question.status is ContentStatus.PUBLISHED and question.body_source == redacted
    decided = db.session.get(QueueItem, item.id)
    assert decided.state is QueueState.APPROVED and decided.reason_code == "redacted"
    assert decided.decided_at >= question.edited_at
    record = db.session.scalar(select(Redaction))
    assert (record.original_body, record.redacted_body) == (PHONE, redacted)
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "question.redacted"))
    assert (audit.object_type, audit.object_id) == ("redaction", record.id)
    assert "20 30" not in (audit.reason or "")
    told = db.session.scalar(select(Notification).where(Notification.recipient_id == youth.id))
    assert told.kind == "moderation.redacted"
    assert client.get(f"/admin/audit/redactions/{record.id}").status_code == 403
    client.post("/log-out")
    login(youth)
    assert "took out a part that could show who you are" in client.get("/me/posts").text
    client.post("/log-out")
    login(admin)
    page = client.get(f"/admin/audit/redactions/{record.id}")
    assert PHONE in page.text and redacted in page.text


def test_redaction_follows_the_kinds_rules(app, youth, moderator, ask):
    item = open_item("question", ask(youth, body=PHONE).id)
    with pytest.raises(DomainError):
        decisions.redact(item.id, moderator, "Short", "too short")
    db.session.rollback()


def test_escalation_reaches_only_safeguarding_staff(
    client, youth, moderator, safeguarder, login, ask
):
    question = ask(youth, body=RISK)
    item = open_item("question", question.id)
    login(moderator)
    empty = client.post(f"/moderation/items/{item.id}/escalate", data={"e-note": ""})
    assert empty.status_code == 422
    client.post(
        f"/moderation/items/{item.id}/escalate",
        data={"e-note": "Talks about wanting to die; please follow up."},
    )
    escalation = db.session.scalar(select(Escalation))
    assert escalation.subject_id == youth.id and escalation.resolved_at is None
    with pytest.raises(Conflict):
        safeguarding.escalate(item.id, moderator, "again")
    assert client.get("/safeguarding/").status_code == 403
    client.post("/log-out")
    login(safeguarder)
    page = client.get("/safeguarding/")
    assert "please follow up" in page.text and question.title in page.text
    assert "1 open" in client.get("/").text  # the header tells safeguarding staff
    bad = client.post(f"/safeguarding/{escalation.id}/resolve", data={})
    assert bad.status_code == 422
    client.post(
        f"/safeguarding/{escalation.id}/resolve",
        data={f"g{escalation.id}-outcome": "signposted", f"g{escalation.id}-note": "Sent lines."},
    )
    db.session.expire_all()
    assert db.session.get(Escalation, escalation.id).resolved_by_id == safeguarder.id
    assert "Nobody is waiting" in client.get("/safeguarding/").text


def test_moderators_see_risk_in_the_header(client, youth, moderator, login, ask):
    ask(youth, body=RISK)
    login(moderator)
    assert "1 at risk" in client.get("/").text
    client.post("/log-out")
    login(youth)
    assert "at risk" not in client.get("/").text


def test_the_dashboard_counts(client, create_user, moderator, login, ask):
    authors = [create_user() for _ in range(3)]
    first = ask(authors[0])
    _age(open_item("question", first.id).id, 90)
    approve_open(moderator)
    ask(authors[1], body=RISK)
    ask(authors[2])
    board = dashboard.dashboard(moderator)
    counts = dict(board.open_by_priority)
    assert board.open_total == 2 and list(counts.values()) == [1, 0, 0, 1]
    assert board.oldest_age is not None and board.oldest_age < timedelta(minutes=5)
    assert timedelta(minutes=89) < board.median_to_decision < timedelta(minutes=91)
    assert board.decisions_per_day[-1][1] == 1 and len(board.decisions_per_day) == 7
    login(moderator)
    page = client.get("/moderation/dashboard")
    assert page.status_code == 200 and "Median time to a decision" in page.text


def test_only_staff_reach_the_moderation_pages(client, youth, login, ask):
    item = open_item("question", ask(youth).id)
    login(youth)
    for url in ("/moderation/", "/moderation/dashboard", f"/moderation/items/{item.id}"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/moderation/items/{item.id}/claim").status_code == 403
    assert client.get(f"/moderation/users/{youth.id}").status_code == 403
    assert client.get("/safeguarding/").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
