"""The moderation policy and who counts as new or trusted.

``MODERATION_POLICY`` is ``"every_post"`` (the default, the Kooth model: a moderator reads
everything first) or ``"new_users_only"``: a *trusted* author's posts are published as
soon as screening finds nothing. Anything screening finds is always held, whatever the
policy.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, func, select

from community.accounts.models import User
from community.clock import utcnow
from community.extensions import db
from moderation.models import QueueItem, QueueOrigin, QueueState, Sanction

EVERY_POST = "every_post"
NEW_USERS_ONLY = "new_users_only"
POLICIES = (EVERY_POST, NEW_USERS_ONLY)


def current_policy() -> str:
    return current_app.config["MODERATION_POLICY"]


def check_config(config) -> None:
    """Refuse to start with a policy nobody wrote."""
    if config["MODERATION_POLICY"] not in POLICIES:
        raise RuntimeError(
            f"MODERATION_POLICY must be one of {', '.join(POLICIES)}, "
            f"not {config['MODERATION_POLICY']!r}"
        )


def is_new_account(user: User) -> bool:
    """Younger than ``MODERATION_NEW_ACCOUNT_DAYS``: tighter posting limits, a daily flag
    limit, and flags that don't hide anything on their own."""
    days = current_app.config["MODERATION_NEW_ACCOUNT_DAYS"]
    return user.created_at > utcnow() - timedelta(days=days)


def is_trusted(author_id: int) -> bool:
    """At least N posts approved by a moderator, and no rejection or sanction in M days
    (``MODERATION_TRUST_APPROVED_POSTS``, ``MODERATION_TRUST_CLEAN_DAYS``)."""
    config = current_app.config
    since = utcnow() - timedelta(days=config["MODERATION_TRUST_CLEAN_DAYS"])
    rejected_lately = exists().where(
        QueueItem.author_id == author_id,
        QueueItem.state == QueueState.REJECTED,
        QueueItem.decided_at >= since,
    )
    sanctioned_lately = exists().where(
        Sanction.user_id == author_id,
        Sanction.created_at >= since,
        Sanction.revoked_at.is_(None),
    )
    approved, blemished = db.session.execute(
        select(
            select(func.count())
            .select_from(QueueItem)
            .where(
                QueueItem.author_id == author_id,
                QueueItem.origin == QueueOrigin.SUBMISSION,
                QueueItem.state == QueueState.APPROVED,
                QueueItem.decided_by_id.is_not(None),
            )
            .scalar_subquery(),
            rejected_lately | sanctioned_lately,
        )
    ).one()
    return approved >= config["MODERATION_TRUST_APPROVED_POSTS"] and not blemished
