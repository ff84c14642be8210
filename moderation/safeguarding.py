"""Safeguarding: a moderator asks the safeguarding team (role ``safeguarding``) to look after
the person behind a queue item; the team sees open escalations on their own page and
closes each with what was done. Every step, and every look, is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from community.core.clock import utcnow
from community.core.errors import Conflict, DomainError, NotFound
from community.extensions import db, rows_changed
from moderation.access import Actor, check_can_moderate, check_can_safeguard
from moderation.audit import record_audit
from moderation.decisions import clean_note
from moderation.models import Escalation, EscalationOutcome, Priority, QueueItem, QueueState
from moderation.queue import QueueEntry, queue_entries

ESCALATION_NOTE_MAX = 1000


def escalate(item_id: int, actor: Actor, note: str) -> Escalation:
    """Ask safeguarding staff to look after the person behind a queue item."""
    check_can_moderate(actor)
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise NotFound()
    note = clean_note(note, limit=ESCALATION_NOTE_MAX)
    if not note:
        raise DomainError(_l("Write what worries you."), field="note")
    already = db.session.scalar(
        select(Escalation.id).where(
            Escalation.queue_item_id == item.id, Escalation.resolved_at.is_(None)
        )
    )
    if already is not None:
        raise Conflict(_l("The safeguarding team has this one already."))
    escalation = Escalation(
        queue_item_id=item.id, subject_id=item.author_id, note=note, created_by_id=actor.id
    )
    db.session.add(escalation)
    if item.state is QueueState.OPEN:
        item.priority = Priority.RISK
    db.session.flush()
    record_audit(actor.id, "queue_item.escalated", "queue_item", item.id, f"#{escalation.id}")
    return escalation


@dataclass(frozen=True)
class EscalationEntry:
    escalation: Escalation
    entry: QueueEntry


def open_escalations(actor: Actor) -> list[EscalationEntry]:
    """Open escalations, oldest first, with the post and the person's history; audited."""
    check_can_safeguard(actor)
    escalations = db.session.scalars(
        select(Escalation)
        .options(
            joinedload(Escalation.queue_item).joinedload(QueueItem.claimed_by),
            joinedload(Escalation.subject),
            joinedload(Escalation.created_by),
        )
        .where(Escalation.resolved_at.is_(None))
        .order_by(Escalation.created_at, Escalation.id)
        .limit(100)
    ).all()
    entries = queue_entries([e.queue_item for e in escalations], actor.id)
    shown = ",".join(str(e.id) for e in escalations)
    record_audit(
        actor.id,
        "safeguarding.viewed",
        "escalations",
        len(escalations),
        f"escalations: {shown}" if shown else None,
    )
    return [
        EscalationEntry(escalation, entry)
        for escalation, entry in zip(escalations, entries, strict=True)
    ]


def resolve_escalation(escalation_id: int, actor: Actor, outcome: str, note: str) -> Escalation:
    """Close an escalation with what was done."""
    check_can_safeguard(actor)
    escalation = db.session.get(Escalation, escalation_id)
    if escalation is None:
        raise NotFound()
    try:
        chosen = EscalationOutcome(outcome)
    except ValueError:
        raise DomainError(_l("Choose what happened."), field="outcome") from None
    note = clean_note(note, limit=ESCALATION_NOTE_MAX)
    result = db.session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.resolved_at.is_(None))
        .values(
            resolved_at=utcnow(), resolved_by_id=actor.id, outcome=chosen, outcome_note=note or None
        )
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        raise Conflict(_l("Someone has closed this one already."))
    db.session.refresh(escalation)
    record_audit(actor.id, "escalation.resolved", "escalation", escalation.id, chosen.value)
    return escalation
