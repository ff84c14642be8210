"""Decisions on a queue item: approve, reject (with a reason written for teenagers) or redact.

A decision is applied to the content through the kind's callbacks
(:mod:`moderation.registry`), audited, and announced with moderation's signals
(:mod:`moderation.signals`), so this module never imports a feature. Closing an item is one
conditional ``UPDATE``: a decision on an item that is no longer open, or that another
moderator holds, is a :class:`~community.core.errors.Conflict`, never a second decision.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import update

from community.core.clock import utcnow
from community.core.errors import DomainError, NotAllowed, NotFound
from community.core.posts import ContentStatus
from community.extensions import db, rows_changed
from moderation.access import Actor
from moderation.audit import record_audit
from moderation.claims import claim_is_free, conflict_for, item_to_decide
from moderation.models import Flag, QueueItem, QueueOrigin, QueueState, Redaction
from moderation.registry import Source, get_kind, load_sources
from moderation.signals import content_redacted, content_removed, decision_made, send_about
from moderation.wording import REASONS_BY_CODE

NOTE_MAX_LENGTH = 500


def _close(item: QueueItem, actor: Actor, state: QueueState, code: str | None, note: str | None):
    """Close an open item the actor may decide on (not claimed by someone else); atomic."""
    now = utcnow()
    result = db.session.execute(
        update(QueueItem)
        .where(
            QueueItem.id == item.id,
            QueueItem.state == QueueState.OPEN,
            claim_is_free(actor.id, now),
        )
        .values(
            state=state,
            decided_at=now,
            decided_by_id=actor.id,
            reason_code=code,
            reason_text=note,
            claimed_by_id=None,
            claimed_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        raise conflict_for(item.id, actor.id, now)
    db.session.refresh(item)


def _resolve_flags(item: QueueItem) -> None:
    db.session.execute(
        update(Flag)
        .where(Flag.queue_item_id == item.id, Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _decide(item_id: int, actor: Actor, state: QueueState, code: str | None, note: str | None):
    item = item_to_decide(item_id, actor)
    _close(item, actor, state, code, note)
    status = ContentStatus.PUBLISHED if state is QueueState.APPROVED else ContentStatus.REJECTED
    get_kind(item.content_type).apply_status(item.content_id, status)
    flagged = item.origin is QueueOrigin.FLAGS
    if flagged:
        _resolve_flags(item)
    record_audit(actor.id, f"{item.content_type}.{state.value}", "queue_item", item.id, code)
    db.session.flush()
    if not (flagged and state is QueueState.APPROVED):  # keeping a flagged post is news to nobody
        send_about(decision_made, item, decision=state.value)
    if flagged and state is QueueState.REJECTED:
        send_about(content_removed, item)
    return item


def approve(item_id: int, actor: Actor) -> QueueItem:
    """Publish the content behind an open queue item (for flags: keep it up, or bring it
    back if it was hidden)."""
    return _decide(item_id, actor, QueueState.APPROVED, None, None)


def clean_note(note: str | None, field_name: str = "note", limit: int = NOTE_MAX_LENGTH) -> str:
    """A moderator's note, stripped, or a :class:`DomainError` when it is too long."""
    note = (note or "").strip()
    if len(note) > limit:
        raise DomainError(
            lazy_ngettext(
                "Keep the note under %(num)d character.",
                "Keep the note under %(num)d characters.",
                limit,
            ),
            field=field_name,
        )
    return note


def reject(item_id: int, actor: Actor, reason_code: str, note: str = "") -> QueueItem:
    """Turn down an open queue item (for flags: take the post down), with a reason the
    author will read."""
    if reason_code not in REASONS_BY_CODE:
        raise DomainError(_l("Choose a reason."), field="reason")
    note = clean_note(note)
    if reason_code == "other" and not note:
        raise DomainError(
            _l("Write a short note so the author knows what to change."), field="note"
        )
    return _decide(item_id, actor, QueueState.REJECTED, reason_code, note or None)


def redact(item_id: int, actor: Actor, title: str | None, body: str, note: str = "") -> QueueItem:
    """Publish a moderator's edit of the post that takes something out (usually something
    identifying). Both versions are kept (:class:`Redaction`); the author is told."""
    item = item_to_decide(item_id, actor)
    kind = get_kind(item.content_type)
    if kind.write_redaction is None:
        raise NotAllowed(_l("This kind of post can't be edited here."))
    note = clean_note(note)
    original = load_sources(item.content_type, [item.content_id]).get(item.content_id)
    if original is None:
        raise NotFound()
    title = " ".join((title or "").split()) if original.title is not None else None
    body = (body or "").strip()
    if title == original.title and body == original.body.strip():
        raise DomainError(
            _l("Nothing was changed. Take something out, or approve it as it is."), field="body"
        )
    # The edit first: the feature checks it (lengths …) before it writes, so a refused edit
    # changes nothing. The item is closed after it, so it is approved after the edit it
    # approves; if another moderator decided first, the savepoint takes the edit back.
    with db.session.begin_nested():
        kind.write_redaction(item.content_id, Source(title, body, original.author_id))
        _close(item, actor, QueueState.APPROVED, "redacted", note or None)
    redaction = Redaction(
        queue_item_id=item.id,
        content_type=item.content_type,
        content_id=item.content_id,
        moderator_id=actor.id,
        original_title=original.title,
        original_body=original.body,
        redacted_title=title,
        redacted_body=body,
    )
    db.session.add(redaction)
    kind.apply_status(item.content_id, ContentStatus.PUBLISHED)
    if item.origin is QueueOrigin.FLAGS:
        _resolve_flags(item)
    db.session.flush()
    record_audit(
        actor.id, f"{item.content_type}.redacted", "redaction", redaction.id, f"item #{item.id}"
    )
    db.session.flush()
    send_about(content_redacted, item)
    return item
