"""The one after-commit channel: what a transaction hands to ``on_commit`` runs once it commits,
stage by stage, and never after a rollback."""

import pytest
from sqlalchemy import select

from community.accounts.models import User
from community.core.database import (
    Stage,
    commit_handler,
    commit_unit_of_work,
    on_commit,
    rollback_unit_of_work,
)
from community.extensions import db

RAN: list[tuple[str, list]] = []


def _recorder(key: str):
    def handler(values: list) -> None:
        RAN.append((key, list(values)))

    return handler


for _key, _stage in [
    ("test.jobs", Stage.JOBS),
    ("test.response", Stage.RESPONSE),
    ("test.mirrors", Stage.MIRRORS),
    ("test.before", Stage.BEFORE_COMMIT),
]:
    commit_handler(_key, _stage)(_recorder(_key))


@commit_handler("test.commits_again", Stage.JOBS)
def _commits_again(values: list) -> None:
    # As an inline job does: a transaction of its own, which queues work of its own.
    RAN.append(("test.commits_again", list(values)))
    on_commit("test.mirrors", "from the second transaction")
    commit_unit_of_work()


@pytest.fixture(autouse=True)
def ran(app):
    """What the test handlers received, in order."""
    RAN.clear()
    yield RAN
    RAN.clear()


def test_handlers_run_after_the_commit_stage_by_stage(ran, youth):
    on_commit("test.jobs", 1)
    on_commit("test.response", "a")
    on_commit("test.mirrors", "x")
    on_commit("test.jobs", 2)
    on_commit("test.before", "b")
    assert ran == []
    commit_unit_of_work()
    assert ran == [
        ("test.before", ["b"]),
        ("test.mirrors", ["x"]),
        ("test.response", ["a"]),
        ("test.jobs", [1, 2]),
    ]
    ran.clear()
    commit_unit_of_work()  # handed over once
    assert ran == []


def test_a_rollback_forgets_what_the_transaction_queued(ran, youth):
    on_commit("test.mirrors", "x")
    on_commit("test.before", "b")
    rollback_unit_of_work()
    commit_unit_of_work()
    db.session.get(User, youth.id)  # a transaction that began, then
    on_commit("test.jobs", 1)
    db.session.rollback()  # a bare rollback
    commit_unit_of_work()
    assert ran == []


def test_a_savepoint_rolled_back_forgets_nothing(ran, youth):
    on_commit("test.mirrors", "before the savepoint")
    with pytest.raises(RuntimeError), db.session.begin_nested():
        on_commit("test.mirrors", "in the savepoint")
        raise RuntimeError("refused")
    with db.session.begin_nested():
        pass  # a savepoint released is not a commit
    assert ran == []
    commit_unit_of_work()
    assert ran == [("test.mirrors", ["before the savepoint", "in the savepoint"])]


def test_a_bare_commit_runs_before_commit_and_keeps_the_rest(ran, youth):
    youth.session_version += 1
    on_commit("test.before", "b")
    on_commit("test.mirrors", "x")
    db.session.commit()
    assert ran == [("test.before", ["b"])]
    db.session.rollback()  # the transaction that queued it had committed: nothing to forget
    commit_unit_of_work()
    assert ran[1:] == [("test.mirrors", ["x"])]


def test_what_a_handler_queues_in_its_own_transaction_runs_too(ran, youth):
    on_commit("test.commits_again", 1)
    commit_unit_of_work()
    assert ran == [
        ("test.commits_again", [1]),
        ("test.mirrors", ["from the second transaction"]),
    ]


def test_an_unknown_key_fails_loudly(app):
    with pytest.raises(KeyError):
        on_commit("test.nobody_handles_this", 1)


@commit_handler("test.writes", Stage.BEFORE_COMMIT)
def _writes(user_ids: list[int]) -> None:
    for user in db.session.scalars(select(User).where(User.id.in_(user_ids))):
        user.session_version += 10


def test_before_commit_handlers_write_with_the_transaction(app, youth):
    before = youth.session_version
    on_commit("test.writes", youth.id)
    rollback_unit_of_work()
    commit_unit_of_work()
    db.session.expire_all()
    assert db.session.scalar(select(User.session_version).where(User.id == youth.id)) == before
    on_commit("test.writes", youth.id)
    commit_unit_of_work()
    db.session.expire_all()
    assert db.session.scalar(select(User.session_version).where(User.id == youth.id)) == before + 10
