"""The moderators' dashboard: queue length by priority, the oldest item's age, the median time
to a decision and decisions per day, in a constant number of queries."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from community.core.clock import utcnow
from community.extensions import db
from moderation.access import Actor
from moderation.audit import record_audit
from moderation.models import Escalation, Priority, QueueItem, QueueState
from moderation.queue import open_counts_by_priority
from moderation.wording import PRIORITY_LABELS


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
