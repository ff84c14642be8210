"""Questions young people ask."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.posts import ModeratedPost
from community.extensions import Model, enum_type
from community.questions.topics import Topic

TITLE_MIN, TITLE_MAX = 10, 150
BODY_MIN, BODY_MAX = 20, 5000


class Question(ModeratedPost, Model):
    __tablename__ = "questions"
    __table_args__ = (
        # The public list: published questions, newest first, optionally by topic.
        Index("ix_questions_status_published", "status", "published_at", "id"),
        Index("ix_questions_status_topic_published", "status", "topic", "published_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    topic: Mapped[Topic] = mapped_column(enum_type(Topic, 16))
    # Kept by the assists feature when an assist is published; lets "unanswered" use an index.
    published_assist_count: Mapped[int] = mapped_column(default=0)
    # When its author deleted it; moderators can read it until the retention period ends.
    deleted_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.status.value}>"
