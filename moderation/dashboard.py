"""The moderators' dashboard: queue length by priority, the oldest item's age, the median time
to a decision, decisions per day, and screening's misses and false alarms per language and
week (from moderators' marks), in a constant number of queries."""

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
from moderation.languages import language_name
from moderation.models import (
    Escalation,
    Priority,
    QueueItem,
    QueueState,
    ScreeningMark,
    ScreeningVerdict,
)
from moderation.queue import open_counts_by_priority
from moderation.wording import PRIORITY_LABELS

SCREENING_WEEKS = 8  # the weeks of screening feedback shown, this one included


@dataclass(frozen=True)
class ScreeningFeedback:
    """Moderators' marks on the posts sent in one ISO week in one language."""

    week: str  # ISO week, "2026-W48"
    week_starts: date  # its Monday (UTC)
    language: str | None  # the language code, None when nobody knew it
    language_name: str | None
    missed: int  # crises screening did not flag
    false_alarms: int  # flagged as a crisis, but it was not one


@dataclass(frozen=True)
class Dashboard:
    open_by_priority: Sequence[tuple[str, int]]  # (label, count), risk first
    open_total: int
    oldest_age: timedelta | None
    median_to_decision: timedelta | None  # over the last 7 days
    decisions_per_day: Sequence[tuple[date, int]]  # the last 7 days, oldest first
    open_escalations: int
    screening: Sequence[ScreeningFeedback] = ()  # newest week first
    screening_weeks: int = SCREENING_WEEKS
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
    screening = screening_feedback(now)
    record_audit(actor.id, "dashboard.viewed", "queue", sum(counts.values()))
    return Dashboard(
        open_by_priority=[(str(PRIORITY_LABELS[p]), counts.get(int(p), 0)) for p in Priority],
        open_total=sum(counts.values()),
        oldest_age=now - oldest if oldest is not None else None,
        median_to_decision=(timedelta(seconds=statistics.median(waits)) if waits else None),
        decisions_per_day=sorted(per_day.items()),
        open_escalations=escalations,
        screening=screening,
    )


def _monday(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def screening_feedback(now: datetime, weeks: int = SCREENING_WEEKS) -> list[ScreeningFeedback]:
    """Misses and false alarms per language and ISO week of the posts' arrival, over the last
    *weeks* weeks (one query). Marks count where the post was sent, so a late mark lands in
    the week screening read the post."""
    since = datetime.combine(_monday(now) - timedelta(weeks=weeks - 1), datetime.min.time())
    rows = db.session.execute(
        select(QueueItem.language, QueueItem.submitted_at, ScreeningMark.verdict)
        .join(ScreeningMark, ScreeningMark.queue_item_id == QueueItem.id)
        .where(QueueItem.submitted_at >= since)
        .limit(50_000)
    ).all()
    counts: dict[tuple[date, str | None], list[int]] = {}
    for language, submitted_at, verdict in rows:
        tally = counts.setdefault((_monday(submitted_at), language), [0, 0])
        tally[0 if verdict is ScreeningVerdict.MISSED else 1] += 1
    feedback = []
    for (monday, language), (missed, false_alarms) in counts.items():
        year, week, _ = monday.isocalendar()
        feedback.append(
            ScreeningFeedback(
                week=f"{year}-W{week:02d}",
                week_starts=monday,
                language=language,
                language_name=language_name(language),
                missed=missed,
                false_alarms=false_alarms,
            )
        )
    feedback.sort(key=lambda f: (-f.week_starts.toordinal(), f.language or "~"))
    return feedback
