"""The request's unit of work: services flush, the request commits once.

A request commits when its response is a success (status below 400) and rolls
back otherwise, so a form re-shown with errors (422) never saves half a change.
Jobs queued during the request are dispatched only after the commit.
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


def commit_unit_of_work() -> None:
    """Commit the session, then dispatch the jobs the transaction queued."""
    db.session.commit()
    jobs.dispatch_pending()


def rollback_unit_of_work() -> None:
    """Roll back and forget the queued jobs; never raises (the database may be down)."""
    jobs.discard_pending()
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
    """Whether this context means to write: a non-GET request, or a background job."""
    if has_request_context() and request.method not in READ_ONLY_METHODS:
        return True
    return bool(has_app_context() and g.get("running_job"))


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
