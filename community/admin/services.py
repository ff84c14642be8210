"""What admins may see, and the numbers behind their pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, case, func, select

from community.accounts.models import Role, User
from community.core.clock import utcnow
from community.core.errors import NotAllowed
from community.core.outbox import OutboxEntry
from community.extensions import db


def check_is_admin(user: User | None) -> None:
    if user is None or user.role is not Role.ADMIN:
        raise NotAllowed()


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[str, int]
    problems: Sequence[OutboxEntry] = field(default_factory=list)
    rq_failed: int | None = None


def outbox_summary() -> OutboxSummary:
    """Counts of jobs by state, the latest problems, and RQ's failed registry size (one query
    for the counts, one for the problems)."""
    lost = utcnow() - timedelta(seconds=current_app.config["JOB_VISIBILITY_TIMEOUT_SECONDS"])
    waiting = and_(OutboxEntry.done_at.is_(None), OutboxEntry.failed_at.is_(None))
    row = db.session.execute(
        select(
            func.count(case((waiting, 1))),
            func.count(case((and_(waiting, OutboxEntry.dispatched_at < lost), 1))),
            func.count(case((and_(waiting, OutboxEntry.last_error.is_not(None)), 1))),
            func.count(case((OutboxEntry.failed_at.is_not(None), 1))),
            func.count(case((OutboxEntry.done_at.is_not(None), 1))),
        )
    ).one()
    counts = dict(zip(("waiting", "stuck", "retrying", "failed", "done"), row, strict=True))
    problems = db.session.scalars(
        select(OutboxEntry)
        .where(OutboxEntry.done_at.is_(None), OutboxEntry.last_error.is_not(None))
        .order_by(OutboxEntry.id.desc())
        .limit(50)
    ).all()
    return OutboxSummary(counts=counts, problems=problems, rq_failed=_rq_failed())


def _rq_failed() -> int | None:
    if current_app.config["JOBS_BACKEND"] != "rq":
        return None
    from redis.exceptions import RedisError

    from community.core.jobs import get_queue

    try:
        return get_queue().failed_job_registry.count
    except RedisError:
        return None
