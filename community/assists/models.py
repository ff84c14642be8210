"""Assists: answers young people give each other."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.clock import utcnow
from community.extensions import db, enum_type
from community.questions.models import Question
from moderation.models import ContentStatus

BODY_MIN, BODY_MAX = 10, 5000


class Assist(db.Model):
    __tablename__ = "assists"
    __table_args__ = (Index("ix_assists_question_status", "question_id", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[ContentStatus] = mapped_column(
        enum_type(ContentStatus, 16), default=ContentStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    # Set when the asker says "this helped"; only the asker can.
    helpful_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(lazy="raise")
    question: Mapped[Question] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Assist {self.id} on {self.question_id} {self.status.value}>"

    @property
    def is_published(self) -> bool:
        return self.status is ContentStatus.PUBLISHED
