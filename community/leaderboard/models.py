"""The reputation ledger (append-only, the source of truth) and standings derived from it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.clock import utcnow
from community.extensions import db, enum_type
from community.leaderboard.rules import EventKind


class ReputationEvent(db.Model):
    """One thing that earned (or, later, took back) points. Rows are never changed."""

    __tablename__ = "reputation_events"
    # One event of a kind per assist: jobs that run twice can't award twice.
    __table_args__ = (UniqueConstraint("kind", "assist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind, 32))
    points: Mapped[int]
    assist_id: Mapped[int | None] = mapped_column(ForeignKey("assists.id"))
    note: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ReputationEvent {self.id} {self.kind.value} {self.points:+d} user={self.user_id}>"


class Standing(db.Model):
    """A ranked user's running total; rebuilt from the ledger by ``flask leaderboard rebuild``."""

    __tablename__ = "standings"
    __table_args__ = (Index("ix_standings_rank", "points", "reached_at", "user_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    points: Mapped[int] = mapped_column(default=0)
    reached_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Standing user={self.user_id} {self.points}>"
