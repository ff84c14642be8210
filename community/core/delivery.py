"""Handing outbox entries to the back end, and the sweeper that finds what went astray.

After a commit the queued jobs are handed over (:func:`_hand_over_committed`) without a
single database statement, and nothing that fails there reaches the person: with RQ
the job goes to Redis (a failure is logged; the sweeper finds the job missing); in
process, a background thread (:class:`Drainer`) runs it off the request.

The sweeper (:func:`sweep`), every ``OUTBOX_SWEEP_SECONDS`` in one ``flask worker`` at a
time (a short lock in Redis decides whose turn it is), or ``flask jobs sweep``:

* hands over entries never handed over (Redis was down) or due again after a failure;
* asks Redis about each job it was handed more than ``SETTLE_SECONDS`` ago, by its id
  ``outbox-<entry>-<delivery>``: a job Redis no longer has (it restarted without its
  data, someone flushed it) is **lost** and handed over again at once; a job still
  **queued** is left alone however long the queue is; a job **running** for longer than
  ``JOB_VISIBILITY_TIMEOUT_SECONDS`` (doubling with each delivery) or failed without
  saying so (its worker was killed) counts as a failed run and is retried after a backoff.

Urgent jobs (risk screening) go to their own queue, which workers empty first, and the
sweeper hands them over first.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, g, has_request_context
from sqlalchemy import case, select, update

from community.core import jobs
from community.core.clock import utcnow
from community.core.database import Stage, commit_handler
from community.core.outbox import OutboxEntry
from community.core.registry import app_state
from community.extensions import real_app

log = logging.getLogger(__name__)

SETTLE_SECONDS = 5  # a hand-over younger than this may not have reached Redis yet

# RQ forks a work-horse for every job while this process's sweeper thread may be inside a
# database transaction. A child forked then inherits that transaction's locks as SQLite
# keeps them in memory (and any lock object the thread held), and can never write: its jobs
# time out as "database is locked" and wait through their backoffs. So a fork waits for the
# sweeper's round to end (rounds are short; the child gets the lock released).
_ROUND = threading.Lock()
os.register_at_fork(
    before=_ROUND.acquire, after_in_parent=_ROUND.release, after_in_child=_ROUND.release
)


def sweeping() -> threading.Lock:
    """Held for a sweep round: no process forks meanwhile (see ``_ROUND``)."""
    return _ROUND


URGENT_SUFFIX = "-urgent"
WAITING_IN_REDIS = frozenset({"queued", "deferred", "scheduled", "created"})


# -- after the commit --------------------------------------------------------------------------


@commit_handler(jobs.QUEUED, Stage.JOBS)
def _hand_over_committed(handovers: list[jobs.Handover]) -> None:
    """Hand the jobs a transaction queued to the back end, once it has committed. Never
    raises: the change is saved, and a job that can't be handed over now waits."""
    app = real_app()
    if app.config["JOBS_BACKEND"] == "rq":
        for handover in handovers:
            _push(app, handover.entry_id, handover.name, handover.delivery)
        return
    in_request = has_request_context() and not g.get("running_job")
    if in_request and not app.config["JOBS_RUN_IN_REQUEST"]:
        drainer(app).wake()  # off the request: the background thread runs them
        return
    for handover in handovers:  # a command, a job's follow-up, or tests: run them here
        try:
            jobs.run_entry(handover.entry_id)
        except Exception:  # noqa: BLE001 - recorded on the entry (or still due); retried
            log.warning("job %s will be retried", handover.entry_id, exc_info=True)


def _push(app: Flask, entry_id: int, name: str, delivery: int) -> bool:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import RedisError

    queue = get_queue(app, urgent=name in jobs.urgent_jobs())
    for last_try in (False, True):
        try:
            queue.enqueue(
                jobs.run_entry,
                entry_id,
                job_id=job_id(entry_id, delivery),
                job_timeout=app.config["JOB_TIMEOUT_SECONDS"],
            )
            return True
        except RedisConnectionError:
            if not last_try:
                continue  # a pooled connection to a Redis that restarted: the pool drops it
            log.warning("Redis unreachable; job %s waits in the outbox", entry_id)
        except RedisError as error:
            log.warning("Redis refused job %s; it waits in the outbox (%s)", entry_id, error)
            break
    return False


def job_id(entry_id: int, delivery: int) -> str:
    return f"outbox-{entry_id}-{delivery}"


def get_queue(app: Flask | None = None, urgent: bool = False):
    """The RQ queue for this app (only with ``JOBS_BACKEND = "rq"``); *urgent*: the one
    workers empty first."""
    from redis import Redis
    from rq import Queue

    app = app or real_app()
    state = app_state("assist.rq", app)
    name = app.config["RQ_QUEUE"] + (URGENT_SUFFIX if urgent else "")
    if name not in state:
        if "connection" not in state:
            state["connection"] = Redis.from_url(
                app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=5
            )
        state[name] = Queue(
            name, connection=state["connection"], is_async=app.config["RQ_IS_ASYNC"]
        )
    return state[name]


def worker_queues(app: Flask | None = None) -> list:
    """The queues a worker listens to, the urgent one first."""
    return [get_queue(app, urgent=True), get_queue(app)]


# -- the sweeper -------------------------------------------------------------------------------


def sweep(limit: int = 500, take_turn: bool = False) -> int:
    """Hand over whatever is due or went astray (see the module's docstring); returns how
    many entries were handed over (in process: run). With *take_turn*, do nothing if
    another process swept less than ``OUTBOX_SWEEP_SECONDS`` ago."""
    app = real_app()
    if app.config["JOBS_BACKEND"] != "rq":
        return sum(1 for entry_id in _due(limit) if _run(entry_id))
    from redis.exceptions import RedisError

    try:
        if take_turn and not _my_turn(app):
            return 0
        get_queue(app).connection.ping()
    except RedisError:
        return 0  # nothing can be handed over; the entries wait
    handed = _redeliver(app, [(entry_id, None) for entry_id in _due(limit)])
    return handed + _recover(app, limit)


def _urgent_first(rows: Iterable[Any]) -> list[Any]:
    urgent = jobs.urgent_jobs()
    return sorted(rows, key=lambda row: (row.name not in urgent, row.id))


def _due(limit: int) -> list[int]:
    """Entries not handed over whose time has come, urgent ones first."""
    from community.extensions import db

    urgent = jobs.urgent_jobs()
    rows = db.session.execute(
        select(OutboxEntry.id, OutboxEntry.name)
        .where(
            OutboxEntry.done_at.is_(None),
            OutboxEntry.failed_at.is_(None),
            OutboxEntry.dispatched_at.is_(None),
            OutboxEntry.available_at <= utcnow(),
        )
        .order_by(case((OutboxEntry.name.in_(urgent), 0), else_=1), OutboxEntry.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    return [row.id for row in rows]


def _run(entry_id: int) -> bool:
    try:
        return jobs.run_entry(entry_id) == "done"
    except Exception:  # noqa: BLE001 - recorded on the entry, retried after a backoff
        return False


def _redeliver(app: Flask, claims: list[tuple[int, int | None]]) -> int:
    """Claim a new delivery of each ``(entry id, deliveries seen)`` (None: never handed
    over), unless someone else did since we looked, and push them to Redis. The claims
    take one short transaction, so a busy sweep never keeps workers from the database."""
    from community.extensions import db

    claimed = []
    for entry_id, expected in claims:
        row = db.session.execute(
            update(OutboxEntry)
            .where(
                OutboxEntry.id == entry_id,
                OutboxEntry.done_at.is_(None),
                OutboxEntry.failed_at.is_(None),
                OutboxEntry.dispatched_at.is_(None)
                if expected is None
                else OutboxEntry.deliveries == expected,
            )
            .values(dispatched_at=utcnow(), deliveries=OutboxEntry.deliveries + 1)
            .returning(OutboxEntry.id, OutboxEntry.deliveries, OutboxEntry.name)
        ).first()
        if row is not None:
            claimed.append(row)
    db.session.commit()
    unpushed = [row for row in claimed if not _push(app, row.id, row.name, row.deliveries)]
    for row in unpushed:  # not handed over after all: waiting, not "lost"
        db.session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == row.id, OutboxEntry.deliveries == row.deliveries)
            .values(dispatched_at=None)
        )
    db.session.commit()
    return len(claimed) - len(unpushed)


def _handed_over(limit: int, before: datetime) -> list[Any]:
    from community.extensions import db

    rows = db.session.execute(
        select(OutboxEntry.id, OutboxEntry.name, OutboxEntry.deliveries, OutboxEntry.dispatched_at)
        .where(
            OutboxEntry.done_at.is_(None),
            OutboxEntry.failed_at.is_(None),
            OutboxEntry.dispatched_at < before,
        )
        .order_by(OutboxEntry.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    return list(rows)


def rq_statuses(app: Flask, rows: list[Any]) -> list[str | None]:
    """Each handed-over entry's job status in Redis (None: Redis doesn't have it)."""
    from rq.job import Job

    pipe = get_queue(app).connection.pipeline(transaction=False)
    for row in rows:
        pipe.hget(Job.key_for(job_id(row.id, row.deliveries)), "status")
    return [s.decode() if isinstance(s, bytes) else s for s in pipe.execute()]


def _overdue(app: Flask, row: Any, now: datetime) -> bool:
    visibility = app.config["JOB_VISIBILITY_TIMEOUT_SECONDS"] * 2 ** min(row.deliveries - 1, 5)
    return row.dispatched_at < now - timedelta(seconds=visibility)


def _recover(app: Flask, limit: int) -> int:
    """Hand over again what Redis lost at once; count abandoned runs as failures."""
    now = utcnow()
    rows = _handed_over(limit, now - timedelta(seconds=SETTLE_SECONDS))
    if not rows:
        return 0
    lost = []
    for row, status in zip(rows, rq_statuses(app, rows), strict=True):
        if status is None or status == "finished":
            lost.append(row)  # gone from Redis (or finished just now: a no-op delivery)
        elif status in WAITING_IN_REDIS:
            continue  # queued behind others: it will run; handing it over again won't help
        elif status != "started" or _overdue(app, row, now):
            _abandoned(row, status)
    if lost:
        log.warning("Redis lost %d handed-over jobs; handing them over again", len(lost))
    return _redeliver(app, [(row.id, row.deliveries) for row in _urgent_first(lost)])


def _abandoned(row: Any, status: str) -> None:
    """A run that ended without a word (its worker was killed, or it timed out): a failed
    run, retried after the backoff."""
    jobs.record_failure(row.id, f"delivery {row.deliveries} ended without finishing ({status})")


def _my_turn(app: Flask) -> bool:
    """Whether this process sweeps this round: one sweep per interval across all workers."""
    interval_ms = int(app.config["OUTBOX_SWEEP_SECONDS"] * 1000)
    key = f"{app.config['RQ_QUEUE']}:sweeper"
    connection = get_queue(app).connection
    return bool(connection.set(key, os.getpid(), nx=True, px=max(100, interval_ms - 200)))


def start_sweeper(app: Flask, interval: float, first_round_now: bool = False) -> threading.Event:
    """Sweep every *interval* seconds in a daemon thread (``flask worker`` starts one), when
    it is this process's turn. With *first_round_now* the first round starts at once."""
    stop = threading.Event()

    def loop() -> None:
        delay = 0.0 if first_round_now else interval
        while not stop.wait(delay):
            delay = interval
            with sweeping(), app.app_context():
                try:
                    handed = sweep(take_turn=True)
                    if handed:
                        log.info("sweeper handed over %d outbox entries", handed)
                except Exception:  # noqa: BLE001 - keep sweeping; the next round may work
                    log.warning("outbox sweep failed", exc_info=True)

    threading.Thread(target=loop, name="outbox-sweeper", daemon=True).start()
    return stop


# -- in process: a background thread drains the outbox -----------------------------------------


class Drainer:
    """Runs due outbox entries in this process, off the request: woken after each commit
    that queued jobs, and every ``OUTBOX_SWEEP_SECONDS`` for retries. If the database is
    busy it tries again shortly; the entries stay in the outbox meanwhile."""

    RETRY_SECONDS = 0.5

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.event = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="outbox-drainer", daemon=True)
        self.thread.start()

    def wake(self) -> None:
        self.event.set()

    def stop(self) -> None:
        self.stopped.set()
        self.event.set()

    def _loop(self) -> None:
        interval = float(self.app.config["OUTBOX_SWEEP_SECONDS"])
        delay = 0.0  # first round at once: whatever an earlier process left
        while not self.stopped.is_set():
            self.event.wait(delay)
            self.event.clear()
            delay = interval
            with self.app.app_context():
                try:
                    while not self.stopped.is_set() and _drain_round():
                        pass
                except Exception:  # noqa: BLE001 - a busy database: try again shortly
                    log.warning("outbox drain failed; retrying", exc_info=True)
                    delay = self.RETRY_SECONDS
                finally:
                    from community.extensions import db

                    db.session.remove()


def _drain_round() -> bool:
    """Run what is due now; True if there may be more."""
    due = _due(50)
    for entry_id in due:
        _run_or_raise_if_busy(entry_id)
    return len(due) == 50


def _run_or_raise_if_busy(entry_id: int) -> None:
    from sqlalchemy.exc import OperationalError

    try:
        jobs.run_entry(entry_id)
    except OperationalError:
        raise  # the database is busy or gone: retry the round shortly
    except Exception:  # noqa: BLE001 - the job failed; recorded with its backoff
        log.info("job %s failed; it is retried after its backoff", entry_id)


def drainer(app: Flask) -> Drainer:
    """This process's drainer for *app*, started on first use."""
    state = app_state("assist.drainer", app)
    if state.get("pid") == os.getpid():
        return state["drainer"]
    with _DRAINER_LOCK:
        if state.get("pid") != os.getpid():  # none yet, or inherited across a fork
            state["drainer"], state["pid"] = Drainer(app), os.getpid()
    return state["drainer"]


_DRAINER_LOCK = threading.Lock()


def init_app(app: Flask) -> None:
    """In process, start the drainer with the first request, so jobs left from an earlier
    run are picked up without waiting for a new one."""
    if app.config["JOBS_BACKEND"] == "rq" or app.config["JOBS_RUN_IN_REQUEST"]:
        return

    @app.before_request
    def _ensure_drainer() -> None:
        drainer(app)
