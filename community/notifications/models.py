"""Notifications: who is told what happened to which object. Never any post text.

And who follows which question, so they hear about new assists on it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from community.core.clock import utcnow
from community.extensions import Model


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # The bell: unread ones of one person. The list: one person's, newest first.
        Index("ix_notifications_recipient_read", "recipient_id", "read_at"),
        Index("ix_notifications_recipient_created", "recipient_id", "created_at", "id"),
        # The purge: everything older than the retention time.
        Index("ix_notifications_created", "created_at"),
        # Taking back what was said about an assist a moderator removed.
        Index("ix_notifications_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))  # a registered NotificationType's name
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int]
    # The question (thread) the object belongs to, if any: the list groups by it. Only an id:
    # the title is looked up when its asker opens the list, and shown to nobody else.
    thread_id: Mapped[int | None]
    # A number that goes with the kind, e.g. the points "this helped" earned. Never text.
    amount: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def __repr__(self) -> str:
        state = "unread" if self.read_at is None else "read"
        return f"<Notification {self.id} {self.kind} to {self.recipient_id} {state}>"


class QuestionFollow(Model):
    """Someone follows a published question and hears about new assists on it."""

    __tablename__ = "question_follows"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<QuestionFollow {self.user_id} follows {self.question_id}>"
