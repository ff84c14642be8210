"""Where standings live: every board in SQL, and, with Redis, a sorted set per board.

Boards
    ``all`` (all time), ``w2026-03`` (ISO week 3 of 2026), ``m2026-01`` (January 2026), each
    overall or for one topic (``all:school``, ``w2026-03:love`` …), in UTC. An event counts
    on the six boards of its ``counted_at`` and topic (:func:`keys_for`).

SQL (always)
    ``board_standings`` holds every user's points per board, with ``order_key``
    (:func:`community.leaderboard.rules.order_key`) and ``listed``; the index
    ``(board, listed, order_key, user_id)`` serves the top of a board. Two histograms kept
    in the same transaction (listed people per points, and per points and day) let an own
    rank count only one day's tie group (:func:`_sql_rank`). This is the fallback without
    Redis, and what Redis is built from.

Redis (when configured)
    One sorted set per board, ``<prefix>lb:<board>``, holding only listed users with points:
    member = the user id zero-padded to 10 digits, score = ``order_key``. ``ZRANGE 0 49``
    is the top 50 and ``ZRANK`` an own rank, in O(log N) whatever the number of users.
    Equal scores (same points, reached in the same second) are ordered by member, which
    for zero-padded ids is the lower id first: the same tie-break as SQL. Scores stay exact
    below 2**53 (about two million points).

Writes change SQL inside the transaction and queue the matching Redis change on the session;
it is applied only after the commit (and dropped on rollback), so Redis never shows points
the ledger doesn't have. If Redis is down at that moment the change is logged and lost until
the next change for that user and board, or ``flask leaderboard rebuild``.
"""

from __future__ import annotations

import enum
import logging
import uuid
from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import Flask, current_app
from redis.exceptions import RedisError
from sqlalchemy import event, func, or_, select
from sqlalchemy.orm import Session

from community.clock import utcnow
from community.extensions import db
from community.leaderboard import rules
from community.leaderboard.models import BoardDayCount, BoardPointCount, BoardStanding
from community.questions.topics import Topic

log = logging.getLogger(__name__)

PENDING_KEY = "leaderboard.redis_pending"
MEMBER_DIGITS = 10
KEEP_PERIOD_BOARDS_DAYS = 400  # Redis forgets old weekly and monthly boards; SQL keeps them


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


# -- choosing the back end ---------------------------------------------------------------------


def uses_redis(app: Flask | None = None) -> bool:
    app = app or current_app
    backend = app.config.get("LEADERBOARD_BACKEND")
    if backend is None:
        return bool(app.config.get("REDIS_URL"))
    return backend == "redis"


_CLIENTS: dict[str, object] = {}


def redis_client(app: Flask | None = None):
    """The Redis connection for boards (only when :func:`uses_redis`): one pool per URL and
    process, shared by every app (redis-py's pool is thread-safe and reconnects after a fork)."""
    from redis import Redis

    url = (app or current_app).config["REDIS_URL"]
    if url not in _CLIENTS:
        # RESP2: scores arrive as the integers we stored, without a float parse each.
        _CLIENTS[url] = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5, protocol=2)
    return _CLIENTS[url]


def redis_key(board_key: str, app: Flask | None = None) -> str:
    app = app or current_app
    return f"{app.config['LEADERBOARD_REDIS_PREFIX']}lb:{board_key}"


def member(user_id: int) -> str:
    return f"{user_id:0{MEMBER_DIGITS}d}"


def _period_expiry(board_key: str) -> int | None:
    """Unix time after which Redis may forget a weekly or monthly board."""
    base = board_key.split(":")[0]
    if base == "all":
        return None
    if base.startswith("w"):
        year, week = (int(x) for x in base[1:].split("-"))
        end = date.fromisocalendar(year, week, 1) + timedelta(days=7)
    else:
        year, month = (int(x) for x in base[1:].split("-"))
        end = date(year, month, monthrange(year, month)[1]) + timedelta(days=1)
    expires = end + timedelta(days=KEEP_PERIOD_BOARDS_DAYS)
    return rules.epoch_seconds(datetime(expires.year, expires.month, expires.day))


# -- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    board: str
    user_id: int
    order_key: int | None  # None: take the user off the board's sorted set


def add_points(
    user_id: int, keys: Sequence[str], points: int, at: datetime, listed: bool
) -> list[BoardStanding]:
    """Add *points* reached *at* to the user's row on each board in *keys* (SQL now, Redis
    after commit). Callers serialise writes per user (see services._lock_user)."""
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
    _mirror(changed)
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
    _mirror(rows)
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
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    statement = upsert(model)
    statement = statement.on_conflict_do_update(
        index_elements=keys, set_={"people": model.people + statement.excluded.people}
    )
    db.session.execute(statement, changes)


def _mirror(rows: Iterable[BoardStanding]) -> None:
    if not uses_redis():
        return
    pending = db.session.info.setdefault(PENDING_KEY, {})
    for row in rows:
        visible = row.listed and row.points > 0
        pending[(row.board, row.user_id)] = row.order_key if visible else None
    db.session.info.setdefault(PENDING_KEY + ".app", current_app._get_current_object())  # type: ignore[attr-defined]


@event.listens_for(Session, "after_commit")
def _apply_after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    app = session.info.pop(PENDING_KEY + ".app", None)
    rebuild = session.info.pop(REBUILD_KEY, None)
    if app is None:
        return
    try:
        client = redis_client(app)
        if rebuild:
            _swap_in(client, app, rebuild)
        if pending:
            pipe = client.pipeline(transaction=False)
            for (board, user_id), key in pending.items():
                name = redis_key(board, app)
                if key is None:
                    pipe.zrem(name, member(user_id))
                else:
                    pipe.zadd(name, {member(user_id): key})
                    expires = _period_expiry(board)
                    if expires:
                        pipe.expireat(name, expires)
            pipe.execute()
    except Exception:  # the ledger is committed; `flask leaderboard rebuild` repairs Redis
        log.exception("could not update the leaderboard in Redis")


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        for key in (PENDING_KEY, PENDING_KEY + ".app", REBUILD_KEY):
            session.info.pop(key, None)


# -- rebuilding --------------------------------------------------------------------------------

REBUILD_KEY = "leaderboard.redis_rebuild"
BATCH = 5000


class RedisStager:
    """Writes rebuilt standings to temporary Redis keys; they replace the live boards in one
    MULTI after the commit (:func:`_swap_in`), so nobody ever sees a half-built board."""

    def __init__(self) -> None:
        self.active = uses_redis()
        self.token = uuid.uuid4().hex[:12]
        self.staged: set[str] = set()
        if self.active:
            self.app = current_app._get_current_object()  # type: ignore[attr-defined]
            self.client = redis_client(self.app)

    def add(self, rows: Iterable[dict]) -> None:
        if not self.active:
            return
        pipe = self.client.pipeline(transaction=False)
        for row in rows:
            if not row["listed"] or row["points"] <= 0:
                continue
            temp = f"{redis_key(row['board'], self.app)}~{self.token}"
            self.staged.add(temp)
            pipe.zadd(temp, {member(row["user_id"]): row["order_key"]})
        pipe.execute()

    def finish(self) -> None:
        """Swap the staged boards in after the commit (and let them expire if it never comes)."""
        if not self.active:
            return
        pipe = self.client.pipeline(transaction=False)
        for temp in self.staged:
            pipe.expire(temp, 3600)
        pipe.execute()
        db.session.info[REBUILD_KEY] = (self.token, sorted(self.staged))
        db.session.info.setdefault(PENDING_KEY + ".app", self.app)


def _swap_in(client, app: Flask, rebuild: tuple[str, list[str]]) -> None:
    """Replace every live board with its rebuilt copy in one MULTI, and drop boards that
    no longer have anyone on them."""
    token, staged = rebuild
    suffix = f"~{token}"
    live = {temp[: -len(suffix)] for temp in staged}
    pattern = redis_key("*", app)
    stale = [
        name.decode() if isinstance(name, bytes) else name
        for name in client.scan_iter(match=pattern, count=1000)
    ]
    pipe = client.pipeline(transaction=True)
    for name in stale:
        if "~" not in name and name not in live:
            pipe.delete(name)
    for temp in staged:
        name = temp[: -len(suffix)]
        pipe.rename(temp, name)
        pipe.persist(name)
        expires = _period_expiry(name[len(redis_key("", app)) :])
        if expires:
            pipe.expireat(name, expires)
    pipe.execute()


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
            entries = redis_client().zrange(
                redis_key(board_key), 0, limit - 1, withscores=True, score_cast_func=int
            )
            return [(int(m), rules.points_from_order_key(s)) for m, s in entries]
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
    client = redis_client()
    name = redis_key(board_key)
    pipe = client.pipeline(transaction=False)
    pipe.zrank(name, member(user_id))
    pipe.zscore(name, member(user_id))
    rank, score = pipe.execute()
    if rank is not None:
        return Position(rank + 1, rules.points_from_order_key(int(score)), True)
    row = _row(board_key, user_id)  # not on the sorted set: not listed, or no points
    if row is None or row.points <= 0:
        return None
    pipe = client.pipeline(transaction=False)
    pipe.zcount(name, "-inf", f"({row.order_key}")
    pipe.zrangebyscore(name, row.order_key, row.order_key)
    ahead, tied = pipe.execute()
    ahead += sum(1 for m in tied if int(m) < user_id)
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
