"""A forked RQ work-horse can write although its parent's sweeper was mid-transaction."""

from __future__ import annotations

import os
import threading

import pytest
from flask import g
from sqlalchemy import text

from community.core import delivery
from community.extensions import db


def test_a_work_horse_forked_during_a_sweep_round_can_write(make_app):
    """RQ forks a work-horse per job while the worker's sweeper thread may be in a write
    transaction. A child forked inside it kept SQLite's in-memory lock state (and the
    writers' lock) for good: every job timed out as "database is locked"."""
    app = make_app(SQLITE_BUSY_TIMEOUT_MS=3000)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's locks live in the process; PostgreSQL's don't")
    in_round = threading.Event()

    def sweeper() -> None:  # a round that writes, as the worker's sweeper thread does
        with delivery.sweeping(), app.app_context():
            g.running_job = True
            db.session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: holds the write lock
            in_round.set()
            threading.Event().wait(0.5)
            db.session.rollback()

    thread = threading.Thread(target=sweeper)
    thread.start()
    assert in_round.wait(10)
    pid = os.fork()  # waits for the round to end
    if pid == 0:  # the work-horse
        code = 1
        try:
            with app.app_context():
                db.engine.dispose(close=False)
                g.running_job = True
                db.session.execute(text("SELECT 1"))
                db.session.rollback()
                code = 0
        finally:
            os._exit(code)
    thread.join(10)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the work-horse could not begin a write"
