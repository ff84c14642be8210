"""The moderation policy: who counts as trusted, and publishing a trusted author's post.

``MODERATION_POLICY`` is ``"every_post"`` (the default, the Kooth model: a moderator reads
everything first) or ``"new_users_only"``: a *trusted* author's posts are published as
soon as screening finds nothing (:func:`publish_if_trusted`, which the screening job calls).
Anything screening finds is always held, whatever the policy. Who counts as a *new*
account is community's (:func:`community.core.new_accounts.is_new_account`).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, func, select, update

from community.core.clock import utcnow
from community.core.posts import ContentStatus
from community.extensions import db, rows_changed
from moderation.audit import record_audit
from moderation.models import QueueItem, QueueOrigin, QueueState, Sanction
from moderation.registry import find_kind

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


def publish_if_trusted(item: QueueItem) -> bool:
    """After screening: publish a trusted author's post that screening found nothing in,
    if the policy is "new users only" and the kind allows it. Returns whether it did."""
    kind = find_kind(item.content_type)
    if (
        item.origin is not QueueOrigin.SUBMISSION
        or item.state is not QueueState.OPEN
        or item.reasons
        or current_policy() != NEW_USERS_ONLY
        or kind is None
        or not kind.trust_may_publish
        or not is_trusted(item.author_id)
    ):
        return False
    result = db.session.execute(
        update(QueueItem)
        .where(QueueItem.id == item.id, QueueItem.state == QueueState.OPEN)
        .values(state=QueueState.APPROVED, decided_at=utcnow(), reason_code="trusted_author")
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        return False
    db.session.refresh(item)
    kind.apply_status(item.content_id, ContentStatus.PUBLISHED)
    record_audit(
        None, f"{item.content_type}.auto_approved", "queue_item", item.id, "trusted_author"
    )
    db.session.flush()
    return True
