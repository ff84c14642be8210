"""The Redis mirror of the boards never blanks the leaderboard.

Redis comes back empty (FLUSHALL, or a restart without its data): the page comes from SQL
at once and the mirror refills itself in the background. Writes Redis missed while it was
away are caught up: SQL answers until the refill has them.
"""

from __future__ import annotations

from redis import Redis

from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.reputation import boards, redis_boards
from tests.faults.conftest import wait_for


def _person(name: str):
    from community.accounts import services as accounts

    return accounts.register(accounts.Registration(name, "16-17", "long enough password")).user


def _give(user, points: int) -> None:
    boards.add_points(user.id, ["all"], points, utcnow(), listed=True)
    commit_unit_of_work()  # the sorted sets are written after the commit


def _mirrored(client: Redis, app) -> dict[int, int]:
    key = redis_boards.redis_key("all", app)
    return {
        int(member): redis_boards.rules.points_from_order_key(int(score))
        for member, score in client.zrange(key, 0, -1, withscores=True)
    }


def _ready_after_a_read(page, client: Redis, ready: str) -> bool:
    """Readers keep coming (each one starts a refill if none is running); meanwhile every
    one of them sees the board."""
    assert "BraveFalcon42" in page.get("/leaderboard/").text
    return bool(client.exists(ready))


def test_an_empty_or_behind_mirror_never_blanks_the_board(make_app, private_redis):
    app = make_app(
        REDIS_URL=private_redis.url,
        LEADERBOARD_BACKEND="redis",
        LEADERBOARD_REFILL_IN_BACKGROUND=True,  # as shipped
    )
    client = Redis.from_url(private_redis.url)
    ready = redis_boards.meta_key(redis_boards.READY, app)
    page = app.test_client()
    with app.app_context():
        falcon, owl = _person("BraveFalcon42"), _person("QuietOwl17")
        commit_unit_of_work()
        _give(falcon, 12)

        # Never filled: SQL answers, and the mirror fills itself.
        first = page.get("/leaderboard/")
        assert first.status_code == 200 and "BraveFalcon42" in first.text
        wait_for(lambda: _ready_after_a_read(page, client, ready), "the mirror to fill itself")
        assert _mirrored(client, app) == {falcon.id: 12}

        # Redis loses everything: the board still shows, and the mirror comes back.
        client.flushall()
        after_flush = page.get("/leaderboard/")
        assert "Nobody has points here yet" not in after_flush.text
        assert "BraveFalcon42" in after_flush.text
        wait_for(
            lambda: _ready_after_a_read(page, client, ready), "the mirror to refill after FLUSHALL"
        )
        assert _mirrored(client, app) == {falcon.id: 12}

        # Redis refuses connections for a while (its data kept): the write is missed.
        client.config_set("requirepass", "away-for-a-while")
        client.client_kill_filter(_type="normal", skipme=True)
        _give(owl, 30)  # saved in SQL; Redis can't be told
        away = page.get("/leaderboard/")
        assert "QuietOwl17" in away.text and "BraveFalcon42" in away.text
        client.config_set("requirepass", "")
        # Back: the mirror knows it missed a write, so SQL answers until it caught up.
        back = page.get("/leaderboard/")
        assert back.text.index("QuietOwl17") < back.text.index("BraveFalcon42")
        wait_for(
            lambda: (
                _ready_after_a_read(page, client, ready)
                and _mirrored(client, app) == {owl.id: 30, falcon.id: 12}
            ),
            "the mirror to catch up with the missed write",
            seen=lambda: _mirrored(client, app),
        )
        again = page.get("/leaderboard/")
        assert again.text.index("QuietOwl17") < again.text.index("BraveFalcon42")
