"""The request's unit of work: services flush, the request commits once.

A request commits when its response is a success (status below 400) and rolls
back otherwise, so a form re-shown with errors (422) never saves half a change.
Jobs queued during the request are dispatched only after the commit.

A read (a GET) that must still write a row, such as the audit row of a moderator's look
at the queue, hands it to :func:`write_after_read`. On SQLite a read's transaction holds a
snapshot; once any other writer has committed, that snapshot can never become a write
("database is locked", at once, whatever the busy timeout). So the row is written after
the read's transaction ends, in a short transaction of its own that takes the write lock
when it begins, like every writer: it waits for a busy database and is never lost when
the response is a success.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from community import jobs
from community.extensions import db

log = logging.getLogger(__name__)
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
AFTER_READ_KEY = "rows_after_read"  # in ``g``: rows a read writes once it has ended
WRITING_AFTER_READ_KEY = "writing_after_read"


def commit_unit_of_work() -> None:
    """Commit the session, write what a read handed over, then dispatch the queued jobs."""
    db.session.commit()
    _commit_rows_after_read()
    jobs.dispatch_pending()


def rollback_unit_of_work() -> None:
    """Roll back and forget the queued jobs; never raises (the database may be down)."""
    jobs.discard_pending()
    if has_app_context():
        g.pop(AFTER_READ_KEY, None)
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.warning("rollback failed; discarding the session", exc_info=True)
        db.session.remove()


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

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing() else "BEGIN")


def _writing() -> bool:
    """Whether this context means to write: a non-GET request, a background job, or the
    rows a read wrote after it ended."""
    if has_request_context() and request.method not in READ_ONLY_METHODS:
        return True
    return bool(has_app_context() and (g.get("running_job") or g.get(WRITING_AFTER_READ_KEY)))


def _reading() -> bool:
    """Whether this context is a request that only reads (a GET, not a job)."""
    return has_request_context() and not _writing()


def write_after_read(row: object) -> None:
    """Add *row* to the session now, or, in a request that only reads, once the read's
    transaction has ended (see the module's docstring); either way it is committed when,
    and only when, the request succeeds."""
    if _reading():
        g.setdefault(AFTER_READ_KEY, []).append(row)
    else:
        db.session.add(row)


def _commit_rows_after_read() -> None:
    if not has_app_context():
        return
    rows = g.pop(AFTER_READ_KEY, None)
    if not rows:
        return
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
