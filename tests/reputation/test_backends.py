"""Redis sorted sets and the SQL index give the same standings for the same ledger.

Runs in CI's PostgreSQL + Redis pass (``TEST_REDIS_URL``); skipped without it. An
unreachable Redis fails the run (tests/conftest.py pings it first).
"""

import os
import random
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from community.accounts import services as accounts
from community.accounts.models import AgeBand, Role, User
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions.topics import Topic
from community.reputation import (
    addresses,
    boards,
    ledger,
    listing,
    mirror,
    rebuild,
    redis_boards,
    standings,
)
from community.reputation.models import BoardStanding, ReputationEvent
from community.reputation.rules import EventKind

needs_redis = pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"),
    reason="runs with TEST_REDIS_URL (CI's PostgreSQL + Redis pass)",
)


def _snapshot(app, backend: str) -> dict:
    """Every board's full order and the position of everyone on it, through one back end."""
    app.config["LEADERBOARD_BACKEND"] = backend
    on_board: dict[str, list[int]] = {}
    for key, user_id in db.session.execute(select(BoardStanding.board, BoardStanding.user_id)):
        on_board.setdefault(key, []).append(user_id)
    nobody = db.session.scalar(select(User.id).order_by(User.id.desc()))  # a newcomer
    return {
        key: (
            boards.top(key, 10_000),
            # Everyone's order is in the top; positions for a fixed sample (listed or not).
            {user_id: boards.position(key, user_id) for user_id in [*sorted(users)[::4], nobody]},
        )
        for key, users in sorted(on_board.items())
    }


def _ledger_with_ties(rng: random.Random) -> None:
    bands = [AgeBand.AGE_13_15, AgeBand.AGE_16_17, AgeBand.AGE_18_25]
    db.session.execute(
        insert(User),
        [
            {
                "pseudonym": f"Person{n}",
                "password_hash": "-",
                "role": Role.YOUTH,
                "age_band": bands[n % 3],
                "session_version": 1,
                "is_active": True,
                "created_at": utcnow(),
            }
            for n in range(120)
        ],
    )
    people = list(
        db.session.scalars(select(User.id).where(User.role == Role.YOUTH).order_by(User.id))
    )
    now = utcnow().replace(microsecond=0)
    # Few distinct times and point values: plenty of exact ties on points and second.
    moments = [now - timedelta(days=d) for d in (0, 0, 1, 9, 40, 400)]
    events = []
    for n in range(900):
        author, asker = rng.sample(people, 2)
        kind, points = rng.choice([(EventKind.ASSIST_PUBLISHED, 2), (EventKind.ASSIST_HELPFUL, 10)])
        when = rng.choice(moments)
        events.append(
            {
                "key": f"{kind.value}:s{n}",
                "user_id": author,
                "kind": kind,
                "points": points,
                "asker_id": asker,
                "topic": rng.choice([Topic.LOVE, Topic.SCHOOL, None]),
                "counted_at": when,
                "created_at": when,
            }
        )
    db.session.execute(insert(ReputationEvent), events)
    for person in people[:10]:
        listing.choose(db.session.get(User, person), appear=person % 2 == 0)


@needs_redis
def test_both_back_ends_give_the_same_standings(app, create_user, ask, assist_on):
    assert redis_boards.uses_redis(app)
    rng = random.Random(11)
    _ledger_with_ties(rng)
    rebuild.rebuild()
    commit_unit_of_work()
    sql = _snapshot(app, "sql")
    assert any(len(top) > 20 for top, _ in sql.values())
    assert _snapshot(app, "redis") == sql

    # Written event by event (after each commit) instead of rebuilt: still the same.
    app.config["LEADERBOARD_BACKEND"] = "redis"
    asker = create_user()
    for n in range(6):
        helper = create_user(age_band="13-15" if n == 2 else "16-17")
        assist_on(helper, ask(asker, topic="love", n=n), helpful=n % 2 == 0)
    ledger.record_assist_removed(
        db.session.scalar(select(ReputationEvent.assist_id).where(ReputationEvent.assist_id > 0))
    )
    listing.choose(helper, appear=False)
    commit_unit_of_work()
    sql = _snapshot(app, "sql")
    assert _snapshot(app, "redis") == sql

    # And a rebuild from the ledger reproduces both.
    rebuild.rebuild()
    commit_unit_of_work()
    assert _snapshot(app, "sql") == sql
    assert _snapshot(app, "redis") == sql


@needs_redis
def test_rebuild_restores_lost_redis_boards(app, youth, other_youth, ask, assist_on, runner):
    assist_on(other_youth, ask(youth), helpful=True)
    client = redis_boards.redis_client(app)
    client.flushdb()
    # An empty mirror never blanks the board: SQL answers while it refills itself.
    assert [(r.user_id, r.points) for r in standings.top()] == [(other_youth.id, 12)]
    result = runner.invoke(args=["leaderboard", "rebuild"])
    assert result.exit_code == 0, result.output
    assert [(r.user_id, r.points) for r in standings.top()] == [(other_youth.id, 12)]
    # No half-built copies are left behind.
    assert not [k for k in client.scan_iter(match="*~*")]


@pytest.fixture
def ready_mirror(app):
    """The (empty) mirror, marked complete: reads really come from Redis."""
    assert mirror.refill()


@needs_redis
def test_a_rolled_back_change_never_reaches_redis(
    app, ready_mirror, youth, other_youth, ask, assist_on
):
    assist_on(other_youth, ask(youth), helpful=True)
    listing.choose(other_youth, appear=False)
    db.session.rollback()
    assert [r.user_id for r in standings.top()] == [other_youth.id]


@needs_redis
def test_a_savepoint_released_before_a_rollback_never_reaches_redis(
    app, ready_mirror, youth, other_youth, ask, assist_on
):
    assist_on(other_youth, ask(youth), helpful=True)
    listing.choose(other_youth, appear=False)
    addresses.record_sighting(other_youth.id, "203.0.113.9")  # a savepoint, released
    db.session.rollback()
    assert [r.user_id for r in standings.top()] == [other_youth.id]


def test_without_redis_the_sql_index_serves_the_boards(make_app):
    app = make_app(LEADERBOARD_BACKEND="sql")
    with app.app_context():
        assert not redis_boards.uses_redis()
    app = make_app(LEADERBOARD_BACKEND=None, REDIS_URL=None)
    with app.app_context():
        assert not redis_boards.uses_redis()


def test_sql_ranks_match_a_full_sort(app):
    """The SQL back end counts only one day's tie group (the histograms give the rest); it
    must give exactly the rank a full sort gives, listed or not, on every board."""
    app.config["LEADERBOARD_BACKEND"] = "sql"
    _ledger_with_ties(random.Random(3))
    rebuild.rebuild()
    commit_unit_of_work()
    rows = db.session.execute(
        select(
            BoardStanding.board,
            BoardStanding.user_id,
            BoardStanding.order_key,
            BoardStanding.listed,
            BoardStanding.points,
        ).where(BoardStanding.points > 0)
    ).all()
    by_board: dict[str, list] = {}
    for row in rows:
        by_board.setdefault(row.board, []).append(row)
    checked = 0
    for key, standing in by_board.items():
        listed = sorted((r.order_key, r.user_id) for r in standing if r.listed)
        for row in standing[::3]:
            ahead = sum(1 for entry in listed if entry < (row.order_key, row.user_id))
            position = boards.position(key, row.user_id)
            assert (position.rank, position.points) == (ahead + 1, row.points), (key, row)
            checked += 1
    assert checked > 300


def test_without_redis_reachable_the_boards_still_answer(make_app):
    """Redis down: the page comes from SQL (never a 500); the ledger is written as usual."""
    app = make_app(
        REDIS_URL="redis://127.0.0.1:1/0", LEADERBOARD_BACKEND="redis", JOBS_BACKEND="inline"
    )
    with app.app_context():
        register = accounts.register
        asker = register(accounts.Registration("CalmOtter21", "16-17", "long pass 1")).user
        helper = register(accounts.Registration("BraveFalcon42", "16-17", "long pass 2")).user
        commit_unit_of_work()
        db.session.execute(
            insert(ReputationEvent),
            [
                {
                    "key": "assist_helpful:x1",
                    "user_id": helper.id,
                    "kind": EventKind.ASSIST_HELPFUL,
                    "points": 10,
                    "asker_id": asker.id,
                    "topic": Topic.SCHOOL,
                    "counted_at": utcnow(),
                    "created_at": utcnow(),
                }
            ],
        )
        app.config["LEADERBOARD_BACKEND"] = "sql"  # Redis can't be rebuilt: build SQL only
        rebuild.rebuild()
        commit_unit_of_work()
        app.config["LEADERBOARD_BACKEND"] = "redis"
        assert [(r.pseudonym, r.points) for r in standings.top()] == [("BraveFalcon42", 10)]
        assert standings.rank_of(helper).rank == 1
    page = app.test_client().get("/leaderboard/")
    assert page.status_code == 200 and "BraveFalcon42" in page.text
