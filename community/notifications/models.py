"""Notifications: who is told what happened to which object. Never any post text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from community.core.clock import utcnow
from community.extensions import Model


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # The bell: unread ones of one person. The list: one person's, newest first.
        Index("ix_notifications_recipient_read", "recipient_id", "read_at"),
        Index("ix_notifications_recipient_created", "recipient_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))  # a registered NotificationType's name
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def __repr__(self) -> str:
        state = "unread" if self.read_at is None else "read"
        return f"<Notification {self.id} {self.kind} to {self.recipient_id} {state}>"
