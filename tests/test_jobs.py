"""The job seam: in-process without Redis, RQ with it; jobs run only after the commit."""

import os

import pytest
from sqlalchemy import func, select

from community.assists import services as assists
from community.core import delivery, jobs
from community.core.database import commit_unit_of_work, rollback_unit_of_work
from community.core.outbox import OutboxEntry
from community.extensions import db
from community.reputation.models import ReputationEvent
from tests.conftest import approve_open

needs_redis = pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"),
    reason="runs with TEST_REDIS_URL (CI's PostgreSQL + Redis pass)",
)


def _events() -> int:
    return db.session.scalar(select(func.count()).select_from(ReputationEvent))


def test_jobs_take_ids_not_objects(app, youth):
    with pytest.raises(TypeError):
        jobs.enqueue("leaderboard.record_assist_published", youth)
    with pytest.raises(KeyError):
        jobs.enqueue("no.such.job", 1)


def test_a_rolled_back_transaction_runs_no_job(app, published_question, other_youth, moderator):
    assist = assists.write(other_youth, published_question.id, "A kind and useful assist.")
    commit_unit_of_work()
    from moderation import api as moderation
    from moderation.api import QueueItem, QueueState

    item = db.session.scalar(select(QueueItem).where(QueueItem.state == QueueState.OPEN))
    moderation.approve(item.id, moderator)
    rollback_unit_of_work()
    assert _events() == 0
    approve_open(moderator)
    assert _events() == 1
    assert assist.id


@needs_redis
def test_rq_worker_runs_jobs_queued_after_commit(make_app, base_config):
    from rq import SimpleWorker

    from community.accounts import services as accounts
    from community.accounts.models import Role
    from community.questions import services as questions

    app = make_app(RQ_IS_ASYNC=True)
    with app.app_context():
        assert app.config["JOBS_BACKEND"] == "rq"
        asker = accounts.register(
            accounts.Registration("CalmOtter21", "16-17", "long password 1")
        ).user
        helper = accounts.register(
            accounts.Registration("BraveFalcon42", "16-17", "long password 2")
        ).user
        mod = accounts.create_staff("Moderator Mo", Role.MODERATOR, "long password 3")
        commit_unit_of_work()
        question = questions.ask(
            asker,
            questions.QuestionDraft(
                "A question for the worker?", "Some body text that is long enough.", "other"
            ),
        )
        commit_unit_of_work()
        approve_open(mod)
        assists.write(helper, question.id, "An assist for the worker.")
        commit_unit_of_work()
        approve_open(mod)
        urgent, routine = delivery.worker_queues()
        # Two screenings (on the queue workers empty first) and one reputation job, queued
        # in Redis, not run yet.
        assert (urgent.count, routine.count, _events()) == (2, 1, 0)
        SimpleWorker([urgent, routine], connection=urgent.connection).work(burst=True)
        db.session.rollback()
        assert _events() == 1
        assert (
            db.session.scalar(
                select(func.count()).select_from(OutboxEntry).where(OutboxEntry.done_at.is_(None))
            )
            == 0
        )
        # At-least-once delivery: the same job again changes nothing.
        jobs.perform("leaderboard.record_assist_published", 1)
        assert _events() == 1


def test_a_failing_job_is_kept_and_retried_with_backoff(app, youth, monkeypatch):
    from community.core.outbox import OutboxEntry

    calls = []

    def flaky(user_id):
        calls.append(user_id)
        if len(calls) == 1:
            raise RuntimeError("the first try fails")

    monkeypatch.setitem(jobs._REGISTRY, "test.flaky", flaky)
    jobs.enqueue("test.flaky", youth.id)
    commit_unit_of_work()  # inline back end: runs now, fails, stays in the outbox
    entry = db.session.scalar(select(OutboxEntry).where(OutboxEntry.name == "test.flaky"))
    assert entry.done_at is None and entry.attempts == 1
    assert "first try fails" in entry.last_error
    assert entry.available_at > entry.created_at  # backoff before the next try
    assert jobs.sweep() == 0  # not due yet
    entry.available_at = entry.created_at
    commit_unit_of_work()
    assert jobs.sweep() == 1
    db.session.rollback()
    assert db.session.get(OutboxEntry, entry.id).done_at is not None
    assert calls == [youth.id, youth.id]


def test_admins_see_the_outbox(client, create_user, login, youth):
    from community.accounts.models import Role

    login(youth)
    assert client.get("/admin/jobs").status_code == 403
    client.post("/log-out")
    admin = create_user(role=Role.ADMIN)
    login(admin)
    page = client.get("/admin/jobs")
    assert page.status_code == 200 and "Waiting or running" in page.text


def test_a_starting_worker_sweeps_at_once_without_waiting_a_round(app, youth, monkeypatch):
    """``flask worker`` sweeps in the background from its first moment, not after an interval."""
    import threading

    from community.core.outbox import OutboxEntry

    ran = threading.Event()
    monkeypatch.setitem(jobs._REGISTRY, "test.waiting", lambda user_id: ran.set())
    # A job left in the outbox (no worker was running when it was queued).
    db.session.add(OutboxEntry(name="test.waiting", args=str(youth.id)))
    db.session.commit()
    stop = jobs.start_sweeper(app, interval=3600, first_round_now=True)
    try:
        assert ran.wait(60), "the sweeper's first round did not run the waiting job"
    finally:
        stop.set()


def test_jobs_status_counts_each_state(app, youth, runner):
    from datetime import timedelta

    from community.core.clock import utcnow

    now = utcnow()
    db.session.add_all(
        [
            OutboxEntry(name="test.a", args="1"),  # waiting
            OutboxEntry(name="test.b", args="1", attempts=1, available_at=now + timedelta(60)),
            OutboxEntry(name="test.c", args="1", done_at=now),
            OutboxEntry(name="test.d", args="1", attempts=8, failed_at=now),
        ]
    )
    db.session.commit()
    lines = runner.invoke(args=["jobs", "status"]).output.splitlines()
    counts = {line[:16].strip(): int(line[16:]) for line in lines}
    assert counts["waiting"] == 1 and counts["retrying"] == 1
    assert counts["done"] == 1 and counts["failed"] == 1
    assert counts["queued in Redis"] == counts["lost by Redis"] == counts["running"] == 0
