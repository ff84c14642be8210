"""Assists: answers young people give each other."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.posts import ModeratedPost
from community.extensions import Model
from community.questions.models import Question

BODY_MIN, BODY_MAX = 10, 5000


class Assist(ModeratedPost, Model):
    __tablename__ = "assists"
    __table_args__ = (Index("ix_assists_question_status", "question_id", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Set when the asker says "this helped"; only the asker can.
    helpful_at: Mapped[datetime | None]
    # Written by the coach the asker chose for this thread (set by the coaches feature).
    is_coach_reply: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When its author deleted it; moderators can read it until the retention period ends.
    deleted_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(lazy="raise")
    question: Mapped[Question] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Assist {self.id} on {self.question_id} {self.status.value}>"
