"""The request's unit of work: services flush, the request commits once, and whatever must
wait for the commit waits here, in one place.

A request commits when its response is a success (status below 400) and rolls back
otherwise, so a form re-shown with errors (422) never saves half a change.

What waits for the commit
    Code that must act when, and only when, the current transaction commits hands a value
    to :func:`on_commit` under a key whose handler is registered with
    :func:`commit_handler`. After :func:`commit_unit_of_work` commits, each handler gets
    every value queued under its key (in the order queued), stage by stage
    (:class:`Stage`): first copies kept outside the database (the boards' sorted sets in
    Redis), then rows a read writes once it has ended, then what the response remembers,
    and the background jobs last, because with the inline back end they run at once, in
    transactions of their own. ``BEFORE_COMMIT`` handlers run inside the transaction, just
    before it commits, and may still write to it. A rollback forgets whatever the
    transaction queued (a savepoint's rollback forgets nothing). A bare
    ``db.session.commit()`` runs the ``BEFORE_COMMIT`` handlers too; the rest then waits
    for the next :func:`commit_unit_of_work` in the same app context, and no rollback
    takes it back.

Writing after a read
    A read (a GET) that must still write a row, such as the audit row of a moderator's look
    at the queue, hands it to :func:`write_after_read`. On SQLite a read's transaction holds
    a snapshot; once any other writer has committed, that snapshot can never become a write
    ("database is locked", at once, whatever the busy timeout). So the row is written after
    the read's transaction ends, in a short transaction of its own that takes the write lock
    when it begins, like every writer: it waits for a busy database and is never lost when
    the response is a success.
"""

from __future__ import annotations

import enum
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, g, has_app_context, has_request_context, request
from sqlalchemy import Connection, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction

from community.extensions import db

log = logging.getLogger(__name__)
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITING_AFTER_READ_KEY = "writing_after_read"  # in ``g``: the rows a read wrote are being written
READING_ASIDE_KEY = "reading_aside"  # in ``g``: a connection of its own is only reading


# -- what waits for the commit -----------------------------------------------------------------


class Stage(enum.IntEnum):
    """When a commit handler runs; after the commit, in this order."""

    BEFORE_COMMIT = 0  # in the transaction, just before it commits; may still write
    MIRRORS = 1  # copies kept outside the database (the boards' sorted sets in Redis)
    WRITES_AFTER_READ = 2  # rows a read writes in a short transaction of its own
    RESPONSE = 3  # what the response remembers (what an author just sent, for their next page)
    JOBS = 4  # background jobs; inline, each one runs in a transaction of its own


Handler = Callable[[list[Any]], object]
_HANDLERS: dict[str, tuple[Stage, Handler]] = {}
PENDING = "unit_of_work.pending"  # in ``session.info``: {key: [values]} of the open transaction
COMMITTED = "unit_of_work.committed"  # … and of committed ones, not handled yet


def commit_handler(key: str, stage: Stage) -> Callable[[Handler], Handler]:
    """Register ``handler(values)`` for what :func:`on_commit` queues under *key*. Handlers of
    one stage run in the order they were registered."""

    def decorator(handler: Handler) -> Handler:
        existing = _HANDLERS.get(key)
        if existing is not None and existing[1] is not handler:
            raise RuntimeError(f"commit handler {key!r} registered twice")
        _HANDLERS[key] = (stage, handler)
        return handler

    return decorator


def on_commit(key: str, value: Any = None) -> None:
    """Queue *value* for *key*'s handler, for when the current transaction commits (or, for a
    ``BEFORE_COMMIT`` handler, is about to). A rollback forgets it."""
    if key not in _HANDLERS:
        raise KeyError(f"no commit handler for {key!r}")
    db.session.info.setdefault(PENDING, {}).setdefault(key, []).append(value)


def forget(key: str) -> None:
    """Forget what the open transaction queued under *key*."""
    pending = db.session.info.get(PENDING)
    if pending:
        pending.pop(key, None)


def _order(key: str) -> tuple[int, int]:
    return _HANDLERS[key][0], list(_HANDLERS).index(key)


def _run_before_commit(session: Session) -> None:
    """Run the ``BEFORE_COMMIT`` handlers, also for what they queue themselves."""
    while True:
        pending = session.info.get(PENDING) or {}
        keys = [key for key in pending if _HANDLERS[key][0] is Stage.BEFORE_COMMIT]
        if not keys:
            return
        for key in sorted(keys, key=_order):
            _HANDLERS[key][1](pending.pop(key))


def _mark_committed(session: Session) -> None:
    """The open transaction committed: what it queued for after the commit is due."""
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    committed = session.info.setdefault(COMMITTED, {})
    for key, values in pending.items():
        if _HANDLERS[key][0] is Stage.BEFORE_COMMIT:
            # Queued while the last flush ran: it belongs to the next transaction.
            session.info.setdefault(PENDING, {}).setdefault(key, []).extend(values)
        else:
            committed.setdefault(key, []).extend(values)


def _run_after_commit(session: Session) -> None:
    """Hand everything committed to its handler, stage by stage. A handler that commits
    (writes after a read, a job run inline) starts a round of its own."""
    while committed := session.info.pop(COMMITTED, None):
        for key in sorted(committed, key=_order):
            _HANDLERS[key][1](committed[key])


def _forget_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's release isn't a commit
        _run_before_commit(session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        _mark_committed(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        _forget_pending(session)


def commit_unit_of_work() -> None:
    """Commit the session, then hand what the transaction queued to the commit handlers."""
    session = db.session()
    _run_before_commit(session)
    session.commit()
    _mark_committed(session)  # also when there was no transaction to commit
    _run_after_commit(session)


def rollback_unit_of_work() -> None:
    """Roll back and forget what the transaction queued; never raises (the database may be
    down)."""
    try:
        _forget_pending(db.session())
        db.session.rollback()
    except SQLAlchemyError:
        log.warning("rollback failed; discarding the session", exc_info=True)
        db.session.remove()


# -- SQLite ------------------------------------------------------------------------------------


def configure_sqlite(app: Flask) -> None:
    """WAL, foreign keys and a busy timeout; writers take the lock when they begin.

    Taking the write lock up front (``BEGIN IMMEDIATE``) means a busy database makes
    a request wait, then fail cleanly with a 503, instead of failing halfway through
    with a lock upgrade error. Reads (GET requests) begin deferred and never block
    in WAL mode. A no-op on PostgreSQL.
    """
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine
    busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.close()

    # SQLite lets one writer in at a time and makes the others poll for the lock, which is
    # unfair: under 8 concurrent writers some waited past the busy timeout (503) while
    # others went ahead. The writers of this process queue for a lock of their own first,
    # so SQLite sees one writer per process and the wait is served in turn.
    # A forked child (RQ's work-horse) gets a new lock: a copy of one that another thread
    # held at the fork would stay taken in the child forever, and every job would time out.
    writers = {"lock": threading.Lock()}
    os.register_at_fork(after_in_child=lambda: writers.update(lock=threading.Lock()))

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if not _writing():
            connection.exec_driver_sql("BEGIN")
            return
        lock = writers["lock"]
        if not lock.acquire(timeout=busy_ms / 1000):
            raise OperationalError(
                "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
            )
        connection.info[HOLDS_WRITER_LOCK] = lock
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release_writer(connection.info)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection):
        _release_writer(connection.info)

    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(_dbapi_connection, record):
        _release_writer(record.info)  # a connection given back without commit or rollback


HOLDS_WRITER_LOCK = "assist.writer_lock"


def _release_writer(info: dict) -> None:
    lock = info.pop(HOLDS_WRITER_LOCK, None)
    if lock is not None:
        lock.release()


def _writing() -> bool:
    """Whether this context means to write: a non-GET request, a background job, or the
    rows a read wrote after it ended (but never a :func:`read_aside`)."""
    if has_app_context() and g.get(READING_ASIDE_KEY):
        return False
    if has_request_context() and request.method not in READ_ONLY_METHODS:
        return True
    return bool(has_app_context() and (g.get("running_job") or g.get(WRITING_AFTER_READ_KEY)))


def _reading() -> bool:
    """Whether this context is a request that only reads (a GET, not a job)."""
    return has_request_context() and not _writing()


@contextmanager
def read_aside() -> Iterator[Connection]:
    """A connection of its own, for a writing request's reads that must not hold SQLite's
    write lock while something slow happens next (checking a password hash takes tenths of
    a second): it begins deferred and ends with the block. The request's own transaction
    then takes the write lock only to write, and re-checks what it read here. If the
    request's transaction has begun already, its own connection reads (it sees its writes)."""
    if db.session().in_transaction():
        yield db.session.connection()
        return
    g.setdefault(READING_ASIDE_KEY, True)
    try:
        with db.engine.connect() as connection:
            yield connection
    finally:
        g.pop(READING_ASIDE_KEY, None)


# -- writing after a read ----------------------------------------------------------------------

ROWS_AFTER_READ = "unit_of_work.rows_after_read"


def write_after_read(row: object) -> None:
    """Add *row* to the session now, or, in a request that only reads, once the read's
    transaction has ended (see the module's docstring); either way it is committed when,
    and only when, the request succeeds."""
    if _reading():
        on_commit(ROWS_AFTER_READ, row)
    else:
        db.session.add(row)


@commit_handler(ROWS_AFTER_READ, Stage.WRITES_AFTER_READ)
def _write_rows_after_read(rows: list[object]) -> None:
    g.setdefault(WRITING_AFTER_READ_KEY, True)  # so this transaction begins IMMEDIATE too
    try:
        db.session.add_all(rows)
        db.session.commit()
    finally:
        g.pop(WRITING_AFTER_READ_KEY, None)


def init_app(app: Flask) -> None:
    @app.after_request
    def _finish_unit_of_work(response: Response) -> Response:
        if response.status_code < 400:
            commit_unit_of_work()
        else:
            rollback_unit_of_work()
        return response

    @app.teardown_request
    def _rollback_on_error(exc: BaseException | None) -> None:
        if exc is not None:
            rollback_unit_of_work()
