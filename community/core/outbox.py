"""The job outbox: a row per queued job, written in the same transaction as the change.

A job is only ever lost if the change that queued it is lost too. After the
commit the row is handed to the back end; a sweeper hands over again any row
that was never delivered (Redis was down), that Redis lost (it restarted without its
data), whose delivery died (a worker was killed) or whose run failed (after a backoff).
``deliveries`` counts hand-overs and names each one (the RQ job id
``outbox-<id>-<deliveries>``); ``attempts`` counts failed runs only, so a job that waited
long behind others is never given up for it. The job marks its row done in its own
transaction, together with its side effects, so a second delivery of a job that already
ran finds the row done and does nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from community.core.clock import utcnow
from community.extensions import Model

MAX_ATTEMPTS = 8


class OutboxEntry(Model):
    __tablename__ = "job_outbox"
    __table_args__ = (Index("ix_job_outbox_due", "done_at", "failed_at", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    args: Mapped[str] = mapped_column(String(255), default="")  # comma-separated ids
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Not handed over again before this time (backoff after a failure).
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]
    deliveries: Mapped[int] = mapped_column(default=0, server_default="0")  # hand-overs
    attempts: Mapped[int] = mapped_column(default=0)  # failed runs
    done_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]  # gave up after MAX_ATTEMPTS; shown to admins
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        state = "done" if self.done_at else "failed" if self.failed_at else "waiting"
        return f"<OutboxEntry {self.id} {self.name}({self.args}) {state}>"

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.args.split(",") if part)
