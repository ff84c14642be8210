"""The one seam for background work.

``enqueue("leaderboard.record_assist_published", assist_id)`` queues a job *by
name, with ids*. It writes an :class:`~community.core.outbox.OutboxEntry` in the
current transaction, so the job exists exactly when the change that asked for it
does. After the commit the unit of work (:mod:`community.core.database`, the last of its
stages) hands the queued jobs to the back end; a rollback forgets them:

* ``inline`` (no Redis configured): each job runs in this process right after
  the commit, in its own transaction.
* ``rq``: each job is handed to RQ; ``flask worker`` runs it in an app context.
  If Redis is unreachable the entry just waits in the outbox.

:func:`sweep` hands over again whatever was not delivered, not finished or
failed (with backoff). It runs in every ``flask worker`` and from
``flask jobs sweep``. Jobs must be idempotent: they may be delivered more than once.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import or_, select, update

from community.core.clock import utcnow
from community.core.database import (
    Stage,
    commit_handler,
    commit_unit_of_work,
    forget,
    on_commit,
    rollback_unit_of_work,
)
from community.core.outbox import MAX_ATTEMPTS, OutboxEntry
from community.core.registry import app_state
from community.extensions import real_app

log = logging.getLogger(__name__)

JobFunc = Callable[..., Any]
_REGISTRY: dict[str, JobFunc] = {}


def job(name: str) -> Callable[[JobFunc], JobFunc]:
    """Register a function as a background job under a stable *name*."""

    def decorator(func: JobFunc) -> JobFunc:
        existing = _REGISTRY.get(name)
        if existing is not None and existing is not func:
            raise RuntimeError(f"job {name!r} registered twice")
        _REGISTRY[name] = func
        return func

    return decorator


def registered_jobs() -> dict[str, JobFunc]:
    """Names and functions of every registered job."""
    return dict(_REGISTRY)


# -- queueing ----------------------------------------------------------------------------------


def enqueue(name: str, *ids: int) -> None:
    """Queue job *name* with integer ids, to run after the current transaction commits."""
    from community.extensions import db

    if name not in _REGISTRY:
        raise KeyError(f"unknown job {name!r}")
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise TypeError("jobs take ids, not objects")
    entry = OutboxEntry(name=name, args=",".join(str(i) for i in ids))
    db.session.add(entry)
    db.session.flush()
    on_commit(QUEUED, entry.id)


QUEUED = "jobs.queued"  # the unit of work's key for outbox entries to hand over after commit


def discard_pending() -> None:
    """Forget the jobs the open transaction queued (it rolls back: their rows go too)."""
    forget(QUEUED)


@commit_handler(QUEUED, Stage.JOBS)
def _dispatch_committed(entry_ids: list[int]) -> None:
    """Hand the jobs a transaction queued to the back end, once it has committed."""
    app = real_app()
    for entry_id in entry_ids:
        _dispatch(app, entry_id)
    if app.config["JOBS_BACKEND"] != "rq" and not g.get("running_job"):
        _sweep_now_and_then(app)


def _sweep_now_and_then(app: Flask) -> None:
    """Without workers, requests that queue jobs also retry failed ones, now and then."""
    state = app_state("assist.sweeper", app)
    now = utcnow()
    interval = timedelta(seconds=app.config["OUTBOX_SWEEP_SECONDS"])
    if state.get("last") is None or now - state["last"] >= interval:
        state["last"] = now
        sweep(limit=20)


# -- handing over ------------------------------------------------------------------------------


def _dispatch(app: Flask, entry_id: int) -> bool:
    """Give one outbox entry to the back end; returns whether it was handed over."""
    from community.extensions import db

    if app.config["JOBS_BACKEND"] != "rq":
        try:
            run_entry(entry_id)
        except Exception:  # noqa: BLE001 - recorded on the entry; the sweeper retries it
            return False
        return True
    from redis.exceptions import RedisError

    # Claim this delivery first, so two sweepers never hand over the same attempt twice.
    attempt = db.session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id, OutboxEntry.done_at.is_(None))
        .values(dispatched_at=utcnow(), attempts=OutboxEntry.attempts + 1)
        .returning(OutboxEntry.attempts)
    ).scalar()
    db.session.commit()
    if attempt is None:
        return False
    try:
        get_queue(app).enqueue(
            run_entry,
            entry_id,
            job_id=f"outbox-{entry_id}-{attempt}",
            job_timeout=app.config["JOB_TIMEOUT_SECONDS"],
        )
    except RedisError as error:
        log.warning("Redis unreachable; job %s waits in the outbox (%s)", entry_id, error)
        db.session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == entry_id)
            .values(dispatched_at=None, attempts=OutboxEntry.attempts - 1)
        )
        db.session.commit()
        return False
    return True


def get_queue(app: Flask | None = None):
    """The RQ queue for this app (only with ``JOBS_BACKEND = "rq"``)."""
    from redis import Redis
    from rq import Queue

    app = app or real_app()
    state = app_state("assist.rq", app)
    if "queue" not in state:
        connection = Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=5
        )
        state["queue"] = Queue(
            app.config["RQ_QUEUE"], connection=connection, is_async=app.config["RQ_IS_ASYNC"]
        )
    return state["queue"]


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
            _record_failure(entry_id, error)
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


def _record_failure(entry_id: int, error: Exception) -> None:
    from community.extensions import db

    entry = db.session.get(OutboxEntry, entry_id)
    if entry is None:
        return
    entry.last_error = f"{type(error).__name__}: {error}"[:2000]
    if current_app.config["JOBS_BACKEND"] != "rq":
        entry.attempts += 1  # rq counts attempts when it hands the job over
    if entry.attempts >= MAX_ATTEMPTS:
        entry.failed_at = utcnow()
    else:
        entry.available_at = utcnow() + _backoff(entry.attempts)
        entry.dispatched_at = None
    db.session.commit()


def _backoff(attempts: int) -> timedelta:
    """Wait 10 s, 20 s, 40 s … (capped at an hour) before trying a failed job again."""
    return timedelta(seconds=min(3600, 10 * 2 ** max(0, attempts - 1)))


def sweep(limit: int = 500) -> int:
    """Hand over again every entry that is due: never delivered, lost in delivery, or failed.

    Returns how many entries were handed over.
    """
    from community.extensions import db

    app = real_app()
    now = utcnow()
    lost = now - timedelta(seconds=app.config["JOB_VISIBILITY_TIMEOUT_SECONDS"])
    due = db.session.scalars(
        select(OutboxEntry.id)
        .where(
            OutboxEntry.done_at.is_(None),
            OutboxEntry.failed_at.is_(None),
            OutboxEntry.available_at <= now,
            or_(OutboxEntry.dispatched_at.is_(None), OutboxEntry.dispatched_at < lost),
        )
        .order_by(OutboxEntry.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    return sum(1 for entry_id in due if _dispatch(app, entry_id))


def start_sweeper(app: Flask, interval: float, first_round_now: bool = False) -> threading.Event:
    """Sweep every *interval* seconds in a daemon thread (``flask worker`` starts one).

    With *first_round_now* the first round starts at once instead of after one interval.
    """
    stop = threading.Event()

    def loop() -> None:
        delay = 0.0 if first_round_now else interval
        while not stop.wait(delay):
            delay = interval
            with app.app_context():
                try:
                    handed = sweep()
                    if handed:
                        log.info("sweeper handed over %d outbox entries", handed)
                except Exception:  # noqa: BLE001 - keep sweeping; the next round may work
                    log.warning("outbox sweep failed", exc_info=True)

    threading.Thread(target=loop, name="outbox-sweeper", daemon=True).start()
    return stop
