"""On SQLite, checking or hashing a password (Argon2: tenths of a second each) must not hold
the database's write lock: a stream of failed log-ins would make everyone else's posts wait
and fail with 503. Each check below tries to take the write lock from another connection,
without waiting, while the password is being checked or hashed."""

from __future__ import annotations

import re
import sqlite3

import pytest
from flask import current_app

from community.accounts import passwords, services
from community.core.database import commit_unit_of_work
from tests.conftest import PASSWORD


@pytest.fixture
def lock_probe(app, monkeypatch):
    """Calls of verify_secret/hash_secret, each with whether another writer could write."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("the write lock is SQLite's")
    path = url.removeprefix("sqlite:///")
    seen: list[tuple[str, bool]] = []

    def others_can_write() -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:  # "database is locked"
            return False
        finally:
            other.close()

    def probing(name, real):
        def wrapper(*args, **kwargs):
            seen.append((name, others_can_write()))
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(passwords, "verify_secret", probing("verify", passwords.verify_secret))
    monkeypatch.setattr(passwords, "hash_secret", probing("hash", passwords.hash_secret))
    return seen


def test_a_failed_log_in_lets_others_write_while_it_checks(client, youth, lock_probe):
    response = client.post("/log-in", data={"pseudonym": youth.pseudonym, "password": "wrong!"})
    assert response.status_code == 422
    assert lock_probe == [("verify", True)]


def test_a_right_log_in_checks_before_it_writes(client, youth, lock_probe):
    response = client.post("/log-in", data={"pseudonym": youth.pseudonym, "password": PASSWORD})
    assert response.status_code == 302
    assert lock_probe == [("verify", True)]


def test_an_unknown_pseudonym_too(client, lock_probe):
    response = client.post("/log-in", data={"pseudonym": "NobodyHere11", "password": "wrong!"})
    assert response.status_code == 422
    assert lock_probe == [("verify", True)]


def test_sign_up_hashes_before_it_writes(client, lock_probe):
    page = client.get("/sign-up").text
    name = re.search(r'id="pseudonym"[^>]*value="([^"]+)"', page)[1]
    response = client.post(
        "/sign-up", data={"pseudonym": name, "age_band": "16-17", "password": "long secret 12"}
    )
    assert response.status_code == 200
    assert lock_probe == [("hash", True), ("hash", True)]


def test_recovery_checks_and_hashes_before_it_writes(app, client, lock_probe):
    account = services.register(services.Registration("CalmOtter21", "16-17", PASSWORD))
    commit_unit_of_work()
    lock_probe.clear()
    wrong = client.post(
        "/recover",
        data={"pseudonym": "CalmOtter21", "recovery_code": "AAAA-BBBB", "password": "new pw 1234"},
    )
    assert wrong.status_code == 422 and lock_probe == [("verify", True)]
    lock_probe.clear()
    right = client.post(
        "/recover",
        data={
            "pseudonym": "CalmOtter21",
            "recovery_code": account.recovery_code,
            "password": "new pw 1234",
        },
    )
    assert right.status_code == 200
    assert lock_probe == [("verify", True), ("hash", True), ("hash", True)]


def test_a_code_used_meanwhile_works_only_once(app, monkeypatch):
    """Two resets with the same code at once: the second finds the code changed when it
    writes, and is refused (the check ran outside the lock, so it re-checks inside)."""
    account = services.register(services.Registration("CalmOtter21", "16-17", PASSWORD))
    commit_unit_of_work()
    real_verify = passwords.verify_secret
    raced = []

    def verify_then_someone_else_resets(hashed, secret):
        ok = real_verify(hashed, secret)
        if not raced:
            raced.append(True)
            with current_app.app_context():  # another request, with the same code
                services.reset_password("CalmOtter21", account.recovery_code, "other pw 1234")
                commit_unit_of_work()
        return ok

    monkeypatch.setattr(passwords, "verify_secret", verify_then_someone_else_resets)
    with pytest.raises(services.DomainError, match="recovery code"):
        services.reset_password("CalmOtter21", account.recovery_code, "mine pw 1234")
