"""The boards in Redis (when configured): one sorted set per board, a copy of SQL.

``<prefix>lb:<board>`` holds only listed users with points: member = the user id
zero-padded to 10 digits, score = ``order_key``. ``ZRANGE 0 49`` is the top 50 and
``ZRANK`` an own rank, in O(log N) whatever the number of users. Equal scores (same points,
reached in the same second) are ordered by member, which for zero-padded ids is the lower id
first: the same tie-break as SQL. Scores stay exact below 2**53 (about two million points).

Writes reach Redis only after the commit: :func:`mirror` hands each changed row to the unit
of work (:func:`community.core.database.on_commit`, stage ``MIRRORS``), which drops it on
rollback, so Redis never shows points the ledger doesn't have. A rebuild stages whole
boards under temporary keys and swaps them in after its commit, in one ``MULTI``
(:class:`RedisStager`), together with the *ready* marker.

A mirror that is empty or behind never answers (:mod:`community.reputation.mirror`): reads
check the marker in the same round trip and fall back to SQL without it (Redis restarted
without its data, was flushed, or never filled); a process whose write to Redis failed
(Redis was down) drops the marker once Redis is back. Either way SQL answers while the
mirror refills itself from SQL in the background.
"""

from __future__ import annotations

import logging
import uuid
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Flask, current_app
from redis.exceptions import RedisError

from community.core.database import Stage, commit_handler, on_commit
from community.extensions import real_app
from community.reputation import rules
from community.reputation.models import BoardStanding

log = logging.getLogger(__name__)

MIRROR = "reputation.redis_boards"  # the unit of work's key for changes waiting for the commit
READY = "lbmeta:ready"  # set when the sorted sets hold every board (after a rebuild or refill)
TOUCHED = "lbmeta:touched"  # set by every write; a refill that saw it change starts over
MEMBER_DIGITS = 10
KEEP_PERIOD_BOARDS_DAYS = 400  # Redis forgets old weekly and monthly boards; SQL keeps them


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


def meta_key(name: str, app: Flask | None = None) -> str:
    app = app or current_app
    return f"{app.config['LEADERBOARD_REDIS_PREFIX']}{name}"


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


# -- writing, after the commit -----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    board: str
    user_id: int
    order_key: int | None  # None: take the user off the board's sorted set


@dataclass(frozen=True)
class Rebuilt:
    token: str  # the suffix of the staged copies' keys
    staged: tuple[str, ...]


def mirror(rows: Iterable[BoardStanding]) -> None:
    """Copy changed board rows to Redis once the transaction commits (without Redis: nothing)."""
    if not uses_redis():
        return
    for row in rows:
        visible = row.listed and row.points > 0
        on_commit(MIRROR, Change(row.board, row.user_id, row.order_key if visible else None))


@commit_handler(MIRROR, Stage.MIRRORS)
def _apply(queued: list[Change | Rebuilt]) -> None:
    """Swap a committed rebuild in, then apply each user's latest change on each board."""
    app = real_app()
    rebuilt = [entry for entry in queued if isinstance(entry, Rebuilt)]
    latest = {(c.board, c.user_id): c.order_key for c in queued if isinstance(c, Change)}
    try:
        client = redis_client(app)
        if rebuilt:
            _swap_in(client, app, rebuilt[-1])
        if latest:
            pipe = client.pipeline(transaction=False)
            pipe.set(meta_key(TOUCHED, app), 1, ex=3600)
            for (board, user_id), key in latest.items():
                name = redis_key(board, app)
                if key is None:
                    pipe.zrem(name, member(user_id))
                else:
                    pipe.zadd(name, {member(user_id): key})
                    expires = _period_expiry(board)
                    if expires:
                        pipe.expireat(name, expires)
            pipe.execute()
    except Exception:  # the ledger is committed; the mirror refills itself once Redis is back
        log.exception("could not update the leaderboard in Redis")
        from community.reputation import mirror

        mirror.missed_a_write(app)


class RedisStager:
    """Writes rebuilt standings to temporary Redis keys; they replace the live boards in one
    MULTI after the commit (:func:`_swap_in`), so nobody ever sees a half-built board."""

    def __init__(self) -> None:
        self.active = uses_redis()
        self.token = uuid.uuid4().hex[:12]
        self.staged: set[str] = set()
        if self.active:
            self.app = real_app()
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
        on_commit(MIRROR, Rebuilt(self.token, tuple(sorted(self.staged))))


def _swap_in(client, app: Flask, rebuilt: Rebuilt, pipe=None) -> None:
    """Replace every live board with its rebuilt copy in one MULTI, drop boards that no
    longer have anyone on them, and mark the mirror ready. With *pipe* (a watched
    pipeline), the commands go into it and the caller executes them."""
    suffix = f"~{rebuilt.token}"
    live = {temp[: -len(suffix)] for temp in rebuilt.staged}
    pattern = redis_key("*", app)
    stale = [
        name.decode() if isinstance(name, bytes) else name
        for name in client.scan_iter(match=pattern, count=1000)
    ]
    execute = pipe is None
    if pipe is None:
        pipe = client.pipeline(transaction=True)
    else:
        pipe.multi()
    for name in stale:
        if "~" not in name and name not in live:
            pipe.delete(name)
    for temp in rebuilt.staged:
        name = temp[: -len(suffix)]
        pipe.rename(temp, name)
        pipe.persist(name)
        expires = _period_expiry(name[len(redis_key("", app)) :])
        if expires:
            pipe.expireat(name, expires)
    pipe.set(meta_key(READY, app), rebuilt.token)
    if execute:
        pipe.execute()


# -- reading (callers fall back to SQL on RedisError) -----------------------------------------


class MirrorNotReady(RedisError):
    """The sorted sets are empty or behind: SQL answers (callers fall back on RedisError)."""


def _reading():
    """A pipeline for a read that starts by asking whether the mirror is ready."""
    from community.reputation import mirror

    mirror.check_missed_writes()
    pipe = redis_client().pipeline(transaction=False)
    pipe.exists(meta_key(READY))
    return pipe


def _results(pipe) -> list:
    """Execute a read's pipeline; if the mirror isn't ready, start refilling it and raise."""
    from community.reputation import mirror

    ready, *results = pipe.execute()
    if not ready:
        mirror.refill_in_background(real_app())
        raise MirrorNotReady("the leaderboard mirror in Redis is empty or behind")
    return results


def top(board_key: str, limit: int) -> list[tuple[int, int]]:
    """(user_id, points) of the best *limit* on a board, best first: one ``ZRANGE``."""
    pipe = _reading()
    pipe.zrange(redis_key(board_key), 0, limit - 1, withscores=True, score_cast_func=int)
    (entries,) = _results(pipe)
    return [(int(m), rules.points_from_order_key(s)) for m, s in entries]


def rank_and_points(board_key: str, user_id: int) -> tuple[int, int] | None:
    """A listed user's rank (1 = first) and points, or None when they aren't on the set."""
    name = redis_key(board_key)
    pipe = _reading()
    pipe.zrank(name, member(user_id))
    pipe.zscore(name, member(user_id))
    rank, score = _results(pipe)
    if rank is None:
        return None
    return rank + 1, rules.points_from_order_key(int(score))


def listed_ahead(board_key: str, order_key: int, user_id: int) -> int:
    """How many listed users rank ahead of *user_id* with *order_key* (not on the set)."""
    name = redis_key(board_key)
    pipe = _reading()
    pipe.zcount(name, "-inf", f"({order_key}")
    pipe.zrangebyscore(name, order_key, order_key)
    ahead, tied = _results(pipe)
    return ahead + sum(1 for m in tied if int(m) < user_id)
