"""The embedded default (SQLite, no Redis): nothing after the commit turns a saved post into
an error. Its jobs run in a background thread, off the request, and wait out a lock."""

from __future__ import annotations

import sqlite3

import pytest
from flask import has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from community.core import delivery
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions.models import Question
from moderation.api import QueueItem
from tests.conftest import TEST_DATABASE_URL
from tests.faults.conftest import wait_for

QUESTION = {
    "title": "Is it okay to feel nervous all the time?",
    "body": "Before every class I feel nervous and my hands shake. Is that normal?",
    "topic": "feelings",
}


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's lock: runs in the SQLite pass")
def test_a_lock_after_the_commit_never_turns_a_saved_post_into_an_error(make_app, base_config):
    app = make_app(
        REDIS_URL=None,
        JOBS_BACKEND="inline",
        JOBS_RUN_IN_REQUEST=False,  # the shipped default: a background thread runs jobs
        SQLITE_BUSY_TIMEOUT_MS=300,
    )
    path = base_config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    held = []

    def another_writer_arrives(_session) -> None:
        # Right after the post's commit, another process takes the write lock and keeps it.
        if has_request_context() and request.path == "/questions/ask" and not held:
            blocker.execute("BEGIN IMMEDIATE")
            held.append(True)

    with app.app_context():
        from community.accounts import services as accounts

        accounts.register(accounts.Registration("CalmOtter21", "16-17", "long password 1"))
        commit_unit_of_work()
    client = app.test_client()
    client.post("/log-in", data={"pseudonym": "CalmOtter21", "password": "long password 1"})
    event.listen(Session, "after_commit", another_writer_arrives)
    try:
        response = client.post("/questions/ask", data=QUESTION)
    finally:
        event.remove(Session, "after_commit", another_writer_arrives)
    try:
        assert held, "the lock was never taken after the commit"
        assert response.status_code == 302  # saved, and told so
        page = client.get(response.headers["Location"])
        assert page.status_code == 200 and QUESTION["title"] in page.text
    finally:
        if held:
            blocker.execute("ROLLBACK")
        blocker.close()

    with app.app_context():

        def screened():
            db.session.rollback()
            item = db.session.scalar(select(QueueItem))
            return item is not None and item.screened_at is not None

        # Once the lock is gone, the background thread screens the post.
        wait_for(screened, "the background thread to screen the saved post")
        assert db.session.scalar(select(Question.title)) == QUESTION["title"]
    delivery.drainer(app).stop()
