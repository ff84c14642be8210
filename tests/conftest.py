"""Shared fixtures. The suite runs on SQLite by default, and on PostgreSQL and Redis when
``TEST_DATABASE_URL`` and ``TEST_REDIS_URL`` are set (then an unreachable server fails the run).

Under pytest-xdist every worker process gets a database of its own (a temporary SQLite file,
or ``<database>_<worker>`` created on the PostgreSQL server) and a Redis database number of
its own, so workers never empty each other's tables.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from community import create_app
from community.accounts import services as accounts
from community.accounts.models import AgeBand, Role, User
from community.core.database import commit_unit_of_work
from community.extensions import db

PASSWORD = "correct horse battery"  # noqa: S105 - test data
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
PAYLOADS = Path(__file__).resolve().parents[2] / "shared" / "payloads"
# How hard the hostile-input and fuzz sweeps in tests/security push. "full" (CI's default):
# every string of ../shared/payloads in every form, 2,000 fuzz examples a form. "quick" (the
# default on a developer's machine): each form gets a different quarter of the strings, so
# every string is still used, and 200 fuzz examples. `ASSIST_SWEEPS=full make test` for CI's.
SWEEPS = os.environ.get("ASSIST_SWEEPS") or ("full" if os.environ.get("CI") else "quick")
if SWEEPS not in ("full", "quick"):
    raise pytest.UsageError(f"ASSIST_SWEEPS is {SWEEPS!r}: use 'full' or 'quick'")


def pytest_report_header(config) -> str:
    database = "PostgreSQL" if TEST_DATABASE_URL else "SQLite"
    jobs = "Redis/RQ" if TEST_REDIS_URL else "in-process jobs"
    return f"assist: {database}, {jobs}, {SWEEPS} security sweeps (ASSIST_SWEEPS)"


def xdist_worker_number() -> int | None:
    """This process's pytest-xdist worker number (``gw3`` is 3), or None when not distributed."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else None


def worker_database_url(url: str, worker: int | None) -> str:
    """*url* for this worker: the same PostgreSQL server, a database of the worker's own."""
    if worker is None:
        return url
    base = make_url(url)
    name = f"{base.database}_gw{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def worker_redis_url(url: str, worker: int | None) -> str:
    """*url* for this worker: the same Redis server, a database number of the worker's own."""
    if worker is None:
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number - worker) % 16}"))


def _base_config(tmp_path_factory) -> dict:
    config: dict = {"TESTING": True, "ARGON2_FAST_FOR_TESTS": True, "SERVER_NAME": "localhost"}
    worker = xdist_worker_number()
    if TEST_DATABASE_URL:
        config["SQLALCHEMY_DATABASE_URI"] = worker_database_url(TEST_DATABASE_URL, worker)
    else:
        path = tmp_path_factory.mktemp("db") / "assist-test.sqlite3"
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if TEST_REDIS_URL:
        config["REDIS_URL"] = worker_redis_url(TEST_REDIS_URL, worker)
    return config


@pytest.fixture(scope="session")
def base_config(tmp_path_factory) -> dict:
    """Config every test app shares: the test database, Redis when configured."""
    config = _base_config(tmp_path_factory)
    if TEST_REDIS_URL:
        from redis import Redis

        Redis.from_url(config["REDIS_URL"]).ping()  # unreachable Redis fails the run, never skips
    app = create_app(config)
    with app.app_context():
        if TEST_DATABASE_URL:
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.session.remove()
        db.engine.dispose()
    return config


def _empty_tables(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(text(f"DELETE FROM {table}"))
        if TEST_REDIS_URL:
            from redis import Redis

            # This worker's Redis database (a test may point the app itself elsewhere).
            Redis.from_url(worker_redis_url(TEST_REDIS_URL, xdist_worker_number())).flushdb()


class FreshContextClient(FlaskClient):
    """Gives every request its own app context (its own ``g`` and database session), as in
    production, even while the test itself holds an app context to call services."""

    def open(self, *args, **kwargs):
        if has_app_context():
            # End the test's own transaction: its writes become visible to the request,
            # and its next read sees what the request wrote (no stale snapshot).
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def make_app(base_config) -> Iterator:
    """Build an app with extra config, on emptied tables."""
    built: list[Flask] = []

    def factory(**overrides) -> Flask:
        app = create_app({**base_config, **overrides})
        app.test_client_class = FreshContextClient
        _empty_tables(app)
        built.append(app)
        return app

    yield factory
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app) -> Iterator[Flask]:
    """The app under test, in an app context, with empty tables."""
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    """A test client (CSRF off; see tests/test_csrf.py for the module that keeps it on)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for ``flask`` commands."""
    return app.test_cli_runner()


_numbers = itertools.count(10)


@pytest.fixture
def create_user(app):
    """Make a user with a given role and age band (committed)."""
    from community.accounts import pseudonyms

    def factory(
        role: Role = Role.YOUTH,
        age_band: str = "16-17",
        password: str = PASSWORD,
        pseudonym: str | None = None,
    ) -> User:
        if role is Role.YOUTH:
            name = pseudonym
            if name is None:
                n = next(_numbers) % 90 + 10
                name = f"{pseudonyms.adjectives()[n % 50]}{pseudonyms.nouns()[n]}{n}"
            user = accounts.register(accounts.Registration(name, age_band, password)).user
        else:
            user = accounts.create_staff(pseudonym or f"Staff {next(_numbers)}", role, password)
        commit_unit_of_work()
        return user

    return factory


@pytest.fixture
def youth(create_user) -> User:
    """A young person, 16-17."""
    return create_user()


@pytest.fixture
def other_youth(create_user) -> User:
    """A second young person."""
    return create_user(age_band=AgeBand.AGE_18_25.value)


@pytest.fixture
def moderator(create_user) -> User:
    """A moderator account."""
    return create_user(role=Role.MODERATOR)


@pytest.fixture
def login(client):
    """Log a user in on the test client."""

    def do_login(user: User, password: str = PASSWORD):
        return client.post("/log-in", data={"pseudonym": user.pseudonym, "password": password})

    return do_login


@pytest.fixture
def published_question(youth, moderator):
    """A question by ``youth`` that a moderator approved."""
    from community.questions import services as questions

    question = questions.ask(
        youth,
        questions.QuestionDraft(
            "How do I talk to my dad about school?",
            "My dad gets angry when I talk about my grades. How can I start the talk?",
            "family",
        ),
    )
    commit_unit_of_work()
    approve_open(moderator)
    return question


def approve_open(moderator: User) -> None:
    """Approve every open queue item, as *moderator*, and commit."""
    from sqlalchemy import select

    from moderation import api as moderation
    from moderation.api import QueueItem, QueueState

    ids = db.session.scalars(select(QueueItem.id).where(QueueItem.state == QueueState.OPEN)).all()
    for item_id in ids:
        moderation.approve(item_id, moderator)
    commit_unit_of_work()
