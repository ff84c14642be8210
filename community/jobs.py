"""The one seam for background work.

``enqueue("leaderboard.record_assist_published", assist_id)`` queues a job *by
name, with ids*. Nothing runs before the request's commit: the request's
unit of work (see :mod:`community.database`) dispatches queued jobs after it
commits, and drops them if it rolls back.

Back ends:

* ``inline`` (no Redis configured): each job runs in this process right after
  the commit, in its own transaction. Nothing is lost, it is only slower.
* ``rq``: each job is handed to RQ; ``flask worker`` runs it inside an app context.

Jobs must be idempotent: RQ delivers at least once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g

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


def enqueue(name: str, *ids: int) -> None:
    """Queue job *name* with integer ids, to run after the current transaction commits."""
    if name not in _REGISTRY:
        raise KeyError(f"unknown job {name!r}")
    if not all(isinstance(i, int) for i in ids):
        raise TypeError("jobs take ids, not objects")
    g.setdefault("pending_jobs", []).append((name, ids))


def discard_pending() -> None:
    """Forget jobs queued by a transaction that rolled back."""
    g.pop("pending_jobs", None)


def dispatch_pending() -> None:
    """Hand every job queued in this context to the back end. Call only after commit."""
    pending = g.pop("pending_jobs", [])
    for name, ids in pending:
        _dispatch(current_app._get_current_object(), name, ids)  # type: ignore[attr-defined]


def _dispatch(app: Flask, name: str, ids: tuple[int, ...]) -> None:
    if app.config["JOBS_BACKEND"] == "rq":
        queue = get_queue(app)
        queue.enqueue(perform, name, *ids, retry=_retry(), job_timeout=300)
    else:
        try:
            perform(name, *ids)
        except Exception:  # noqa: S110 - logged in perform; the user's own change is committed
            pass


def _retry():
    from rq import Retry

    return Retry(max=3, interval=[10, 60, 300])


def get_queue(app: Flask | None = None):
    """The RQ queue for this app (only with ``JOBS_BACKEND = "rq"``)."""
    from redis import Redis
    from rq import Queue

    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    state = app.extensions.setdefault("assist.rq", {})
    if "queue" not in state:
        connection = Redis.from_url(app.config["REDIS_URL"])
        state["queue"] = Queue(
            app.config["RQ_QUEUE"], connection=connection, is_async=app.config["RQ_IS_ASYNC"]
        )
    return state["queue"]


_parent_pid = os.getpid()


def perform(name: str, *ids: int) -> Any:
    """Run job *name* in the current app context and commit its work (RQ calls this)."""
    from community.database import commit_unit_of_work, rollback_unit_of_work
    from community.extensions import db

    if os.getpid() != _parent_pid:
        # A forked RQ work-horse must not share pooled connections with its parent.
        db.engine.dispose(close=False)
    func = _REGISTRY[name]
    # Jobs may queue follow-up jobs; they dispatch after this job's own commit.
    outer = g.pop("pending_jobs", None)
    try:
        result = func(*ids)
        commit_unit_of_work()
    except Exception:
        rollback_unit_of_work()
        log.exception("job %s%r failed", name, ids)
        raise
    finally:
        if outer is not None:
            g.setdefault("pending_jobs", []).extend(outer)
    return result


def registered_jobs() -> dict[str, JobFunc]:
    """Names and functions of every registered job (for the worker and tests)."""
    return dict(_REGISTRY)
