"""Where standings live: every board in SQL, and, with Redis, a sorted set per board.

Boards
    ``all`` (all time), ``w2026-03`` (ISO week 3 of 2026), ``m2026-01`` (January 2026), each
    overall or for one topic (``all:school``, ``w2026-03:love`` …), in UTC. An event counts
    on the six boards of its ``counted_at`` and topic (:func:`keys_for`).

SQL (always)
    ``board_standings`` holds every user's points per board, with ``order_key``
    (:func:`community.reputation.rules.order_key`) and ``listed``; the index
    ``(board, listed, order_key, user_id)`` serves the top of a board. Two histograms kept
    in the same transaction (listed people per points, and per points and day) let an own
    rank count only one day's tie group (:func:`_sql_rank`). This is the fallback without
    Redis, and what Redis is built from.

Redis (when configured)
    A copy of every board as a sorted set, written after the commit
    (:mod:`community.reputation.redis_boards`). Reads ask Redis first; if it can't be
    reached, SQL answers.
"""

from __future__ import annotations

import enum
import logging
from calendar import monthrange
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from redis.exceptions import RedisError
from sqlalchemy import func, or_, select

from community.core.clock import utcnow
from community.extensions import db
from community.questions.topics import Topic
from community.reputation import redis_boards, rules
from community.reputation.models import BoardDayCount, BoardPointCount, BoardStanding
from community.reputation.redis_boards import uses_redis

log = logging.getLogger(__name__)


class Period(enum.Enum):
    WEEK = "week"
    MONTH = "month"
    ALL = "all"


@dataclass(frozen=True)
class Board:
    period: Period
    start: date | None = None  # first day of the week or month; None for all time
    topic: Topic | None = None

    @property
    def key(self) -> str:
        if self.period is Period.ALL or self.start is None:
            base = "all"
        elif self.period is Period.WEEK:
            year, week, _ = self.start.isocalendar()
            base = f"w{year}-{week:02d}"
        else:
            base = f"m{self.start.year}-{self.start.month:02d}"
        return f"{base}:{self.topic.value}" if self.topic else base

    @property
    def ends_at(self) -> datetime | None:
        """When the board's period is over (None for all time)."""
        if self.start is None:
            return None
        if self.period is Period.WEEK:
            end = self.start + timedelta(days=7)
        else:
            end = self.start + timedelta(days=monthrange(self.start.year, self.start.month)[1])
        return datetime(end.year, end.month, end.day)


def board_for(period: Period, topic: Topic | None = None, when: datetime | None = None) -> Board:
    """The board of *period* (and *topic*) that *when* (default: now) falls in."""
    moment = (when or utcnow()).date()
    if period is Period.ALL:
        return Board(Period.ALL, None, topic)
    if period is Period.WEEK:
        return Board(Period.WEEK, moment - timedelta(days=moment.weekday()), topic)
    return Board(Period.MONTH, moment.replace(day=1), topic)


def boards_for(counted_at: datetime, topic: Topic | None) -> list[Board]:
    """Every board an event counted at *counted_at* on *topic* adds to."""
    topics: tuple[Topic | None, ...] = (None, topic) if topic else (None,)
    return [board_for(period, t, counted_at) for period in Period for t in topics]


def keys_for(counted_at: datetime, topic: Topic | None) -> list[str]:
    return [board.key for board in boards_for(counted_at, topic)]


# -- writing -----------------------------------------------------------------------------------


def add_points(
    user_id: int, keys: Sequence[str], points: int, at: datetime, listed: bool
) -> list[BoardStanding]:
    """Add *points* reached *at* to the user's row on each board in *keys* (SQL now, Redis
    after commit). Callers serialise writes per user (:mod:`community.reputation.locks`)."""
    rows = {
        row.board: row
        for row in db.session.scalars(
            select(BoardStanding).where(
                BoardStanding.user_id == user_id, BoardStanding.board.in_(keys)
            )
        )
    }
    changed, counts = [], Histograms()
    for key in keys:
        row = rows.get(key)
        if row is None:
            row = BoardStanding(board=key, user_id=user_id, points=0, reached_at=at, listed=False)
            db.session.add(row)
        _count(counts, row, -1)
        row.points += points
        row.reached_at = max(row.reached_at, at)
        row.order_key = rules.order_key(row.points, row.reached_at)
        row.listed = listed
        _count(counts, row, +1)
        changed.append(row)
    db.session.flush()
    _bump(counts)
    redis_boards.mirror(changed)
    return changed


def set_listed(user_id: int, listed: bool) -> int:
    """Show or hide one user on every board they have points on; returns rows touched."""
    rows = db.session.scalars(select(BoardStanding).where(BoardStanding.user_id == user_id)).all()
    counts = Histograms()
    for row in rows:
        _count(counts, row, -1)
        row.listed = listed
        _count(counts, row, +1)
    db.session.flush()
    _bump(counts)
    redis_boards.mirror(rows)
    return len(rows)


@dataclass
class Histograms:
    """Pending changes to the two histograms: people per (board, points) and per
    (board, points, day they reached them)."""

    points: Counter = field(default_factory=Counter)
    days: Counter = field(default_factory=Counter)


def _count(counts: Histograms, row: BoardStanding, sign: int) -> None:
    if row.listed and row.points > 0:
        counts.points[(row.board, row.points)] += sign
        counts.days[(row.board, row.points, row.reached_at.date())] += sign


def _bump(counts: Histograms) -> None:
    """Apply changes to the histograms, in key order (two writers never deadlock)."""
    _upsert(
        BoardPointCount,
        ["board", "points"],
        [
            {"board": b, "points": p, "people": d}
            for (b, p), d in sorted(counts.points.items())
            if d
        ],
    )
    _upsert(
        BoardDayCount,
        ["board", "points", "day"],
        [
            {"board": b, "points": p, "day": day, "people": d}
            for (b, p, day), d in sorted(counts.days.items())
            if d
        ],
    )


def _upsert(model, keys: list[str], changes: list[dict]) -> None:
    if not changes:
        return
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model)
    statement = statement.on_conflict_do_update(
        index_elements=keys, set_={"people": model.people + statement.excluded.people}
    )
    db.session.execute(statement, changes)


# -- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    rank: int  # 1 = first; for someone not listed, where they would be
    points: int
    listed: bool


def top(board_key: str, limit: int) -> list[tuple[int, int]]:
    """(user_id, points) of the best *limit* listed users on a board, best first."""
    if uses_redis():
        try:
            return redis_boards.top(board_key, limit)
        except RedisError:
            log.warning("Redis unreachable: the board comes from SQL", exc_info=True)
    rows = db.session.execute(
        select(BoardStanding.user_id, BoardStanding.points)
        .where(
            BoardStanding.board == board_key,
            BoardStanding.listed.is_(True),
            BoardStanding.order_key < 0,
        )
        .order_by(BoardStanding.order_key, BoardStanding.user_id)
        .limit(limit)
    ).all()
    return [(user_id, points) for user_id, points in rows]


def position(board_key: str, user_id: int) -> Position | None:
    """A user's rank on a board, or None without points there. Someone who is not listed
    gets the rank they would have: one more than the listed people ahead of them.
    If Redis can't be reached, SQL answers (it always holds every board)."""
    if uses_redis():
        try:
            return _redis_position(board_key, user_id)
        except RedisError:
            log.warning("Redis unreachable: the rank comes from SQL", exc_info=True)
    row = _row(board_key, user_id, with_histogram=True)
    if row is None or row.points <= 0:
        return None
    return Position(_sql_rank(board_key, user_id, row), row.points, bool(row.listed))


def _row(board_key: str, user_id: int, with_histogram: bool = False):
    """The user's row on a board; with the histogram, also how many listed people have
    more points (``above``) and the same points (``group``), in the same round trip."""
    columns = [
        BoardStanding.points,
        BoardStanding.order_key,
        BoardStanding.listed,
        BoardStanding.reached_at,
    ]
    if with_histogram:

        def people(condition):
            return (
                select(func.coalesce(func.sum(BoardPointCount.people), 0))
                .where(BoardPointCount.board == board_key, condition)
                .scalar_subquery()
            )

        columns.append(people(BoardPointCount.points > BoardStanding.points).label("above"))
    return db.session.execute(
        select(*columns).where(BoardStanding.board == board_key, BoardStanding.user_id == user_id)
    ).first()


def _redis_position(board_key: str, user_id: int) -> Position | None:
    listed = redis_boards.rank_and_points(board_key, user_id)
    if listed is not None:
        return Position(listed[0], listed[1], True)
    row = _row(board_key, user_id)  # not on the sorted set: not listed, or no points
    if row is None or row.points <= 0:
        return None
    ahead = redis_boards.listed_ahead(board_key, row.order_key, user_id)
    return Position(ahead + 1, row.points, bool(row.listed))


def _sql_rank(board_key: str, user_id: int, row) -> int:
    """One more than the listed people ahead, counting only a handful of them.

    Ahead of someone with *p* points who reached them on day *d* are: everyone with more
    points (the points histogram), everyone with *p* points who reached them before *d*
    (the day histogram), and the few with *p* points who reached them earlier on *d* (or at
    the same second with a lower id), counted in the index. Two round trips and a scan of
    one day's tie group, however many people are on the board.
    """
    day = row.reached_at.date()
    day_key = rules.order_key(row.points, datetime(day.year, day.month, day.day))
    before, ahead = db.session.execute(
        select(
            select(func.coalesce(func.sum(BoardDayCount.people), 0))
            .where(
                BoardDayCount.board == board_key,
                BoardDayCount.points == row.points,
                BoardDayCount.day < day,
            )
            .scalar_subquery(),
            select(func.count())
            .select_from(BoardStanding)
            .where(
                BoardStanding.board == board_key,
                BoardStanding.listed.is_(True),
                BoardStanding.order_key >= day_key,
                BoardStanding.order_key <= row.order_key,  # bounds the index range
                or_(BoardStanding.order_key < row.order_key, BoardStanding.user_id < user_id),
            )
            .scalar_subquery(),
        )
    ).one()
    return int(row.above) + int(before) + int(ahead) + 1
