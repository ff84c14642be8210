"""Lounge topics, their replies, and reports about them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.clock import utcnow
from community.core.posts import ModeratedPost
from community.extensions import Model

TITLE_MIN, TITLE_MAX = 5, 120
BODY_MIN, BODY_MAX = 2, 5000


class LoungePost(ModeratedPost, Model):
    """A topic (with a title) or a reply to one (``topic_id`` set).

    Posts are published when written; a moderator who upholds a report sets them to
    rejected, which hides them from everyone but their author.
    """

    __tablename__ = "lounge_posts"
    __table_args__ = (
        Index("ix_lounge_posts_topic_created", "topic_id", "created_at", "id"),
        Index("ix_lounge_posts_last_activity", "last_activity_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("lounge_posts.id"))
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    reply_count: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(lazy="raise")
    topic: Mapped[LoungePost | None] = relationship(remote_side="LoungePost.id", lazy="raise")

    @property
    def is_topic(self) -> bool:
        return self.topic_id is None

    def __repr__(self) -> str:
        return f"<LoungePost {self.id} in {self.topic_id or 'lounge'} {self.status.value}>"


class LoungeFlag(Model):
    """Someone in the lounge reported a post (once per person and post)."""

    __tablename__ = "lounge_flags"
    __table_args__ = (UniqueConstraint("post_id", "flagger_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("lounge_posts.id"))
    flagger_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LoungeFlag {self.id} on {self.post_id} by {self.flagger_id}>"
