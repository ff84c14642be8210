"""Features send content to the queue: every new or edited post waits for a moderator.

An edit supersedes the open queue item for the same content, so a moderator never
approves a version they did not see. The screening job (:mod:`moderation.screening`)
runs after the commit; the author's next page explains what it found in their own text
(:data:`FEEDBACK_KEY`, handed to the unit of work; see :mod:`moderation.notices` and
:mod:`moderation.feedback`).
"""

from __future__ import annotations

from sqlalchemy import update

from community.core import jobs
from community.core.clock import utcnow
from community.core.database import on_commit
from community.core.posts import ContentStatus
from community.extensions import db
from moderation.audit import record_audit
from moderation.languages import submission_language
from moderation.models import QueueItem, QueueState
from moderation.registry import get_kind
from moderation.screening import SCREEN_SUBMISSION

FEEDBACK_KEY = "moderation.submitted"  # the unit of work's key: queue items just submitted


def submit(content_type: str, content_id: int, author_id: int) -> QueueItem:
    """Put content in the queue; any open item for the same content is superseded.

    The screening job runs after the commit; the author is told at once, from their own
    text, if it reads like a crisis or looks identifying
    (:func:`moderation.feedback.author_feedback`).
    """
    get_kind(content_type)  # unknown kinds fail loudly here, not in the queue page
    supersede_open(content_type, content_id)
    item = QueueItem(
        content_type=content_type,
        content_id=content_id,
        author_id=author_id,
        language=submission_language(),
    )
    db.session.add(item)
    db.session.flush()
    jobs.enqueue(SCREEN_SUBMISSION, item.id)
    on_commit(FEEDBACK_KEY, item.id)
    return item


def supersede_open(content_type: str, content_id: int) -> None:
    """Close the open queue item for this content, if any: a newer version replaces it."""
    db.session.execute(
        update(QueueItem)
        .where(
            QueueItem.content_type == content_type,
            QueueItem.content_id == content_id,
            QueueItem.state == QueueState.OPEN,
        )
        .values(state=QueueState.SUPERSEDED, decided_at=utcnow())
    )


def approve_automatically(
    content_type: str,
    content_id: int,
    author_id: int,
    reason: str,
    decided_by_id: int | None = None,
) -> QueueItem:
    """Publish content a setting or a staff decision trusts, without waiting in the queue.

    It still gets an approved queue item and an audit row, so everything public has an
    approval on record. No :data:`decision_made` signal: nobody needs telling.
    """
    kind = get_kind(content_type)
    supersede_open(content_type, content_id)
    item = QueueItem(
        content_type=content_type,
        content_id=content_id,
        author_id=author_id,
        state=QueueState.APPROVED,
        decided_at=utcnow(),
        decided_by_id=decided_by_id,
        reason_code=reason,
        language=submission_language(),
    )
    db.session.add(item)
    db.session.flush()
    kind.apply_status(content_id, ContentStatus.PUBLISHED)
    record_audit(decided_by_id, f"{content_type}.auto_approved", "queue_item", item.id, reason)
    db.session.flush()
    return item
