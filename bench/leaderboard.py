"""Leaderboard benchmark: top 50, own rank and one score update at N users.

Seeds N young people and their reputation events on the configured back end, builds every
board with the real ``rebuild()`` (SQL, and Redis when configured), then prints the median
and 90th percentile of:

* **top 50**   -- ``standings.top(50)`` on the all-time board, pseudonyms included;
* **own rank** -- ``standings.rank_of(user)`` for random people (some not listed);
* **update**   -- one "this helped" event written end to end: the ledger row, its six
  boards, the commit, and (with Redis) the sorted sets after the commit.

Not part of the test suite. Run it on demand, against a database you can throw away::

    python bench/leaderboard.py 100000 --database-url sqlite:////tmp/bench.sqlite3
    python bench/leaderboard.py 1000000 --database-url postgresql://postgres@127.0.0.1/bench \\
        --redis-url redis://127.0.0.1:6379/14

It refuses to touch a database that already has accounts unless ``--reset`` is given, and
keeps its Redis keys under the ``bench:`` prefix.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from community import create_app  # noqa: E402
from community.accounts.models import AgeBand, Role, User  # noqa: E402
from community.core.clock import utcnow  # noqa: E402
from community.core.database import commit_unit_of_work  # noqa: E402
from community.extensions import db  # noqa: E402
from community.questions.topics import Topic  # noqa: E402
from community.reputation import ledger, redis_boards, standings  # noqa: E402
from community.reputation.models import ReputationEvent  # noqa: E402
from community.reputation.rebuild import rebuild  # noqa: E402
from community.reputation.rules import EventKind  # noqa: E402

BATCH = 20_000
TOPICS = list(Topic)


def build_app(args):
    config = {"SQLALCHEMY_DATABASE_URI": args.database_url, "LEADERBOARD_REDIS_PREFIX": "bench:"}
    if args.redis_url:
        config.update(REDIS_URL=args.redis_url, LEADERBOARD_BACKEND="redis")
    else:
        config.update(REDIS_URL=None, LEADERBOARD_BACKEND="sql", JOBS_BACKEND="inline")
    return create_app(config)


def prepare(args) -> None:
    upgrade()
    people = db.session.scalar(select(func.count()).select_from(User)) or 0
    if people and not args.reset:
        sys.exit(f"{people} accounts in that database already; use --reset to empty it first.")
    db.session.rollback()  # SQLite: let go of the lock before emptying the tables
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
    if redis_boards.uses_redis():
        client = redis_boards.redis_client()
        keys = list(client.scan_iter(match="bench:*", count=10_000))
        for start in range(0, len(keys), 10_000):
            client.delete(*keys[start : start + 10_000])


def seed(n: int, rng: random.Random) -> None:
    """N people (a tenth aged 13-15, off the boards by default) and their events over a year:
    one "this helped" per person, and a long tail of more."""
    now = utcnow()
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        db.session.execute(
            insert(User),
            [
                {
                    "pseudonym": f"Bench{i:07d}",
                    "password_hash": "-",
                    "role": Role.YOUTH,
                    "age_band": AgeBand.AGE_13_15 if i % 10 == 0 else AgeBand.AGE_16_17,
                    "session_version": 1,
                    "is_active": True,
                    "created_at": now,
                }
                for i in range(start, min(start + BATCH, n))
            ],
        )
    first_id = db.session.scalar(select(func.min(User.id)))
    commit_unit_of_work()
    events, written = [], 0
    for offset in range(n):
        user_id = first_id + offset
        topic = TOPICS[offset % len(TOPICS)]  # people mostly help with what they know
        helped = 1 + min(int(rng.paretovariate(1.6)) - 1, 400)
        for k in range(helped):
            when = now - timedelta(seconds=rng.randint(0, 365 * 86_400))
            kind, points = (
                (EventKind.ASSIST_HELPFUL, 10) if k % 3 else (EventKind.ASSIST_PUBLISHED, 2)
            )
            events.append(
                {
                    "key": f"bench:{user_id}:{k}",
                    "user_id": user_id,
                    "kind": kind,
                    "points": points,
                    "asker_id": first_id + rng.randrange(n),
                    "topic": topic if rng.random() < 0.8 else rng.choice(TOPICS),
                    "counted_at": when,
                    "created_at": when,
                }
            )
        if len(events) >= BATCH:
            db.session.execute(insert(ReputationEvent), events)
            written += len(events)
            events = []
    if events:
        db.session.execute(insert(ReputationEvent), events)
        written += len(events)
    commit_unit_of_work()
    print(f"seeded {n:,} people and {written:,} events in {time.perf_counter() - started:.0f} s")
    analyze()
    started = time.perf_counter()
    ranked = rebuild()
    commit_unit_of_work()
    analyze()
    print(f"rebuilt every board for {ranked:,} people in {time.perf_counter() - started:.0f} s")


def analyze() -> None:
    """Fresh planner statistics, as autovacuum would have after a while."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def measure(label: str, samples: int, step: Callable[[int], object]) -> None:
    timings = []
    for i in range(samples):
        started = time.perf_counter()
        step(i)
        timings.append((time.perf_counter() - started) * 1000)
        db.session.rollback()  # a fresh transaction per sample, as per request
    timings.sort()
    median = statistics.median(timings)
    p90 = timings[int(len(timings) * 0.9) - 1]
    print(f"{label:<10} median {median:7.3f} ms   p90 {p90:7.3f} ms   ({samples} runs)")


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("users", type=int, help="how many people to seed (e.g. 1000000)")
    parser.add_argument("--database-url", default="sqlite:////tmp/assist-bench.sqlite3")
    parser.add_argument("--redis-url", help="measure the Redis back end (default: SQL)")
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the last seeded data")
    args = parser.parse_args()
    rng = random.Random(5)
    app = build_app(args)
    with app.app_context():
        backend = "redis" if redis_boards.uses_redis() else "sql"
        print(f"{args.users:,} users, {db.engine.dialect.name} + {backend}")
        if not args.skip_seed:
            prepare(args)
            seed(args.users, rng)
        ids = list(db.session.scalars(select(User.id)))
        board = standings.current_board()
        chosen = [rng.choice(ids) for _ in range(args.samples)]
        loaded = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(chosen)))}
        sample_people = [loaded[user_id] for user_id in chosen]
        db.session.expunge_all()  # plain values, as a request's login would give
        rows = standings.top(50, board)
        assert len(rows) == 50, rows
        measure("top 50", args.samples, lambda i: standings.top(50, board))
        measure("own rank", args.samples, lambda i: standings.rank_of(sample_people[i], board))

        def update(i: int) -> None:
            user = sample_people[i]
            ledger._award(
                EventKind.ASSIST_HELPFUL,
                user_id=user.id,
                key=f"bench:update:{i}:{time.time_ns()}",
                counterpart_id=ids[0],
                asker_id=ids[0],
                topic=Topic.SCHOOL,
                assist_id=None,
                own_thread=False,
            )
            commit_unit_of_work()

        measure("update", min(args.samples, 500), update)


if __name__ == "__main__":
    main()
