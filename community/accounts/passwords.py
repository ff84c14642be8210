"""Password and recovery-code hashing (Argon2id) and the password policy."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from community.core.registry import app_state

MIN_LENGTH = 8
MAX_LENGTH = 256
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I mix-ups


def hasher() -> PasswordHasher:
    """Argon2id with the library's recommended parameters (cheaper ones only under test)."""
    state = app_state("assist.hasher")
    if "hasher" not in state:
        if current_app.config.get("ARGON2_FAST_FOR_TESTS"):
            state["hasher"] = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        else:
            state["hasher"] = PasswordHasher()
    return state["hasher"]


def hash_secret(secret: str) -> str:
    return hasher().hash(secret)


def verify_secret(hashed: str | None, secret: str) -> bool:
    """Check *secret* against *hashed*; with no hash, spend the same time and say no."""
    try:
        if hashed is None:
            hasher().verify(_dummy_hash(), secret)
            return False
        return hasher().verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    state = app_state("assist.hasher")
    if "dummy" not in state:
        state["dummy"] = hasher().hash(secrets.token_hex(16))
    return state["dummy"]


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """Whether *password* is among the 30,000 most common passwords (ignoring case)."""
    return password.lower() in _common_passwords()


def new_recovery_code() -> str:
    """A one-time code of 20 characters (100 bits) in groups of four, easy to copy by hand."""
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(20))
    return "-".join(chars[i : i + 4] for i in range(0, 20, 4))


def normalise_recovery_code(code: str) -> str:
    """Accept the code however it was copied: any case, with or without dashes and spaces."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))
