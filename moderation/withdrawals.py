"""An author deletes their own post: it leaves the queue, and whatever it earned goes back.

The feature that owns the post checks the author and changes the post itself; this closes
the post's open queue items (a risk item stays open, so a moderator still sees that
someone may need help), resolves readers' flags on it, writes the audit row and, for a
post that was public, sends ``content_removed`` so the leaderboard takes its points back.
"""

from __future__ import annotations

from sqlalchemy import select, update

from community.core.clock import utcnow
from community.extensions import db, real_app
from moderation.audit import record_audit
from moderation.models import Flag, FlagReason, Priority, QueueItem, QueueState
from moderation.signals import content_removed


def withdraw(
    content_type: str, content_id: int, author_id: int, *, was_public: bool, status: str
) -> None:
    """Record that *author_id* deleted their *content_type* *content_id* (which stood at
    *status*): withdraw its open queue items and, if it *was_public*, take back its points."""
    now = utcnow()
    db.session.execute(
        update(QueueItem)
        .where(
            QueueItem.content_type == content_type,
            QueueItem.content_id == content_id,
            QueueItem.state == QueueState.OPEN,
            QueueItem.priority != Priority.RISK,
        )
        .values(state=QueueState.WITHDRAWN, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Flag)
        .where(
            Flag.content_type == content_type,
            Flag.content_id == content_id,
            Flag.resolved_at.is_(None),
            Flag.reason != FlagReason.WORRIED,  # stays with the risk item, still open
        )
        .values(resolved_at=now)
        .execution_options(synchronize_session=False)
    )
    record_audit(author_id, f"{content_type}.deleted", content_type, content_id, status)
    db.session.flush()
    if was_public:
        latest = db.session.scalar(
            select(QueueItem.id)
            .where(QueueItem.content_type == content_type, QueueItem.content_id == content_id)
            .order_by(QueueItem.id.desc())
            .limit(1)
        )
        content_removed.send(
            real_app(),
            content_type=content_type,
            content_id=content_id,
            author_id=author_id,
            queue_item_id=latest,
            by_author=True,
        )
