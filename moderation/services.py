"""Moderation's service API: features submit content; moderators decide; everything is audited.

Nothing reaches the public before a moderator approves it (or, under the "new users only"
policy, before screening found nothing in a trusted author's post). A decision is applied
to the content through the :mod:`moderation.registry` callbacks, so this module never
imports a feature.

The queue is ordered by priority (risk, identifying information, flags, the rest), oldest
first within a priority. A moderator *claims* an item while they look at it, so two never
review the same post at once; claims expire after ``MODERATION_CLAIM_MINUTES``.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import joinedload

from community import jobs
from community.accounts.models import User
from community.clock import utcnow
from community.errors import Conflict, DomainError, NotAllowed, NotFound
from community.extensions import db
from moderation import policy, screening
from moderation.access import (
    Actor,
    can_moderate,
    can_safeguard,
    check_can_moderate,
    check_can_safeguard,
)
from moderation.audit import record_audit
from moderation.models import (
    ContentStatus,
    Escalation,
    EscalationOutcome,
    Flag,
    FlagReason,
    Priority,
    QueueItem,
    QueueOrigin,
    QueueState,
    Redaction,
    Sanction,
)
from moderation.registry import (
    Preview,
    Source,
    all_kinds,
    find_kind,
    get_kind,
    load_previews,
    load_sources,
)
from moderation.sanctions import can_post, check_can_log_in, check_can_post
from moderation.screeners import Finding, screen_text
from moderation.signals import content_redacted, content_removed, decision_made

FEEDBACK_KEY = "moderation.submitted"  # queue item ids submitted in this transaction
NOTE_MAX_LENGTH = 500
ESCALATION_NOTE_MAX = 1000
# Features call these through this module: may this person post, or log in, right now?
# (``screening`` is imported so its job is registered wherever services are.)
__all__ = ["can_post", "check_can_log_in", "check_can_post", "screening"]


@dataclass(frozen=True)
class RejectionReason:
    code: str
    label: object  # lazy string
    explanation: object  # what the author reads, in plain words


REJECTION_REASONS: tuple[RejectionReason, ...] = (
    RejectionReason(
        "identifying",
        _l("Could show who someone is"),
        _l(
            "Your post could show who you or someone else is. Leave out names, schools, "
            "places, usernames and contact details, then send it again."
        ),
    ),
    RejectionReason(
        "hurtful",
        _l("Could hurt someone"),
        _l("Your post could hurt or put someone down. Say it in a kinder way and send it again."),
    ),
    RejectionReason(
        "unsafe",
        _l("Risky advice"),
        _l("Your post gives advice that could be risky for someone's health or safety."),
    ),
    RejectionReason(
        "unclear",
        _l("Hard to understand"),
        _l("We couldn't tell what you mean. Try to say it in another way and send it again."),
    ),
    RejectionReason(
        "spam",
        _l("Advert or spam"),
        _l("Your post looks like an advert or spam."),
    ),
    RejectionReason(
        "other",
        _l("Something else"),
        _l("A moderator stopped your post. Read their note below."),
    ),
)
REASONS_BY_CODE = {reason.code: reason for reason in REJECTION_REASONS}

# What moderators read for each screening code and flag reason.
REASON_LABELS: dict[str, object] = {
    "risk.suicide": _l("Crisis words: suicide"),
    "risk.self_harm": _l("Crisis words: self-harm"),
    "risk.abuse": _l("Crisis words: abuse or violence"),
    "identifying.phone": _l("Phone number"),
    "identifying.email": _l("E-mail address"),
    "identifying.id_number": _l("ID number"),
    "identifying.handle": _l("Username on another app"),
    "identifying.link": _l("Link"),
    "identifying.address": _l("Street address"),
    "identifying.name": _l("Real name"),
    "spam.link_new_account": _l("Spam suspect: link from a new account"),
    "spam.repeated": _l("Spam suspect: the same text again"),
    "spam.too_fast": _l("Spam suspect: faster than anyone types"),
}
FLAG_LABELS: dict[FlagReason, object] = {
    FlagReason.SPAM: _l("It's spam or an advert"),
    FlagReason.HURTFUL: _l("It's hurtful or mean"),
    FlagReason.PERSONAL_INFO: _l("It shares personal information"),
    FlagReason.WORRIED: _l("I'm worried about the person who wrote it"),
    FlagReason.OTHER: _l("Something else"),
}
PRIORITY_LABELS: dict[int, object] = {
    Priority.RISK: _l("Risk"),
    Priority.IDENTIFYING: _l("Could show who someone is"),
    Priority.FLAGGED: _l("Flagged"),
    Priority.ROUTINE: _l("Everything else"),
}
# Why each kind of identifying information matters, for the author (plain words).
IDENTIFYING_WHY: dict[str, object] = {
    "phone": _l(
        "looks like a phone number. Anyone who reads it could call or text you, "
        "or find out who you are."
    ),
    "email": _l(
        "looks like an e-mail address. Strangers could write to you, and it often shows "
        "your real name."
    ),
    "id_number": _l("looks like a personal ID number. Never share it online."),
    "handle": _l(
        "looks like a username or an invitation to talk on another app. People could find "
        "you there, where no moderator can help."
    ),
    "link": _l("is a link. Links can lead to a profile or a page that shows who you are."),
    "address": _l("looks like an address. It can show where you live or spend your time."),
    "name": _l("looks like a real name. A name makes it easy to find out who someone is."),
}
ESCALATION_OUTCOMES: dict[EscalationOutcome, object] = {
    EscalationOutcome.CONTACTED: _l("We reached out to them"),
    EscalationOutcome.SIGNPOSTED: _l("We gave them helplines"),
    EscalationOutcome.REFERRED: _l("We passed it on (emergency services or child protection)"),
    EscalationOutcome.NO_ACTION: _l("No action needed"),
}


def reason_label(code: str) -> str:
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else code


# -- submitting --------------------------------------------------------------------------------


def submit(content_type: str, content_id: int, author_id: int) -> QueueItem:
    """Put content in the queue; any open item for the same content is superseded.

    The screening job runs after the commit; the author is told at once, from their own
    text, if it reads like a crisis or looks identifying (see :func:`author_feedback`).
    """
    get_kind(content_type)  # unknown kinds fail loudly here, not in the queue page
    _supersede_open(content_type, content_id)
    item = QueueItem(content_type=content_type, content_id=content_id, author_id=author_id)
    db.session.add(item)
    db.session.flush()
    jobs.enqueue("moderation.screen_submission", item.id)
    db.session.info.setdefault(FEEDBACK_KEY, []).append(item.id)
    return item


def _supersede_open(content_type: str, content_id: int) -> None:
    db.session.execute(
        update(QueueItem)
        .where(
            QueueItem.content_type == content_type,
            QueueItem.content_id == content_id,
            QueueItem.state == QueueState.OPEN,
        )
        .values(state=QueueState.SUPERSEDED, decided_at=utcnow())
    )


def approve_automatically(
    content_type: str,
    content_id: int,
    author_id: int,
    reason: str,
    decided_by_id: int | None = None,
) -> QueueItem:
    """Publish content a setting or a staff decision trusts, without waiting in the queue.

    It still gets an approved queue item and an audit row, so everything public has an
    approval on record. No :data:`decision_made` signal: nobody needs telling.
    """
    kind = get_kind(content_type)
    _supersede_open(content_type, content_id)
    item = QueueItem(
        content_type=content_type,
        content_id=content_id,
        author_id=author_id,
        state=QueueState.APPROVED,
        decided_at=utcnow(),
        decided_by_id=decided_by_id,
        reason_code=reason,
    )
    db.session.add(item)
    db.session.flush()
    kind.apply_status(content_id, ContentStatus.PUBLISHED)
    record_audit(decided_by_id, f"{content_type}.auto_approved", "queue_item", item.id, reason)
    db.session.flush()
    return item


def publish_if_trusted(item: QueueItem) -> bool:
    """After screening: publish a trusted author's post that screening found nothing in,
    if the policy is "new users only" and the kind allows it. Returns whether it did."""
    kind = find_kind(item.content_type)
    if (
        item.origin is not QueueOrigin.SUBMISSION
        or item.state is not QueueState.OPEN
        or item.reasons
        or policy.current_policy() != policy.NEW_USERS_ONLY
        or kind is None
        or not kind.trust_may_publish
        or not policy.is_trusted(item.author_id)
    ):
        return False
    result = db.session.execute(
        update(QueueItem)
        .where(QueueItem.id == item.id, QueueItem.state == QueueState.OPEN)
        .values(state=QueueState.APPROVED, decided_at=utcnow(), reason_code="trusted_author")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(item)
    kind.apply_status(item.content_id, ContentStatus.PUBLISHED)
    record_audit(
        None, f"{item.content_type}.auto_approved", "queue_item", item.id, "trusted_author"
    )
    db.session.flush()
    return True


# -- reading the queue -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorHistory:
    """What the author's earlier posts came to (never where they posted from)."""

    approved: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class FlagCount:
    reason: FlagReason
    label: str
    count: int


@dataclass(frozen=True)
class QueueEntry:
    item: QueueItem
    preview: Preview | None
    kind_label: str
    reasons: tuple[str, ...] = ()  # what screening found, as words
    flags: tuple[FlagCount, ...] = ()
    history: AuthorHistory = AuthorHistory()
    claimed_by_other: bool = False
    is_escalated: bool = False

    @property
    def priority_label(self) -> str:
        return str(PRIORITY_LABELS.get(self.item.priority, ""))


def author_histories(author_ids: Sequence[int]) -> dict[int, AuthorHistory]:
    """Approved and rejected posts per author (one query)."""
    if not author_ids:
        return {}
    approved = and_(
        QueueItem.state == QueueState.APPROVED, QueueItem.origin == QueueOrigin.SUBMISSION
    )
    rows = db.session.execute(
        select(
            QueueItem.author_id,
            func.count(case((approved, 1))),
            func.count(case((QueueItem.state == QueueState.REJECTED, 1))),
        )
        .where(QueueItem.author_id.in_(set(author_ids)))
        .group_by(QueueItem.author_id)
    ).all()
    return {author_id: AuthorHistory(a, r) for author_id, a, r in rows}


def _flag_counts(item_ids: Sequence[int]) -> dict[int, tuple[FlagCount, ...]]:
    if not item_ids:
        return {}
    rows = db.session.execute(
        select(Flag.queue_item_id, Flag.reason, func.count())
        .where(Flag.queue_item_id.in_(item_ids))
        .group_by(Flag.queue_item_id, Flag.reason)
    ).all()
    counts: dict[int, list[FlagCount]] = {}
    for item_id, reason, count in rows:
        counts.setdefault(item_id, []).append(FlagCount(reason, str(FLAG_LABELS[reason]), count))
    return {item_id: tuple(sorted(c, key=lambda f: -f.count)) for item_id, c in counts.items()}


def _escalated(item_ids: Sequence[int]) -> set[int]:
    if not item_ids:
        return set()
    return set(
        db.session.scalars(
            select(Escalation.queue_item_id).where(
                Escalation.queue_item_id.in_(item_ids), Escalation.resolved_at.is_(None)
            )
        )
    )


def _previews_for(items: Sequence[QueueItem]) -> dict[tuple[str, int], Preview]:
    by_kind: dict[str, list[int]] = {}
    for item in items:
        by_kind.setdefault(item.content_type, []).append(item.content_id)
    previews: dict[tuple[str, int], Preview] = {}
    for kind_name, ids in by_kind.items():
        for content_id, preview in load_previews(kind_name, ids).items():
            previews[(kind_name, content_id)] = preview
    return previews


def _entries(items: Sequence[QueueItem], viewer_id: int) -> list[QueueEntry]:
    """Queue entries with everything loaded in a constant number of queries."""
    previews = _previews_for(items)
    ids = [item.id for item in items]
    histories = author_histories([item.author_id for item in items])
    flags = _flag_counts(ids)
    escalated = _escalated(ids)
    kinds = all_kinds()
    now = utcnow()
    return [
        QueueEntry(
            item=item,
            preview=previews.get((item.content_type, item.content_id)),
            kind_label=str(kinds[item.content_type].label()) if item.content_type in kinds else "",
            reasons=tuple(reason_label(code) for code in item.reasons),
            flags=flags.get(item.id, ()),
            history=histories.get(item.author_id, AuthorHistory()),
            claimed_by_other=item.claimed_by_other(viewer_id, now),
            is_escalated=item.id in escalated,
        )
        for item in items
    ]


def open_queue(actor: Actor, limit: int = 50) -> list[QueueEntry]:
    """Open items by priority, oldest first within one; looking is audited."""
    check_can_moderate(actor)
    items = db.session.scalars(
        select(QueueItem)
        .options(joinedload(QueueItem.claimed_by))
        .where(QueueItem.state == QueueState.OPEN)
        .order_by(QueueItem.priority, QueueItem.submitted_at, QueueItem.id)
        .limit(limit)
    ).all()
    entries = _entries(items, actor.id)
    shown = ",".join(str(item.id) for item in items)
    record_audit(
        actor.id, "queue.viewed", "queue", len(items), f"items: {shown}" if shown else None
    )
    return entries


def open_count(actor: Actor) -> int:
    check_can_moderate(actor)
    return (
        db.session.scalar(
            select(func.count()).select_from(QueueItem).where(QueueItem.state == QueueState.OPEN)
        )
        or 0
    )


def open_counts_by_priority(actor: Actor) -> dict[int, int]:
    """Open items per priority (one query)."""
    check_can_moderate(actor)
    rows = db.session.execute(
        select(QueueItem.priority, func.count())
        .where(QueueItem.state == QueueState.OPEN)
        .group_by(QueueItem.priority)
    ).all()
    return {int(priority): count for priority, count in rows}


def alerts(actor: object | None) -> tuple[int, int]:
    """For the header: open risk items (moderators) and open escalations (safeguarding
    staff); zeros for everyone else. One query at most."""
    if not can_moderate(actor):
        return 0, 0
    risk = (
        select(func.count())
        .select_from(QueueItem)
        .where(QueueItem.state == QueueState.OPEN, QueueItem.priority == Priority.RISK)
    )
    if not can_safeguard(actor):
        return db.session.scalar(risk) or 0, 0
    escalations = (
        select(func.count()).select_from(Escalation).where(Escalation.resolved_at.is_(None))
    )
    row = db.session.execute(select(risk.scalar_subquery(), escalations.scalar_subquery())).one()
    return row[0] or 0, row[1] or 0


@dataclass(frozen=True)
class ItemDetail:
    entry: QueueEntry
    source: Source | None  # the author's text, for a redaction
    flags: Sequence[Flag]
    escalation: Escalation | None  # the open one, if any
    author: User | None
    active_sanctions: Sequence[Sanction]
    can_redact: bool
    can_decide: bool


def item_detail(item_id: int, actor: Actor) -> ItemDetail:
    """One queue item with everything a decision needs; looking is audited."""
    check_can_moderate(actor)
    item = db.session.scalar(
        select(QueueItem).options(joinedload(QueueItem.claimed_by)).where(QueueItem.id == item_id)
    )
    if item is None:
        raise NotFound()
    entry = _entries([item], actor.id)[0]
    kind = find_kind(item.content_type)
    source = load_sources(item.content_type, [item.content_id]).get(item.content_id)
    flags = db.session.scalars(
        select(Flag).where(Flag.queue_item_id == item.id).order_by(Flag.created_at, Flag.id)
    ).all()
    escalation = db.session.scalar(
        select(Escalation).where(
            Escalation.queue_item_id == item.id, Escalation.resolved_at.is_(None)
        )
    )
    now = utcnow()
    sanctions = db.session.scalars(
        select(Sanction).where(
            Sanction.user_id == item.author_id,
            Sanction.revoked_at.is_(None),
            Sanction.ends_at > now,
        )
    ).all()
    record_audit(actor.id, "queue_item.viewed", "queue_item", item.id)
    open_to_actor = (
        item.state is QueueState.OPEN
        and item.author_id != actor.id
        and not item.claimed_by_other(actor.id, now)
    )
    return ItemDetail(
        entry=entry,
        source=source,
        flags=flags,
        escalation=escalation,
        author=db.session.get(User, item.author_id),
        active_sanctions=sanctions,
        can_redact=open_to_actor and kind is not None and kind.write_redaction is not None,
        can_decide=open_to_actor,
    )


# -- claiming ----------------------------------------------------------------------------------


def _claim_free(actor_id: int, now: datetime):
    return or_(
        QueueItem.claimed_by_id.is_(None),
        QueueItem.claimed_until <= now,
        QueueItem.claimed_by_id == actor_id,
    )


def _conflict(item_id: int, actor_id: int, now: datetime) -> Conflict:
    """Why an open-item update found nothing to change."""
    item = db.session.scalar(
        select(QueueItem).options(joinedload(QueueItem.claimed_by)).where(QueueItem.id == item_id)
    )
    if item is None:
        return Conflict(_l("This post is gone."))
    if item.state is QueueState.SUPERSEDED:
        return Conflict(_l("The author changed this post. Look at the new version."))
    if item.state is not QueueState.OPEN:
        return Conflict(_l("Another moderator has already decided on this post."))
    if item.claimed_by_other(actor_id, now) and item.claimed_by is not None:
        return Conflict(
            _l(
                "%(name)s is looking at this post right now. Pick another one.",
                name=item.claimed_by.pseudonym,
            )
        )
    return Conflict()


def _get_open(item_id: int, actor: Actor) -> QueueItem:
    check_can_moderate(actor)
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise NotFound()
    if item.author_id == actor.id:
        raise NotAllowed(_l("You can't decide on your own post."))
    return item


def claim(item_id: int, actor: Actor) -> QueueItem:
    """Hold an open item for ``MODERATION_CLAIM_MINUTES`` so nobody else reviews it too."""
    item = _get_open(item_id, actor)
    now = utcnow()
    until = now + timedelta(minutes=current_app.config["MODERATION_CLAIM_MINUTES"])
    result = db.session.execute(
        update(QueueItem)
        .where(
            QueueItem.id == item_id,
            QueueItem.state == QueueState.OPEN,
            _claim_free(actor.id, now),
        )
        .values(claimed_by_id=actor.id, claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _conflict(item_id, actor.id, now)
    db.session.refresh(item)
    record_audit(actor.id, "queue_item.claimed", "queue_item", item.id)
    return item


def release(item_id: int, actor: Actor) -> QueueItem:
    """Let go of an item one holds (nothing happens if one doesn't)."""
    check_can_moderate(actor)
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise NotFound()
    db.session.execute(
        update(QueueItem)
        .where(QueueItem.id == item_id, QueueItem.claimed_by_id == actor.id)
        .values(claimed_by_id=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(item)
    record_audit(actor.id, "queue_item.released", "queue_item", item.id)
    return item


# -- deciding ----------------------------------------------------------------------------------


def _close(item: QueueItem, actor: Actor, state: QueueState, code: str | None, note: str | None):
    """Close an open item the actor may decide on (not claimed by someone else); atomic."""
    now = utcnow()
    result = db.session.execute(
        update(QueueItem)
        .where(
            QueueItem.id == item.id,
            QueueItem.state == QueueState.OPEN,
            _claim_free(actor.id, now),
        )
        .values(
            state=state,
            decided_at=now,
            decided_by_id=actor.id,
            reason_code=code,
            reason_text=note,
            claimed_by_id=None,
            claimed_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _conflict(item.id, actor.id, now)
    db.session.refresh(item)


def _resolve_flags(item: QueueItem) -> None:
    db.session.execute(
        update(Flag)
        .where(Flag.queue_item_id == item.id, Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _app():
    return current_app._get_current_object()  # type: ignore[attr-defined]


def _decide(item_id: int, actor: Actor, state: QueueState, code: str | None, note: str | None):
    item = _get_open(item_id, actor)
    _close(item, actor, state, code, note)
    status = ContentStatus.PUBLISHED if state is QueueState.APPROVED else ContentStatus.REJECTED
    get_kind(item.content_type).apply_status(item.content_id, status)
    flagged = item.origin is QueueOrigin.FLAGS
    if flagged:
        _resolve_flags(item)
    record_audit(actor.id, f"{item.content_type}.{state.value}", "queue_item", item.id, code)
    db.session.flush()
    details = {
        "content_type": item.content_type,
        "content_id": item.content_id,
        "author_id": item.author_id,
        "queue_item_id": item.id,
    }
    if not (flagged and state is QueueState.APPROVED):  # keeping a flagged post is news to nobody
        decision_made.send(_app(), decision=state.value, **details)
    if flagged and state is QueueState.REJECTED:
        content_removed.send(_app(), **details)
    return item


def approve(item_id: int, actor: Actor) -> QueueItem:
    """Publish the content behind an open queue item (for flags: keep it up, or bring it
    back if it was hidden)."""
    return _decide(item_id, actor, QueueState.APPROVED, None, None)


def _clean_note(note: str | None, field_name: str = "note", limit: int = NOTE_MAX_LENGTH) -> str:
    note = (note or "").strip()
    if len(note) > limit:
        raise DomainError(
            _l("Keep the note under %(max)d characters.", max=limit), field=field_name
        )
    return note


def reject(item_id: int, actor: Actor, reason_code: str, note: str = "") -> QueueItem:
    """Turn down an open queue item (for flags: take the post down), with a reason the
    author will read."""
    if reason_code not in REASONS_BY_CODE:
        raise DomainError(_l("Choose a reason."), field="reason")
    note = _clean_note(note)
    if reason_code == "other" and not note:
        raise DomainError(
            _l("Write a short note so the author knows what to change."), field="note"
        )
    return _decide(item_id, actor, QueueState.REJECTED, reason_code, note or None)


def redact(item_id: int, actor: Actor, title: str | None, body: str, note: str = "") -> QueueItem:
    """Publish a moderator's edit of the post that takes something out (usually something
    identifying). Both versions are kept (:class:`Redaction`); the author is told."""
    item = _get_open(item_id, actor)
    kind = get_kind(item.content_type)
    if kind.write_redaction is None:
        raise NotAllowed(_l("This kind of post can't be edited here."))
    note = _clean_note(note)
    original = load_sources(item.content_type, [item.content_id]).get(item.content_id)
    if original is None:
        raise NotFound()
    title = " ".join((title or "").split()) if original.title is not None else None
    body = (body or "").strip()
    if title == original.title and body == original.body.strip():
        raise DomainError(
            _l("Nothing was changed. Take something out, or approve it as it is."), field="body"
        )
    _close(item, actor, QueueState.APPROVED, "redacted", note or None)
    # The feature checks the lengths; a DomainError here rolls the whole request back.
    kind.write_redaction(item.content_id, Source(title, body, original.author_id))
    item.decided_at = utcnow()  # approved after the edit it approves
    redaction = Redaction(
        queue_item_id=item.id,
        content_type=item.content_type,
        content_id=item.content_id,
        moderator_id=actor.id,
        original_title=original.title,
        original_body=original.body,
        redacted_title=title,
        redacted_body=body,
    )
    db.session.add(redaction)
    kind.apply_status(item.content_id, ContentStatus.PUBLISHED)
    if item.origin is QueueOrigin.FLAGS:
        _resolve_flags(item)
    db.session.flush()
    record_audit(
        actor.id, f"{item.content_type}.redacted", "redaction", redaction.id, f"item #{item.id}"
    )
    db.session.flush()
    content_redacted.send(
        _app(),
        content_type=item.content_type,
        content_id=item.content_id,
        author_id=item.author_id,
        queue_item_id=item.id,
    )
    return item


# -- safeguarding ------------------------------------------------------------------------------


def escalate(item_id: int, actor: Actor, note: str) -> Escalation:
    """Ask safeguarding staff to look after the person behind a queue item."""
    check_can_moderate(actor)
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise NotFound()
    note = _clean_note(note, limit=ESCALATION_NOTE_MAX)
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
    entries = _entries([e.queue_item for e in escalations], actor.id)
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
    note = _clean_note(note, limit=ESCALATION_NOTE_MAX)
    result = db.session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.resolved_at.is_(None))
        .values(
            resolved_at=utcnow(), resolved_by_id=actor.id, outcome=chosen, outcome_note=note or None
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_l("Someone has closed this one already."))
    db.session.refresh(escalation)
    record_audit(actor.id, "escalation.resolved", "escalation", escalation.id, chosen.value)
    return escalation


# -- the dashboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    open_by_priority: Sequence[tuple[str, int]]  # (label, count), risk first
    open_total: int
    oldest_age: timedelta | None
    median_to_decision: timedelta | None  # over the last 7 days
    decisions_per_day: Sequence[tuple[date, int]]  # the last 7 days, oldest first
    open_escalations: int
    generated_at: datetime = field(default_factory=utcnow)


def dashboard(actor: Actor, days: int = 7) -> Dashboard:
    """Queue length by priority, the oldest item's age, the median time to a decision and
    decisions per day (a constant number of queries); looking is audited."""
    counts = open_counts_by_priority(actor)
    now = utcnow()
    oldest = db.session.scalar(
        select(func.min(QueueItem.submitted_at)).where(QueueItem.state == QueueState.OPEN)
    )
    since = now - timedelta(days=days)
    decided = db.session.execute(
        select(QueueItem.submitted_at, QueueItem.decided_at)
        .where(
            QueueItem.state.in_([QueueState.APPROVED, QueueState.REJECTED]),
            QueueItem.decided_by_id.is_not(None),
            QueueItem.decided_at >= since,
        )
        .limit(50_000)
    ).all()
    waits = [(d - s).total_seconds() for s, d in decided if d is not None and s is not None]
    per_day: dict[date, int] = {(now - timedelta(days=n)).date(): 0 for n in range(days)}
    for _, decided_at in decided:
        if decided_at is not None and decided_at.date() in per_day:
            per_day[decided_at.date()] += 1
    escalations = (
        db.session.scalar(
            select(func.count()).select_from(Escalation).where(Escalation.resolved_at.is_(None))
        )
        or 0
    )
    record_audit(actor.id, "dashboard.viewed", "queue", sum(counts.values()))
    return Dashboard(
        open_by_priority=[(str(PRIORITY_LABELS[p]), counts.get(int(p), 0)) for p in Priority],
        open_total=sum(counts.values()),
        oldest_age=now - oldest if oldest is not None else None,
        median_to_decision=(timedelta(seconds=statistics.median(waits)) if waits else None),
        decisions_per_day=sorted(per_day.items()),
        open_escalations=escalations,
    )


# -- a person's record (moderators) ------------------------------------------------------------


@dataclass(frozen=True)
class UserRecord:
    user: User
    history: AuthorHistory
    sanctions: Sequence[Sanction]
    next_silence_days: int
    next_suspend_days: int
    can_sanction: bool


def user_record(actor: Actor, user_id: int) -> UserRecord:
    """A person's moderation history and sanctions, for a moderator; audited."""
    from moderation import sanctions
    from moderation.models import SanctionKind

    check_can_moderate(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    try:
        sanctions.check_can_sanction(actor, user)  # type: ignore[arg-type]
        allowed = True
    except NotAllowed:
        allowed = False
    record_audit(actor.id, "user.viewed", "user", user.id)
    return UserRecord(
        user=user,
        history=author_histories([user.id]).get(user.id, AuthorHistory()),
        sanctions=sanctions.history(user.id),
        next_silence_days=sanctions.default_days(user.id, SanctionKind.SILENCE) or 1,
        next_suspend_days=sanctions.default_days(user.id, SanctionKind.SUSPEND) or 1,
        can_sanction=allowed,
    )


# -- what authors see --------------------------------------------------------------------------


def latest_decisions(content_type: str, content_ids: Sequence[int]) -> Mapping[int, QueueItem]:
    """The newest queue item for each content id (one query)."""
    if not content_ids:
        return {}
    newest = (
        select(func.max(QueueItem.id))
        .where(QueueItem.content_type == content_type, QueueItem.content_id.in_(content_ids))
        .group_by(QueueItem.content_id)
    )
    items = db.session.scalars(select(QueueItem).where(QueueItem.id.in_(newest))).all()
    return {item.content_id: item for item in items}


@dataclass(frozen=True)
class IdentifyingPart:
    excerpt: str  # the author's own words
    why: str


@dataclass(frozen=True)
class AuthorFeedback:
    """What the author is told about a post they just sent, from their own text."""

    kind_label: str
    url: str | None
    crisis: bool
    identifying: tuple[IdentifyingPart, ...]


def _parts(findings: Sequence[Finding]) -> tuple[IdentifyingPart, ...]:
    seen: set[str] = set()
    parts = []
    for finding in findings:
        if finding.excerpt.lower() in seen:
            continue
        seen.add(finding.excerpt.lower())
        parts.append(IdentifyingPart(finding.excerpt, str(IDENTIFYING_WHY.get(finding.kind, ""))))
    return tuple(parts)


def author_feedback(user: User | None, item_ids: Sequence[int]) -> list[AuthorFeedback]:
    """For each of *user*'s own queue items in *item_ids*: crisis language, and which parts
    look identifying and why. Computed from the author's text now; nothing is stored."""
    if user is None or not item_ids:
        return []
    items = db.session.scalars(
        select(QueueItem)
        .where(QueueItem.id.in_(item_ids), QueueItem.author_id == user.id)
        .order_by(QueueItem.id)
    ).all()
    kinds = all_kinds()
    feedback = []
    for item in items:
        if item.content_type not in kinds:
            continue
        source = load_sources(item.content_type, [item.content_id]).get(item.content_id)
        if source is None:
            continue
        found = screen_text(source.title, source.body)
        if not found.risk and not found.identifying:
            continue
        preview = load_previews(item.content_type, [item.content_id]).get(item.content_id)
        feedback.append(
            AuthorFeedback(
                kind_label=str(kinds[item.content_type].label()),
                url=preview.public_url if preview else None,
                crisis=found.is_risk,
                identifying=_parts(found.identifying),
            )
        )
    return feedback


def reads_like_crisis(*texts: str | None) -> bool:
    """Whether *texts* (e.g. what someone just typed into a form) read like a crisis."""
    return screen_text(*texts).is_risk


def record_pending_view(actor: User | None, content_type: str, content_id: int) -> None:
    """Features call this when a moderator opens content that isn't public yet."""
    if actor is not None and can_moderate(actor):
        record_audit(actor.id, "pending_content.viewed", content_type, content_id)
