"""Redis loses what it held, goes away, or lags behind: the outbox notices and copes.

* A Redis restart without its data: every job it held is handed over again within 30 s,
  risk screening first, and ``flask jobs status`` says "lost by Redis" meanwhile.
* A worker whose Redis goes away waits and reconnects instead of exiting.
* Jobs merely queued behind a backlog are never handed over again, and only one sweeper
  sweeps per interval.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from community.core import delivery, jobs
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.outbox import OutboxEntry
from community.extensions import db
from community.questions import services as questions
from tests.faults.conftest import FLASK, WORKER_READY, app_env, wait_for

ROUTINE = 20
SCREENINGS = 5
TARGET_SECONDS = 30  # issue 19: every lost job re-runs within 30 s of the restart


def _author():
    from community.accounts import services as accounts

    user = accounts.register(
        accounts.Registration("CalmOtter21", "16-17", "long enough password")
    ).user
    commit_unit_of_work()
    return user


def _ask(author, n: int) -> None:
    questions.ask(
        author,
        questions.QuestionDraft(
            f"Question {n}: what do I do when it all gets too much?",
            "A body long enough to be a real question for the test.",
            "other",
        ),
    )
    commit_unit_of_work()


def _not_done() -> int:
    db.session.rollback()
    return db.session.scalar(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.done_at.is_(None))
    )


def _status(app) -> str:
    return app.test_cli_runner().invoke(args=["jobs", "status"]).output


def test_jobs_redis_lost_run_again_within_30s_screening_first(
    make_app, base_config, private_redis, services, monkeypatch
):
    app = make_app(REDIS_URL=private_redis.url, RQ_IS_ASYNC=True)
    env = app_env(base_config, REDIS_URL=private_redis.url)  # the shipped sweep interval
    with app.app_context():
        author = _author()
        worker = services([*FLASK, "worker"], env, "worker")
        worker.wait_for_line(WORKER_READY, "the worker to start")
        os.killpg(worker.process.pid, signal.SIGSTOP)  # frozen: jobs stay queued in Redis
        try:
            # Routine jobs first, so screening can't come first merely by being older.
            for _ in range(ROUTINE):
                jobs.enqueue("leaderboard.refresh_listing", author.id)
            commit_unit_of_work()
            for n in range(SCREENINGS):
                _ask(author, n)
            urgent, routine = delivery.worker_queues()
            assert (urgent.count, routine.count) == (SCREENINGS, ROUTINE)

            private_redis.stop()
            private_redis.start()  # no persistence: Redis comes back empty
            restarted = time.monotonic()
            assert (urgent.count, routine.count) == (0, 0)
            monkeypatch.setattr(delivery, "SETTLE_SECONDS", 0)  # this process only
            assert f"lost by Redis    {ROUTINE + SCREENINGS}\n" in _status(app)
        finally:
            os.killpg(worker.process.pid, signal.SIGCONT)

        wait_for(lambda: _not_done() == 0, "every lost job to run", watch=worker, seen=_not_done)
        took = time.monotonic() - restarted
        assert took <= TARGET_SECONDS, f"lost jobs took {took:.1f}s\n{worker.output()[-5000:]}"
        assert f"done             {ROUTINE + SCREENINGS}\n" in _status(app)

        rows = db.session.execute(select(OutboxEntry.name, OutboxEntry.done_at)).all()
        screened = [done for name, done in rows if name == "moderation.screen_submission"]
        others = [done for name, done in rows if name != "moderation.screen_submission"]
        assert len(screened) == SCREENINGS and len(others) == ROUTINE
        assert max(screened) < min(others), worker.output()[-6000:]
        # Handed over twice, but never counted as a failed run.
        assert {a for (a,) in db.session.execute(select(OutboxEntry.attempts))} == {0}


def test_worker_waits_for_redis_and_reconnects(make_app, base_config, private_redis, services):
    app = make_app(REDIS_URL=private_redis.url, RQ_IS_ASYNC=True)
    env = app_env(base_config, REDIS_URL=private_redis.url)
    with app.app_context():
        author = _author()
        worker = services([*FLASK, "worker"], env, "worker")
        worker.wait_for_line(WORKER_READY, "the worker to start")
        private_redis.stop()
        wait_for(
            lambda: "Redis" in worker.output().split(WORKER_READY)[-1],
            "the worker to notice Redis is gone",
            watch=worker,
        )
        time.sleep(2)  # gone for a while, not a blip
        assert worker.process.poll() is None, worker.output()[-3000:]
        private_redis.start()
        _ask(author, 1)  # a job queued after Redis is back
        wait_for(
            lambda: _not_done() == 0, "the reconnected worker to run it", timeout=60, watch=worker
        )
        assert worker.process.poll() is None


def test_a_backlog_is_never_handed_over_again(make_app, private_redis, monkeypatch):
    from rq import SimpleWorker

    app = make_app(REDIS_URL=private_redis.url, RQ_IS_ASYNC=True, JOB_VISIBILITY_TIMEOUT_SECONDS=1)
    monkeypatch.setattr(delivery, "SETTLE_SECONDS", 0)
    with app.app_context():
        author = _author()
        for _ in range(40):
            jobs.enqueue("leaderboard.refresh_listing", author.id)
        commit_unit_of_work()
        # Queued behind others for an hour, far past the visibility timeout.
        db.session.execute(update(OutboxEntry).values(dispatched_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        routine = delivery.get_queue()
        for _ in range(5):
            assert jobs.sweep() == 0
        assert routine.count == 40
        assert "late             40\n" in _status(app)
        queues = delivery.worker_queues()
        SimpleWorker(queues, connection=queues[0].connection).work(burst=True)
        rows = db.session.execute(
            select(OutboxEntry.deliveries, OutboxEntry.attempts, OutboxEntry.done_at)
        ).all()
        assert all(done is not None for _, _, done in rows)
        assert {(deliveries, attempts) for deliveries, attempts, _ in rows} == {(1, 0)}


def test_one_sweeper_per_interval(make_app, private_redis):
    app = make_app(REDIS_URL=private_redis.url, RQ_IS_ASYNC=True, OUTBOX_SWEEP_SECONDS=1)
    with app.app_context():
        author = _author()

        def waiting_entry() -> None:
            db.session.add(OutboxEntry(name="leaderboard.refresh_listing", args=str(author.id)))
            db.session.commit()

        waiting_entry()
        assert jobs.sweep(take_turn=True) == 1  # this worker's turn
        waiting_entry()
        assert jobs.sweep(take_turn=True) == 0  # another worker swept just now: not yet
        wait_for(lambda: jobs.sweep(take_turn=True) == 1, "the next turn", timeout=10)
