"""A worker killed in the middle of a job: the job's effect still happens, exactly once."""

from __future__ import annotations

import sqlite3

from rq import Queue
from rq.registry import StartedJobRegistry
from sqlalchemy import create_engine, func, select, text

from community.core.database import commit_unit_of_work
from community.core.outbox import OutboxEntry
from community.extensions import db
from community.questions import services as questions
from moderation.api import QueueItem
from tests.faults.conftest import FLASK, WORKER_READY, app_env, wait_for


class RowLock:
    """Hold the lock the job needs first, from outside the app, until released."""

    def __init__(self, uri: str, entry_id: int) -> None:
        if uri.startswith("sqlite"):
            self.connection = sqlite3.connect(uri.removeprefix("sqlite:///"), isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")  # the job's BEGIN IMMEDIATE waits
            self.release = lambda: (self.connection.execute("ROLLBACK"), self.connection.close())
        else:
            engine = create_engine(uri)
            connection = engine.connect()
            transaction = connection.begin()
            connection.execute(
                text("SELECT id FROM job_outbox WHERE id = :id FOR UPDATE"), {"id": entry_id}
            )

            def release():
                transaction.rollback()
                connection.close()
                engine.dispose()

            self.release = release


def test_sigkill_mid_job_then_exactly_once(make_app, base_config, private_redis, services):
    from community.accounts import services as accounts

    app = make_app(REDIS_URL=private_redis.url, RQ_IS_ASYNC=True)
    with app.app_context():
        author = accounts.register(
            accounts.Registration("CalmOtter21", "16-17", "long enough password")
        ).user
        commit_unit_of_work()
        question = questions.ask(
            author,
            questions.QuestionDraft(
                "Will my screening job survive a crash?", "A body long enough for the job.", "other"
            ),
        )
        commit_unit_of_work()  # hands the screening job to RQ (our private Redis)
        entry = db.session.scalar(select(OutboxEntry))
        assert entry.name == "moderation.screen_submission" and entry.dispatched_at
        entry_id = entry.id
        db.session.rollback()

        env = app_env(
            base_config,
            REDIS_URL=private_redis.url,
            ASSIST_SQLITE_BUSY_TIMEOUT_MS="60000",
            ASSIST_JOB_VISIBILITY_TIMEOUT_SECONDS="2",
            ASSIST_OUTBOX_SWEEP_SECONDS="1",
        )
        lock = RowLock(base_config["SQLALCHEMY_DATABASE_URI"], entry_id)
        try:
            first = services([*FLASK, "worker"], env, "worker-1")
            first.wait_for_line(WORKER_READY, "the first worker to start")
            connection = private_redis_connection(private_redis)
            # Screening goes to the queue workers empty first.
            queue = Queue(app.config["RQ_QUEUE"] + "-urgent", connection=connection)
            started = StartedJobRegistry(queue=queue)
            wait_for(
                lambda: started.count == 1,
                "the worker to start the job",
                watch=first,
                seen=lambda: f"{len(queue)} queued, {started.count} started in RQ",
            )
            first.kill()  # SIGKILL to worker and work-horse, mid-job
        finally:
            lock.release()

        def done():
            db.session.rollback()
            return db.session.get(OutboxEntry, entry_id).done_at is not None

        assert not done()
        second = services([*FLASK, "worker"], env, "worker-2")
        second.wait_for_line(WORKER_READY, "the second worker to start")
        wait_for(
            done,
            "the new worker to finish the job",
            watch=second,
            seen=lambda: repr(db.session.get(OutboxEntry, entry_id)),
        )

        # Handed over again (by RQ's abandoned-job handling or the outbox sweeper) and run once.
        item = db.session.scalar(select(QueueItem).where(QueueItem.content_id == question.id))
        assert item.screened_at is not None
        # Delivering the finished job once more changes nothing.
        from community.core.jobs import run_entry

        assert run_entry(entry_id) == "already done"
        assert db.session.scalar(select(func.count()).select_from(OutboxEntry)) == 1


def private_redis_connection(server):
    from redis import Redis

    return Redis(host="127.0.0.1", port=server.port)
