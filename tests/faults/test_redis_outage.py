"""Redis goes away while people post: nothing is lost, nobody sees an error, the outbox drains."""

from __future__ import annotations

from rq import SimpleWorker
from sqlalchemy import func, select

from community.core import delivery, jobs
from community.core.database import commit_unit_of_work
from community.core.outbox import OutboxEntry
from community.extensions import db
from community.questions.models import Question
from moderation.api import QueueItem
from tests.faults.conftest import wait_for

POSTS = 200


def _undone() -> int:
    db.session.rollback()
    return db.session.scalar(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.done_at.is_(None))
    )


def test_posting_survives_a_redis_outage(make_app, private_redis):
    from community.accounts import services as accounts

    app = make_app(
        REDIS_URL=private_redis.url,
        RATELIMIT_STORAGE_URI=private_redis.url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_POST="1000 per hour",
        RATELIMIT_POST_ACCOUNT="1000 per hour",
        RATELIMIT_POST_NEW_ACCOUNT="1000 per hour",
        RQ_IS_ASYNC=True,
        # Redis keeps nothing on disk here: jobs it held when it stopped are gone; the
        # sweeper finds them missing from Redis and hands them over again.
    )
    with app.app_context():
        people = []
        for n in range(10):
            name = f"CalmOtter{n + 10}"
            accounts.register(accounts.Registration(name, "16-17", "long enough password"))
            people.append(name)
        commit_unit_of_work()
        clients = []
        for name in people:
            client = app.test_client()
            client.post("/log-in", data={"pseudonym": name, "password": "long enough password"})
            clients.append(client)

        statuses = []
        for n in range(POSTS):
            if n == 50:
                private_redis.stop()
            if n == 150:
                private_redis.start()
            response = clients[n % len(clients)].post(
                "/questions/ask",
                data={
                    "title": f"Question number {n} while Redis comes and goes?",
                    "body": "A body long enough to be a real question for the test.",
                    "topic": "other",
                },
            )
            statuses.append(response.status_code)
        assert statuses == [302] * POSTS  # no 5xx, no refusal: every post was accepted

        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Question)) == POSTS
        assert db.session.scalar(select(func.count()).select_from(QueueItem)) == POSTS
        assert _undone() == POSTS  # every screening job waits: in RQ or still in the outbox

        queues = delivery.worker_queues()
        worker = SimpleWorker(queues, connection=queues[0].connection)

        def drained() -> bool:
            jobs.sweep()
            worker.work(burst=True)
            return _undone() == 0

        wait_for(drained, "the outbox to drain", seen=lambda: f"{_undone()} jobs not done")
        screened = db.session.scalar(
            select(func.count()).select_from(QueueItem).where(QueueItem.screened_at.is_not(None))
        )
        assert screened == POSTS


def test_rate_limits_keep_working_without_redis(make_app, private_redis):
    app = make_app(
        REDIS_URL=private_redis.url,
        RATELIMIT_STORAGE_URI=private_redis.url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="3 per minute",
    )
    private_redis.stop()
    client = app.test_client()
    statuses = [
        client.post("/log-in", data={"pseudonym": "x", "password": "y"}).status_code
        for _ in range(5)
    ]
    assert statuses[:3] == [422, 422, 422]
    assert statuses[3:] == [429, 429]
