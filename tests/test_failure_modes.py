"""When the database is locked or gone, people get a calm 503 and keep what they typed."""

import sqlite3

import pytest

from community import create_app
from tests.conftest import TEST_DATABASE_URL

QUESTION = {
    "title": "Is it okay to feel nervous all the time?",
    "body": "Before every class I feel nervous and my hands shake. Is that normal?",
    "topic": "feelings",
}


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the SQLite lock test runs in the SQLite pass")
def test_a_held_sqlite_write_lock_gives_503_with_the_text_kept(make_app, base_config):
    app = make_app(SQLITE_BUSY_TIMEOUT_MS=200)
    with app.app_context():
        from community.accounts import services as accounts
        from community.core.database import commit_unit_of_work

        accounts.register(accounts.Registration("CalmOtter21", "16-17", "long password 1"))
        commit_unit_of_work()
    client = app.test_client()
    client.post("/log-in", data={"pseudonym": "CalmOtter21", "password": "long password 1"})
    path = base_config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock and won't let go
    try:
        response = client.post("/questions/ask", data=QUESTION)
        reading = client.get("/questions/")  # reads still work in WAL mode
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert QUESTION["body"] in response.text and QUESTION["title"] in response.text
    assert "long password 1" not in response.text
    assert reading.status_code == 200
    again = client.post("/questions/ask", data=QUESTION)  # the lock is gone: it saves now
    assert again.status_code == 302


def test_an_unreachable_database_gives_503_not_500():
    # Port 9 on loopback: nothing listens there, the connection is refused at once.
    broken = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:9/none"}
    )
    client = broken.test_client()
    page = client.get("/questions/")
    assert page.status_code == 503 and page.headers["Retry-After"]
    posted = client.post("/log-in", data={"pseudonym": "CalmOtter21", "password": "secret"})
    assert posted.status_code == 503 and "CalmOtter21" in posted.text
    assert "secret" not in posted.text
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json["database"] == "down"


def test_healthz_reports_database_and_redis(client, base_config):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"
    assert response.json["redis"] == ("ok" if base_config.get("REDIS_URL") else "not configured")
