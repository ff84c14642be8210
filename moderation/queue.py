"""Reading the queue: open items by priority (risk, identifying information, flags, the rest),
oldest first within one, each with its preview, what screening found, its flags and the
author's history in counts (never an address). Every look is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from community.accounts.models import AgeBand, User
from community.core.clock import utcnow
from community.core.errors import NotFound
from community.extensions import db
from moderation.access import Actor, can_moderate, can_safeguard, check_can_moderate
from moderation.audit import record_audit
from moderation.models import (
    Escalation,
    Flag,
    FlagReason,
    Priority,
    QueueItem,
    QueueOrigin,
    QueueState,
    Sanction,
    ScreeningMark,
    ScreeningVerdict,
)
from moderation.registry import Preview, Source, all_kinds, find_kind, load_previews, load_sources
from moderation.screening_marks import mark_of, verdicts_for
from moderation.wording import FLAG_LABELS, PRIORITY_LABELS, reason_label


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
    # The author's age band, for moderators deciding how to respond (staff have none).
    author_age_band: AgeBand | None = None

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


def age_bands(author_ids: Sequence[int]) -> dict[int, AgeBand]:
    """Each author's age band, for those who have one (one query)."""
    if not author_ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.age_band).where(
            User.id.in_(set(author_ids)), User.age_band.is_not(None)
        )
    ).all()
    return {user_id: band for user_id, band in rows if band is not None}


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


def queue_entries(items: Sequence[QueueItem], viewer_id: int) -> list[QueueEntry]:
    """Queue entries with everything loaded in a constant number of queries (not audited:
    the caller audits what it shows)."""
    previews = _previews_for(items)
    ids = [item.id for item in items]
    histories = author_histories([item.author_id for item in items])
    bands = age_bands([item.author_id for item in items])
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
            author_age_band=bands.get(item.author_id),
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
    entries = queue_entries(items, actor.id)
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
    screening_mark: ScreeningMark | None = None  # a moderator's word on screening's result
    screening_verdicts: tuple[ScreeningVerdict, ...] = ()  # what can be marked here


def item_detail(item_id: int, actor: Actor) -> ItemDetail:
    """One queue item with everything a decision needs; looking is audited."""
    check_can_moderate(actor)
    item = db.session.scalar(
        select(QueueItem).options(joinedload(QueueItem.claimed_by)).where(QueueItem.id == item_id)
    )
    if item is None:
        raise NotFound()
    entry = queue_entries([item], actor.id)[0]
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
        screening_mark=mark_of(item.id),
        screening_verdicts=verdicts_for(item) if item.author_id != actor.id else (),
    )
