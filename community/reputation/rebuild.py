"""Rebuilding every board from the ledger (``flask leaderboard rebuild``).

The ledger is the source of truth; the boards (SQL rows, histograms and, with Redis, the
sorted sets) can always be recomputed from it, e.g. after an upgrade or when Redis lost
its data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import case, delete, func, insert, select, text

from community.accounts.models import Role, User
from community.extensions import db
from community.reputation import boards, rules
from community.reputation.boards import Board, Period
from community.reputation.listing import is_listed
from community.reputation.models import (
    BoardDayCount,
    BoardPointCount,
    BoardStanding,
    LeaderboardChoice,
    ReputationEvent,
)
from community.reputation.redis_boards import RedisStager

BATCH = 5000  # rows per INSERT (and per Redis pipeline)


def _periods(first: datetime, last: datetime) -> Iterator[Board]:
    week = boards.board_for(Period.WEEK, None, first)
    while week.start is not None and week.start <= last.date():
        yield week
        week = Board(Period.WEEK, week.start + timedelta(days=7))
    month = boards.board_for(Period.MONTH, None, first)
    while month.start is not None and month.start <= last.date():
        yield month
        ends = month.ends_at or last
        month = Board(Period.MONTH, date(ends.year, ends.month, 1))


def _standings(board: Board) -> Iterator[dict]:
    """Rows of ``board_standings`` for one period (all time when the board has no start):
    overall and per topic, for young people only. Two grouped queries, streamed."""
    person = (User.role, User.is_active, User.age_band, LeaderboardChoice.appear)
    reached = func.max(case((ReputationEvent.points != 0, ReputationEvent.created_at)))
    where = [User.role == Role.YOUTH]
    if board.start is not None:
        start = datetime(board.start.year, board.start.month, board.start.day)
        where += [ReputationEvent.counted_at >= start, ReputationEvent.counted_at < board.ends_at]

    def grouped(*by):
        return db.session.execute(
            select(*by, func.sum(ReputationEvent.points), reached, *person)
            .join(User, User.id == ReputationEvent.user_id)
            .outerjoin(LeaderboardChoice, LeaderboardChoice.user_id == User.id)
            .where(*where)
            .group_by(*by, *person)
            .execution_options(yield_per=BATCH)
        )

    def row(key: str, user_id: int, points, latest: datetime | None, listed: bool) -> dict:
        points, latest = int(points or 0), latest or datetime(1970, 1, 1)
        return {
            "board": key,
            "user_id": user_id,
            "points": points,
            "reached_at": latest,
            "order_key": rules.order_key(points, latest),
            "listed": listed,
        }

    overall = Board(board.period, board.start).key
    for user_id, points, latest, *who in grouped(ReputationEvent.user_id):
        yield row(overall, user_id, points, latest, is_listed(*who))
    topical = grouped(ReputationEvent.user_id, ReputationEvent.topic)
    for user_id, topic, points, latest, *who in topical:
        if topic is not None:
            key = Board(board.period, board.start, topic).key
            yield row(key, user_id, points, latest, is_listed(*who))


def rebuild() -> int:
    """Recompute every board (all time, every week and month, overall and per topic) from the
    ledger, in SQL and, after the commit, in Redis. Returns how many people have standing."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Every row is read: plan for the whole result, not the first few (server-side
        # cursors otherwise favour plans that are fast to start and slow to finish).
        db.session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
    db.session.execute(delete(BoardPointCount))
    db.session.execute(delete(BoardDayCount))
    db.session.execute(delete(BoardStanding))
    span = db.session.execute(
        select(func.min(ReputationEvent.counted_at), func.max(ReputationEvent.counted_at))
    ).one()
    stager = RedisStager()
    days: Counter[tuple[str, int, date]] = Counter()
    ranked = 0
    periods = [Board(Period.ALL)]
    if span[0] is not None:
        periods += list(_periods(span[0], span[1]))
    for board in periods:
        batch: list[dict] = []
        for row in _standings(board):
            if board.period is Period.ALL and ":" not in row["board"]:
                ranked += 1
            batch.append(row)
            if row["listed"] and row["points"] > 0:
                days[(row["board"], row["points"], row["reached_at"].date())] += 1
            if len(batch) >= BATCH:
                _insert(batch, stager)
                batch = []
        _insert(batch, stager)
    db.session.execute(
        insert(BoardPointCount).from_select(
            ["board", "points", "people"],
            select(BoardStanding.board, BoardStanding.points, func.count())
            .where(BoardStanding.listed.is_(True), BoardStanding.points > 0)
            .group_by(BoardStanding.board, BoardStanding.points),
        )
    )
    day_rows = [
        {"board": board, "points": points, "day": day, "people": people}
        for (board, points, day), people in days.items()
    ]
    for start in range(0, len(day_rows), BATCH):
        db.session.execute(insert(BoardDayCount), day_rows[start : start + BATCH])
    stager.finish()
    return ranked


def _insert(rows: list[dict], stager: RedisStager) -> None:
    if rows:
        db.session.execute(insert(BoardStanding), rows)
        stager.add(rows)
