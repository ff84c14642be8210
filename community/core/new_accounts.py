"""Who counts as a new account: younger than ``MODERATION_NEW_ACCOUNT_DAYS``.

New accounts get tighter posting limits (:mod:`community.core.ratelimits`), a daily flag limit,
flags that don't hide anything on their own, and a link from one looks like spam
(:mod:`moderation`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from flask import current_app

from community.core.clock import utcnow


class Account(Protocol):
    """Anything with a sign-up time: an account (core doesn't import the accounts feature)."""

    @property
    def created_at(self) -> datetime: ...


def is_new_account(user: Account) -> bool:
    """Whether *user* signed up less than ``MODERATION_NEW_ACCOUNT_DAYS`` ago."""
    days = current_app.config["MODERATION_NEW_ACCOUNT_DAYS"]
    return user.created_at > utcnow() - timedelta(days=days)
