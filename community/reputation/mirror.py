"""Keeping the Redis mirror of the boards honest: it answers only when it is complete.

* **Ready marker.** A rebuild or a refill sets ``<prefix>lbmeta:ready`` in the same
  ``MULTI`` that swaps the boards in. Reads ask for it in the same round trip; without it
  (Redis restarted without its data, someone flushed it, the mirror was never filled) SQL
  answers and a background thread refills the mirror from SQL.
* **Missed writes.** A process whose write to Redis failed (Redis was down) remembers it,
  and drops the marker as soon as it reaches Redis again: SQL answers until the refill has
  caught up with what Redis missed.
* **Refill.** One process at a time (a lock in Redis) copies every listed standing from SQL
  into staged keys, then swaps them in, unless a write touched the boards meanwhile (a
  ``WATCH``ed key): then it starts over, at most three times.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from flask import Flask
from redis.exceptions import RedisError, WatchError
from sqlalchemy import select

from community.core.registry import app_state
from community.extensions import db, real_app
from community.reputation.models import BoardStanding
from community.reputation.redis_boards import (
    READY,
    TOUCHED,
    Rebuilt,
    RedisStager,
    _swap_in,
    meta_key,
    redis_client,
)

log = logging.getLogger(__name__)

REFILLING = "lbmeta:refilling"
BATCH = 5000
TRIES = 3
_missed = threading.Event()  # this process failed to write to Redis since it last checked


def missed_a_write(app: Flask) -> None:
    _missed.set()


def check_missed_writes() -> None:
    """If a write of this process never reached Redis, drop the ready marker (Redis is
    reachable again if this works), so SQL answers until the mirror is refilled."""
    if not _missed.is_set():
        return
    redis_client().delete(meta_key(READY))  # raises RedisError while Redis is still away
    _missed.clear()
    log.warning("the leaderboard mirror missed writes while Redis was away; refilling it")


def refill_in_background(app: Flask) -> None:
    """Start refilling the mirror in a thread of this process, unless one is running."""
    if not app.config["LEADERBOARD_REFILL_IN_BACKGROUND"]:
        return
    state = app_state("assist.mirror_refill", app)
    with _LOCK:
        thread = state.get("thread")
        if thread is not None and thread.is_alive():
            return
        thread = threading.Thread(target=_refill_thread, args=(app,), daemon=True)
        state["thread"] = thread
        thread.start()


_LOCK = threading.Lock()


def _refill_thread(app: Flask) -> None:
    with app.app_context():
        try:
            for attempt in range(5):
                try:
                    refill()
                    return
                except RedisError:  # e.g. pooled connections to a Redis that restarted
                    if attempt == 4:
                        raise
                    time.sleep(0.2 * (attempt + 1))
        except Exception:  # noqa: BLE001 - SQL keeps answering; the next read tries again
            log.warning("could not refill the leaderboard mirror", exc_info=True)
        finally:
            db.session.remove()


def refill() -> bool:
    """Copy every listed standing from SQL into Redis and mark the mirror ready. Returns
    False if another process is refilling or writes kept touching the boards."""
    app = real_app()
    client = redis_client(app)
    lock = meta_key(REFILLING, app)
    if not client.set(lock, os.getpid(), nx=True, ex=600):
        return False
    try:
        for _ in range(TRIES):
            client.delete(meta_key(TOUCHED, app))
            stager = RedisStager()
            batch: list[dict] = []
            rows = db.session.execute(
                select(
                    BoardStanding.board,
                    BoardStanding.user_id,
                    BoardStanding.order_key,
                    BoardStanding.listed,
                    BoardStanding.points,
                ).where(BoardStanding.listed.is_(True), BoardStanding.points > 0)
            )
            for row in rows:
                batch.append(row._asdict())
                if len(batch) >= BATCH:
                    stager.add(batch)
                    batch = []
            stager.add(batch)
            db.session.rollback()
            if _swap_if_untouched(client, app, Rebuilt(stager.token, tuple(stager.staged))):
                log.info("the leaderboard mirror was refilled from SQL")
                return True
        return False
    finally:
        client.delete(lock)


def _swap_if_untouched(client, app: Flask, rebuilt: Rebuilt) -> bool:
    touched = meta_key(TOUCHED, app)
    with client.pipeline(transaction=True) as pipe:
        try:
            pipe.watch(touched)
            if pipe.exists(touched):
                pipe.unwatch()
                _drop(client, rebuilt)
                return False
            _swap_in(client, app, rebuilt, pipe=pipe)
            pipe.execute()
            return True
        except WatchError:
            _drop(client, rebuilt)
            return False


def _drop(client, rebuilt: Rebuilt) -> None:
    if rebuilt.staged:
        try:
            client.delete(*rebuilt.staged)
        except RedisError:
            pass  # they expire within the hour
