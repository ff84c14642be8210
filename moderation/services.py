"""Moderation's service API: features submit content; moderators decide; everything is audited.

Nothing reaches the public before a moderator approves it. A decision is
applied to the content through the :mod:`moderation.registry` callbacks, so
this module never imports a feature.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from community import jobs
from community.clock import utcnow
from community.errors import Conflict, DomainError, NotAllowed, NotFound
from community.extensions import db
from moderation import screening  # noqa: F401 - registers the screening job
from moderation.models import AuditEntry, ContentStatus, QueueItem, QueueState
from moderation.registry import Preview, all_kinds, get_kind, load_previews
from moderation.signals import decision_made


class Actor(Protocol):
    id: int

    @property
    def can_moderate(self) -> bool: ...


@dataclass(frozen=True)
class RejectionReason:
    code: str
    label: object  # lazy string
    explanation: object  # what the author reads, in plain words


REJECTION_REASONS: tuple[RejectionReason, ...] = (
    RejectionReason(
        "identifying",
        _l("Could show who someone is"),
        _l(
            "Your post could show who you or someone else is. Leave out names, schools, "
            "places, usernames and contact details, then send it again."
        ),
    ),
    RejectionReason(
        "hurtful",
        _l("Could hurt someone"),
        _l("Your post could hurt or put someone down. Say it in a kinder way and send it again."),
    ),
    RejectionReason(
        "unsafe",
        _l("Risky advice"),
        _l("Your post gives advice that could be risky for someone's health or safety."),
    ),
    RejectionReason(
        "unclear",
        _l("Hard to understand"),
        _l("We couldn't tell what you mean. Try to say it in another way and send it again."),
    ),
    RejectionReason(
        "spam",
        _l("Advert or spam"),
        _l("Your post looks like an advert or spam."),
    ),
    RejectionReason(
        "other",
        _l("Something else"),
        _l("A moderator stopped your post. Read their note below."),
    ),
)
REASONS_BY_CODE = {reason.code: reason for reason in REJECTION_REASONS}
NOTE_MAX_LENGTH = 500


@dataclass(frozen=True)
class QueueEntry:
    item: QueueItem
    preview: Preview | None
    kind_label: str


# -- submitting --------------------------------------------------------------------------------


def submit(content_type: str, content_id: int, author_id: int) -> QueueItem:
    """Put content in the queue; any open item for the same content is superseded."""
    get_kind(content_type)  # unknown kinds fail loudly here, not in the queue page
    _supersede_open(content_type, content_id)
    item = QueueItem(content_type=content_type, content_id=content_id, author_id=author_id)
    db.session.add(item)
    db.session.flush()
    jobs.enqueue("moderation.screen_submission", item.id)
    return item


def _supersede_open(content_type: str, content_id: int) -> None:
    db.session.execute(
        update(QueueItem)
        .where(
            QueueItem.content_type == content_type,
            QueueItem.content_id == content_id,
            QueueItem.state == QueueState.OPEN,
        )
        .values(state=QueueState.SUPERSEDED, decided_at=utcnow())
    )


# -- reading the queue -------------------------------------------------------------------------


def check_can_moderate(actor: Actor | None) -> None:
    """Raise :class:`NotAllowed` unless *actor* is a moderator."""
    if actor is None or not getattr(actor, "can_moderate", False):
        raise NotAllowed()


def open_queue(actor: Actor, limit: int = 50) -> list[QueueEntry]:
    """Open items, oldest first, with previews loaded in one query per content kind."""
    check_can_moderate(actor)
    items = db.session.scalars(
        select(QueueItem)
        .where(QueueItem.state == QueueState.OPEN)
        .order_by(QueueItem.submitted_at, QueueItem.id)
        .limit(limit)
    ).all()
    previews = _previews_for(items)
    kinds = all_kinds()
    return [
        QueueEntry(
            item=item,
            preview=previews.get((item.content_type, item.content_id)),
            kind_label=str(kinds[item.content_type].label()),
        )
        for item in items
    ]


def open_count(actor: Actor) -> int:
    check_can_moderate(actor)
    return (
        db.session.scalar(
            select(func.count()).select_from(QueueItem).where(QueueItem.state == QueueState.OPEN)
        )
        or 0
    )


def _previews_for(items: Sequence[QueueItem]) -> dict[tuple[str, int], Preview]:
    by_kind: dict[str, list[int]] = {}
    for item in items:
        by_kind.setdefault(item.content_type, []).append(item.content_id)
    previews: dict[tuple[str, int], Preview] = {}
    for kind_name, ids in by_kind.items():
        for content_id, preview in load_previews(kind_name, ids).items():
            previews[(kind_name, content_id)] = preview
    return previews


# -- deciding ----------------------------------------------------------------------------------


def _decide(item_id: int, actor: Actor, state: QueueState, code: str | None, note: str | None):
    check_can_moderate(actor)
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise NotFound()
    if item.author_id == actor.id:
        raise NotAllowed(_l("You can't decide on your own post."))
    # A conditional update, so two moderators deciding at once can't both win.
    result = db.session.execute(
        update(QueueItem)
        .where(QueueItem.id == item_id, QueueItem.state == QueueState.OPEN)
        .values(
            state=state,
            decided_at=utcnow(),
            decided_by_id=actor.id,
            reason_code=code,
            reason_text=note,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        if db.session.scalar(select(QueueItem.state).where(QueueItem.id == item_id)) == (
            QueueState.SUPERSEDED
        ):
            raise Conflict(_l("The author changed this post. Look at the new version."))
        raise Conflict(_l("Another moderator has already decided on this post."))
    db.session.refresh(item)
    status = ContentStatus.PUBLISHED if state is QueueState.APPROVED else ContentStatus.REJECTED
    get_kind(item.content_type).apply_status(item.content_id, status)
    record_audit(actor.id, f"{item.content_type}.{state.value}", "queue_item", item.id, code)
    db.session.flush()
    decision_made.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        content_type=item.content_type,
        content_id=item.content_id,
        author_id=item.author_id,
        decision=state.value,
        queue_item_id=item.id,
    )
    return item


def approve(item_id: int, actor: Actor) -> QueueItem:
    """Publish the content behind an open queue item."""
    return _decide(item_id, actor, QueueState.APPROVED, None, None)


def reject(item_id: int, actor: Actor, reason_code: str, note: str = "") -> QueueItem:
    """Turn down an open queue item, with a reason the author will read."""
    if reason_code not in REASONS_BY_CODE:
        raise DomainError(_l("Choose a reason."), field="reason")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            _l("Keep the note under %(max)d characters.", max=NOTE_MAX_LENGTH), field="note"
        )
    if reason_code == "other" and not note:
        raise DomainError(
            _l("Write a short note so the author knows what to change."), field="note"
        )
    return _decide(item_id, actor, QueueState.REJECTED, reason_code, note or None)


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
    _supersede_open(content_type, content_id)
    item = QueueItem(
        content_type=content_type,
        content_id=content_id,
        author_id=author_id,
        state=QueueState.APPROVED,
        decided_at=utcnow(),
        decided_by_id=decided_by_id,
        reason_code=reason,
    )
    db.session.add(item)
    db.session.flush()
    kind.apply_status(content_id, ContentStatus.PUBLISHED)
    record_audit(decided_by_id, f"{content_type}.auto_approved", "queue_item", item.id, reason)
    db.session.flush()
    return item


# -- what authors see --------------------------------------------------------------------------


def latest_decisions(content_type: str, content_ids: Sequence[int]) -> Mapping[int, QueueItem]:
    """The newest queue item for each content id (one query)."""
    if not content_ids:
        return {}
    newest = (
        select(func.max(QueueItem.id))
        .where(QueueItem.content_type == content_type, QueueItem.content_id.in_(content_ids))
        .group_by(QueueItem.content_id)
    )
    items = db.session.scalars(select(QueueItem).where(QueueItem.id.in_(newest))).all()
    return {item.content_id: item for item in items}


# -- audit -------------------------------------------------------------------------------------


def record_audit(
    actor_id: int | None, action: str, object_type: str, object_id: int, reason: str | None = None
) -> AuditEntry:
    """Append one audit row. There is no way to change or remove one."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
    )
    db.session.add(entry)
    return entry
