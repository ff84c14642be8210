"""Who counts as a new account: younger than ``MODERATION_NEW_ACCOUNT_DAYS``.

New accounts get tighter posting limits (:mod:`community.ratelimits`), a daily flag limit,
flags that don't hide anything on their own, and a link from one looks like spam
(:mod:`moderation`).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from community.accounts.models import User
from community.clock import utcnow


def is_new_account(user: User) -> bool:
    """Whether *user* signed up less than ``MODERATION_NEW_ACCOUNT_DAYS`` ago."""
    days = current_app.config["MODERATION_NEW_ACCOUNT_DAYS"]
    return user.created_at > utcnow() - timedelta(days=days)
