"""The one seam for background work.

``enqueue("leaderboard.record_assist_published", assist_id)`` queues a job *by
name, with ids*. It writes an :class:`~community.core.outbox.OutboxEntry` in the
current transaction, so the job exists exactly when the change that asked for it
does. After the commit the unit of work (:mod:`community.core.database`, the last of its
stages) hands the queued jobs to the back end (:mod:`community.core.delivery`); a
rollback forgets them. Nothing after the commit turns the request into an error:
a job that can't be handed over now waits in the outbox.

* ``inline`` (no Redis configured): a background thread in this process drains the
  outbox, each job in its own transaction, off the request. Tests set
  ``JOBS_RUN_IN_REQUEST`` to run them right after the commit instead.
* ``rq``: each job is handed to RQ; ``flask worker`` runs it in an app context. Jobs
  registered with ``urgent=True`` (risk screening) go to a queue of their own that
  workers always empty first.

The sweeper (:func:`community.core.delivery.sweep`) hands over again whatever was not
delivered, lost by Redis, abandoned by a dead worker or failed (with backoff). Jobs must
be idempotent: they may be delivered more than once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, g

from community.core.clock import utcnow
from community.core.database import commit_unit_of_work, forget, on_commit, rollback_unit_of_work
from community.core.outbox import MAX_ATTEMPTS, OutboxEntry

log = logging.getLogger(__name__)

JobFunc = Callable[..., Any]
_REGISTRY: dict[str, JobFunc] = {}
_URGENT: set[str] = set()


def job(name: str, urgent: bool = False) -> Callable[[JobFunc], JobFunc]:
    """Register a function as a background job under a stable *name*. An *urgent* job
    (risk screening) never waits behind routine ones."""

    def decorator(func: JobFunc) -> JobFunc:
        existing = _REGISTRY.get(name)
        if existing is not None and existing is not func:
            raise RuntimeError(f"job {name!r} registered twice")
        _REGISTRY[name] = func
        if urgent:
            _URGENT.add(name)
        return func

    return decorator


def registered_jobs() -> dict[str, JobFunc]:
    """Names and functions of every registered job."""
    return dict(_REGISTRY)


def urgent_jobs() -> frozenset[str]:
    """Names of the jobs that go first (risk screening)."""
    return frozenset(_URGENT)


# -- queueing ----------------------------------------------------------------------------------


def enqueue(name: str, *ids: int) -> None:
    """Queue job *name* with integer ids, to run after the current transaction commits."""
    from community.extensions import db

    if name not in _REGISTRY:
        raise KeyError(f"unknown job {name!r}")
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise TypeError("jobs take ids, not objects")
    entry = OutboxEntry(name=name, args=",".join(str(i) for i in ids))
    if current_app.config["JOBS_BACKEND"] == "rq":
        # Its first hand-over is recorded with the row, so handing it to Redis after the
        # commit needs no second write; if that fails, the sweeper finds the job missing
        # from Redis and hands it over again.
        entry.deliveries, entry.dispatched_at = 1, utcnow()
    db.session.add(entry)
    db.session.flush()
    on_commit(QUEUED, Handover(entry.id, name, entry.deliveries))


QUEUED = "jobs.queued"  # the unit of work's key for outbox entries to hand over after commit


@dataclass(frozen=True)
class Handover:
    """What the hand-over after the commit needs, so it reads nothing from the database."""

    entry_id: int
    name: str
    delivery: int  # names the RQ job: outbox-<entry_id>-<delivery>


def discard_pending() -> None:
    """Forget the jobs the open transaction queued (it rolls back: their rows go too)."""
    forget(QUEUED)


# -- running -----------------------------------------------------------------------------------

_parent_pid = os.getpid()


def run_entry(entry_id: int) -> str:
    """Run the job behind an outbox entry once, in the current app context (RQ calls this).

    The entry is marked done in the same transaction as the job's side effects. A
    second delivery of a finished entry does nothing.
    """
    from community.extensions import db

    if os.getpid() != _parent_pid:
        # A forked RQ work-horse must not share pooled connections with its parent.
        db.engine.dispose(close=False)
    was_running, g.running_job = g.get("running_job", False), True
    try:
        entry = db.session.get(OutboxEntry, entry_id, with_for_update=True)
        if entry is None or entry.done_at is not None:
            db.session.rollback()
            return "already done"
        name, ids = entry.name, entry.ids
        try:
            _REGISTRY[name](*ids)
            entry.done_at = utcnow()
            entry.last_error = None
            commit_unit_of_work()  # jobs this job queued are handed over after this commit
        except Exception as error:
            rollback_unit_of_work()
            log.exception("job %s%r failed", name, ids)
            record_failure(entry_id, error)
            raise
        return "done"
    finally:
        g.running_job = was_running


def perform(name: str, *ids: int) -> Any:
    """Run job *name* now, in this context, in its own transaction (CLI commands, tests)."""
    was_running, g.running_job = g.get("running_job", False), True
    try:
        result = _REGISTRY[name](*ids)
        commit_unit_of_work()
        return result
    except Exception:
        rollback_unit_of_work()
        raise
    finally:
        g.running_job = was_running


def record_failure(entry_id: int, error: Exception | str) -> None:
    """Count one failed run: retry after a backoff, or give up after ``MAX_ATTEMPTS``."""
    from community.extensions import db

    was_running, g.running_job = g.get("running_job", False), True  # a writer (SQLite)
    try:
        entry = db.session.get(OutboxEntry, entry_id)
        if entry is None or entry.done_at is not None:
            db.session.rollback()
            return
        message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        entry.last_error = message[:2000]
        entry.attempts += 1
        if entry.attempts >= MAX_ATTEMPTS:
            entry.failed_at = utcnow()
        else:
            entry.available_at = utcnow() + backoff(entry.attempts)
            entry.dispatched_at = None
        db.session.commit()
    finally:
        g.running_job = was_running


def backoff(attempts: int) -> timedelta:
    """Wait 10 s, 20 s, 40 s … (capped at an hour) before trying a failed job again."""
    return timedelta(seconds=min(3600, 10 * 2 ** max(0, attempts - 1)))


def sweep(limit: int = 500, take_turn: bool = False) -> int:
    """Hand over again whatever is due or went astray (:func:`community.core.delivery.sweep`)."""
    return delivery.sweep(limit, take_turn)


def get_queue(app: Flask | None = None, urgent: bool = False):
    """The RQ queue (:func:`community.core.delivery.get_queue`)."""
    return delivery.get_queue(app, urgent)


def start_sweeper(app: Flask, interval: float, first_round_now: bool = False):
    """The sweeper's thread (:func:`community.core.delivery.start_sweeper`)."""
    return delivery.start_sweeper(app, interval, first_round_now)


# The hand-over after the commit and the sweeper; importing it registers QUEUED's handler.
from community.core import delivery  # noqa: E402
