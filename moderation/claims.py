"""Claims: a moderator holds an open item while they look at it, so two never review the
same post at once. A claim lasts ``MODERATION_CLAIM_MINUTES``; then anyone may take it.

Deciding (:mod:`moderation.decisions`) uses the same checks: an item someone else holds
can't be decided, and a moderator never decides on their own post.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from community.core.clock import utcnow
from community.core.errors import Conflict, NotAllowed, NotFound
from community.extensions import db, rows_changed
from moderation.access import Actor, check_can_moderate
from moderation.audit import record_audit
from moderation.models import QueueItem, QueueState


def claim_is_free(actor_id: int, now: datetime):
    """SQL: nobody else holds the item now (for an ``UPDATE … WHERE``)."""
    return or_(
        QueueItem.claimed_by_id.is_(None),
        QueueItem.claimed_until <= now,
        QueueItem.claimed_by_id == actor_id,
    )


def conflict_for(item_id: int, actor_id: int, now: datetime) -> Conflict:
    """Why an open-item update found nothing to change."""
    item = db.session.scalar(
        select(QueueItem).options(joinedload(QueueItem.claimed_by)).where(QueueItem.id == item_id)
    )
    if item is None:
        return Conflict(_l("This post is gone."))
    if item.state is QueueState.SUPERSEDED:
        return Conflict(_l("The author changed this post. Look at the new version."))
    if item.state is QueueState.WITHDRAWN:
        return Conflict(_l("The author deleted this post."))
    if item.state is not QueueState.OPEN:
        return Conflict(_l("Another moderator has already decided on this post."))
    if item.claimed_by_other(actor_id, now) and item.claimed_by is not None:
        return Conflict(
            _l(
                "%(name)s is looking at this post right now. Pick another one.",
                name=item.claimed_by.pseudonym,
            )
        )
    return Conflict()


def item_to_decide(item_id: int, actor: Actor) -> QueueItem:
    """The item, if *actor* moderates and didn't write it (open or not: the update checks)."""
    check_can_moderate(actor)
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise NotFound()
    if item.author_id == actor.id:
        raise NotAllowed(_l("You can't decide on your own post."))
    return item


def claim(item_id: int, actor: Actor) -> QueueItem:
    """Hold an open item for ``MODERATION_CLAIM_MINUTES`` so nobody else reviews it too."""
    item = item_to_decide(item_id, actor)
    now = utcnow()
    until = now + timedelta(minutes=current_app.config["MODERATION_CLAIM_MINUTES"])
    result = db.session.execute(
        update(QueueItem)
        .where(
            QueueItem.id == item_id,
            QueueItem.state == QueueState.OPEN,
            claim_is_free(actor.id, now),
        )
        .values(claimed_by_id=actor.id, claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        raise conflict_for(item_id, actor.id, now)
    db.session.refresh(item)
    record_audit(actor.id, "queue_item.claimed", "queue_item", item.id)
    return item


def release(item_id: int, actor: Actor) -> QueueItem:
    """Let go of an item one holds (nothing happens if one doesn't)."""
    check_can_moderate(actor)
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise NotFound()
    db.session.execute(
        update(QueueItem)
        .where(QueueItem.id == item_id, QueueItem.claimed_by_id == actor.id)
        .values(claimed_by_id=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(item)
    record_audit(actor.id, "queue_item.released", "queue_item", item.id)
    return item
