"""Moderation records: the queue of submissions and the append-only audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from community.clock import utcnow
from community.extensions import db, enum_type


class ContentStatus(enum.Enum):
    """Where a piece of user content stands; only ``PUBLISHED`` is ever shown to the public."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class QueueState(enum.Enum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    # The author edited the post before a decision: a new item replaced this one.
    SUPERSEDED = "superseded"


class QueueItem(db.Model):
    """One submission of one piece of content, waiting for (or holding) a decision."""

    __tablename__ = "queue_items"
    __table_args__ = (
        Index("ix_queue_items_state_submitted", "state", "submitted_at", "id"),
        Index("ix_queue_items_content", "content_type", "content_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(32))
    content_id: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[QueueState] = mapped_column(enum_type(QueueState, 16), default=QueueState.OPEN)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason_text: Mapped[str | None] = mapped_column(Text)
    # Filled by the screening job: when it ran, and the reasons it matched (comma-separated).
    screened_at: Mapped[datetime | None]
    screening_reasons: Mapped[str | None] = mapped_column(String(255))

    def __repr__(self) -> str:
        return f"<QueueItem {self.id} {self.content_type}:{self.content_id} {self.state.value}>"


class AuditEntry(db.Model):
    """An append-only record of a staff action: who did what to which object, why, when.

    It never holds post text or network addresses.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int]
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.object_type}:{self.object_id}>"
