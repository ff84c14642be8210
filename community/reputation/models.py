"""Reputation: the append-only ledger (the source of truth), the standings derived from it,
and what the anti-farming checks keep (hashed addresses, ring reports)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.clock import utcnow
from community.extensions import Model, enum_type
from community.questions.topics import Topic
from community.reputation.rules import EventKind, Withheld


class ReputationEvent(Model):
    """One thing that earned, took back or gave back points. Rows are never changed or removed.

    A correction is a new row (a compensating kind) whose ``compensates_id`` names the
    original event; it copies the original's ``topic`` and ``counted_at`` so it counts on
    the same boards.
    """

    __tablename__ = "reputation_events"
    __table_args__ = (
        Index("ix_reputation_events_user_created", "user_id", "created_at"),
        Index("ix_reputation_events_kind_created", "kind", "created_at"),
        Index("ix_reputation_events_counted_at", "counted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Idempotency: one key per decision ("assist_helpful:42", "c:17:1" …), so a job that
    # runs twice, or two deliveries racing, can only write it once.
    key: Mapped[str] = mapped_column(String(48), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind, 32))
    points: Mapped[int]
    withheld: Mapped[Withheld | None] = mapped_column(enum_type(Withheld, 16))
    assist_id: Mapped[int | None] = mapped_column(ForeignKey("assists.id"), index=True)
    # The asker whose thread this happened on (for the address check and the ring check).
    asker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    topic: Mapped[Topic | None] = mapped_column(enum_type(Topic, 16))
    # Which week and month the points count for: the original event's time.
    counted_at: Mapped[datetime] = mapped_column(default=utcnow)
    compensates_id: Mapped[int | None] = mapped_column(
        ForeignKey("reputation_events.id"), index=True
    )
    ring_report_id: Mapped[int | None] = mapped_column(ForeignKey("ring_reports.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ReputationEvent {self.id} {self.kind.value} {self.points:+d} user={self.user_id}>"


class BoardStanding(Model):
    """A user's points on one board (``all``, ``all:school``, ``w2026-03``, ``m2026-01:love`` …).

    Derived from the ledger; ``flask leaderboard rebuild`` recomputes every row. ``order_key``
    (see :func:`community.reputation.rules.order_key`) sorts best first with one index.
    """

    __tablename__ = "board_standings"
    __table_args__ = (
        Index("ix_board_standings_rank", "board", "listed", "order_key", "user_id"),
        Index("ix_board_standings_user_id", "user_id"),
    )

    board: Mapped[str] = mapped_column(String(24), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    points: Mapped[int] = mapped_column(default=0)
    reached_at: Mapped[datetime] = mapped_column(default=utcnow)
    order_key: Mapped[int] = mapped_column(BigInteger)
    # Shown on the board: a young person, active, who chose to appear (or the default).
    listed: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<BoardStanding {self.board} user={self.user_id} {self.points}>"


class BoardPointCount(Model):
    """How many listed people have exactly *points* on a board: a histogram kept with the
    standings, so the SQL back end can tell someone's rank without counting everyone ahead
    (see :func:`community.reputation.boards.position`)."""

    __tablename__ = "board_point_counts"

    board: Mapped[str] = mapped_column(String(24), primary_key=True)
    points: Mapped[int] = mapped_column(primary_key=True)
    people: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<BoardPointCount {self.board} {self.points}: {self.people}>"


class BoardDayCount(Model):
    """How many listed people have *points* on a board and reached them on *day* (UTC).

    With :class:`BoardPointCount` it tells the SQL back end how many people are ahead of
    someone without counting them one by one: only people with the same points who got
    there the same day are counted in the index."""

    __tablename__ = "board_day_counts"

    board: Mapped[str] = mapped_column(String(24), primary_key=True)
    points: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    people: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<BoardDayCount {self.board} {self.points} {self.day}: {self.people}>"


class LeaderboardChoice(Model):
    """A person's own answer to "Do you want to be on the leaderboard?"."""

    __tablename__ = "leaderboard_choices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    appear: Mapped[bool]
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LeaderboardChoice user={self.user_id} appear={self.appear}>"


class AddressSighting(Model):
    """An account was seen at a network address: only a keyed hash, kept for a short window.

    The hash key changes every ISO week (:func:`community.core.privacy.weekly_address_hash`),
    so equal hashes mean "the same address in the same week" and nothing more.
    """

    __tablename__ = "address_sightings"
    __table_args__ = (
        UniqueConstraint("user_id", "address_hash"),
        Index("ix_address_sightings_hash", "address_hash"),
        Index("ix_address_sightings_last_seen", "last_seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    address_hash: Mapped[str] = mapped_column(String(32))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<AddressSighting user={self.user_id} {self.address_hash[:6]}…>"


class RingStatus(enum.Enum):
    OPEN = "open"  # points taken back; waiting for a moderator
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"  # points given back; the pairs are not reported again


class RingReport(Model):
    """A group of accounts whose "this helped" marks were far beyond chance."""

    __tablename__ = "ring_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[RingStatus] = mapped_column(enum_type(RingStatus, 16), default=RingStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    pairs: Mapped[list[RingReportPair]] = relationship(
        lazy="raise", back_populates="report", order_by="RingReportPair.id"
    )

    def __repr__(self) -> str:
        return f"<RingReport {self.id} {self.status.value}>"


class RingReportPair(Model):
    """The evidence for one pair: how many marks one asker gave one author, against chance."""

    __tablename__ = "ring_report_pairs"
    __table_args__ = (
        UniqueConstraint("report_id", "asker_id", "author_id"),
        Index("ix_ring_report_pairs_accounts", "asker_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("ring_reports.id"))
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    marks: Mapped[int]
    given: Mapped[int]  # all the marks the asker gave in the window
    expected: Mapped[float]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[RingReport] = relationship(lazy="raise", back_populates="pairs")
    asker: Mapped[User] = relationship(lazy="raise", foreign_keys=[asker_id])
    author: Mapped[User] = relationship(lazy="raise", foreign_keys=[author_id])

    def __repr__(self) -> str:
        return f"<RingReportPair {self.asker_id}->{self.author_id} x{self.marks}>"
