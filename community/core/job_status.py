"""What ``flask jobs status`` shows: every unfinished job in exactly one state.

* ``waiting``: not handed over yet (no Redis, or just queued in process);
* ``retrying``: failed, waiting for its backoff;
* ``queued in Redis``: Redis holds it; a worker will take it;
* ``running``: a worker has it, for less than ``JOB_VISIBILITY_TIMEOUT_SECONDS``;
* ``late``: handed over longer ago than that and still queued or running;
* ``lost by Redis``: handed over, but Redis no longer has it (the sweeper hands it over
  again on its next round);
* ``unknown``: handed over, and Redis can't be asked right now;
* ``failed``: given up after ``MAX_ATTEMPTS`` failed runs (shown to admins);
* ``done``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from community.core import delivery
from community.core.clock import utcnow
from community.core.delivery import WAITING_IN_REDIS, rq_statuses
from community.core.outbox import OutboxEntry

STATES = (
    "waiting",
    "retrying",
    "queued in Redis",
    "running",
    "late",
    "lost by Redis",
    "unknown",
    "failed",
    "done",
)


def _count(condition) -> int:
    from community.extensions import db

    return db.session.scalar(select(func.count()).select_from(OutboxEntry).where(condition)) or 0


def outbox_states(app: Flask, limit: int = 10000) -> dict[str, int]:
    from community.extensions import db

    counts = dict.fromkeys(STATES, 0)
    now = utcnow()
    counts["done"] = _count(OutboxEntry.done_at.is_not(None))
    counts["failed"] = _count(OutboxEntry.failed_at.is_not(None))
    rows = db.session.execute(
        select(
            OutboxEntry.id,
            OutboxEntry.deliveries,
            OutboxEntry.dispatched_at,
            OutboxEntry.available_at,
        )
        .where(OutboxEntry.done_at.is_(None), OutboxEntry.failed_at.is_(None))
        .order_by(OutboxEntry.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    handed = [row for row in rows if row.dispatched_at is not None]
    for row in rows:
        if row.dispatched_at is None:
            counts["waiting" if row.available_at <= now else "retrying"] += 1
    if not handed:
        return counts
    try:
        statuses = rq_statuses(app, handed)
    except Exception:  # noqa: BLE001 - Redis unreachable (or no Redis back end)
        counts["unknown"] += len(handed)
        return counts
    late = now - timedelta(seconds=app.config["JOB_VISIBILITY_TIMEOUT_SECONDS"])
    settling = now - timedelta(seconds=delivery.SETTLE_SECONDS)
    for row, status in zip(handed, statuses, strict=True):
        if status is None or status == "finished":
            counts["queued in Redis" if row.dispatched_at >= settling else "lost by Redis"] += 1
        elif row.dispatched_at < late and (status in WAITING_IN_REDIS or status == "started"):
            counts["late"] += 1
        elif status in WAITING_IN_REDIS:
            counts["queued in Redis"] += 1
        elif status == "started":
            counts["running"] += 1
        else:
            counts["retrying"] += 1  # failed in RQ; the sweeper records it and retries
    return counts
