"""Flags: any signed-in reader can tell the moderators about a published post.

One flag per reader per post. A flag puts the post in the queue (an open item for it, or
the one already there): "worried about this person" at the top (risk), "shares personal
information" with identifying information, the rest as flags. Accounts younger than
``MODERATION_NEW_ACCOUNT_DAYS`` may flag ``MODERATION_NEW_ACCOUNT_FLAGS_PER_DAY`` posts a
day. When ``MODERATION_FLAGS_TO_HIDE`` established readers have flagged a post (for
anything but worry about its author) it is hidden until a moderator decides: keeping it
brings it back. The flagger is thanked and never told the outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community.accounts.models import User
from community.core.clock import utcnow
from community.core.errors import DomainError, NotAllowed, NotFound
from community.core.new_accounts import is_new_account
from community.core.posts import ContentStatus
from community.extensions import db
from moderation.audit import record_audit
from moderation.models import (
    Flag,
    FlagReason,
    Priority,
    QueueItem,
    QueueOrigin,
    QueueState,
)
from moderation.registry import Source, find_kind, load_sources
from moderation.wording import FLAG_LABELS

NOTE_MAX_LENGTH = 500
FLAG_PRIORITY = {
    FlagReason.WORRIED: Priority.RISK,
    FlagReason.PERSONAL_INFO: Priority.IDENTIFYING,
}


@dataclass(frozen=True)
class FlagChoice:
    code: str
    label: object


FLAG_CHOICES = tuple(FlagChoice(reason.value, FLAG_LABELS[reason]) for reason in FlagReason)


@dataclass(frozen=True)
class FlagResult:
    created: bool  # False: this reader had flagged it already (they are thanked all the same)
    hidden: bool  # the post is hidden now


def can_flag(viewer: User | None, content_type: str, author_id: int, is_published: bool) -> bool:
    """Whether to offer *viewer* a flag link (no queries): signed in, not theirs, public."""
    kind = find_kind(content_type)
    return (
        viewer is not None
        and viewer.is_active
        and is_published
        and viewer.id != author_id
        and kind is not None
        and kind.flaggable
    )


def reported_by(
    viewer: User | None, content_type: str, content_ids: Sequence[int]
) -> frozenset[int]:
    """Which of *content_ids* *viewer* has reported already (one query for a whole page;
    none for a visitor or no ids)."""
    if viewer is None or not content_ids:
        return frozenset()
    return frozenset(
        db.session.scalars(
            select(Flag.content_id).where(
                Flag.flagger_id == viewer.id,
                Flag.content_type == content_type,
                Flag.content_id.in_(list(content_ids)),
            )
        )
    )


def flaggable_content(viewer: User | None, content_type: str, content_id: int) -> Source:
    """The published content *viewer* may flag, or :class:`NotFound` / :class:`NotAllowed`."""
    if viewer is None or not viewer.is_active:
        raise NotAllowed(_l("Log in to report a post."))
    kind = find_kind(content_type)
    if kind is None or not kind.flaggable:
        raise NotFound()
    source = load_sources(content_type, [content_id]).get(content_id)
    if source is None or source.status is not ContentStatus.PUBLISHED:
        raise NotFound()
    if source.author_id == viewer.id:
        raise NotAllowed(_l("You can't report your own post."))
    return source


def _flags_today(flagger_id: int) -> int:
    since = utcnow() - timedelta(days=1)
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Flag)
            .where(Flag.flagger_id == flagger_id, Flag.created_at >= since)
        )
        or 0
    )


def _review_item(content_type: str, content_id: int, author_id: int) -> QueueItem:
    """The open queue item for the content, or a new one for this round of flags."""
    item = db.session.scalar(
        select(QueueItem)
        .where(
            QueueItem.content_type == content_type,
            QueueItem.content_id == content_id,
            QueueItem.state == QueueState.OPEN,
        )
        .order_by(QueueItem.id.desc())
        .limit(1)
    )
    if item is None:
        item = QueueItem(
            content_type=content_type,
            content_id=content_id,
            author_id=author_id,
            origin=QueueOrigin.FLAGS,
            priority=Priority.FLAGGED,
        )
        db.session.add(item)
        db.session.flush()
    return item


def _hiding_flags(content_type: str, content_id: int) -> int:
    """Unresolved flags from established readers that may hide the post."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Flag)
            .where(
                Flag.content_type == content_type,
                Flag.content_id == content_id,
                Flag.resolved_at.is_(None),
                Flag.established.is_(True),
                Flag.reason != FlagReason.WORRIED,
            )
        )
        or 0
    )


def file_flag(
    flagger: User | None, content_type: str, content_id: int, reason: str, note: str = ""
) -> FlagResult:
    """Record *flagger*'s flag on a published post and put the post in front of a moderator."""
    source = flaggable_content(flagger, content_type, content_id)
    assert flagger is not None  # noqa: S101 - flaggable_content refused None
    try:
        flag_reason = FlagReason(reason)
    except ValueError:
        raise DomainError(_l("Choose what is wrong."), field="reason") from None
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            lazy_ngettext(
                "Keep it under %(num)d character.",
                "Keep it under %(num)d characters.",
                NOTE_MAX_LENGTH,
            ),
            field="note",
        )
    if flag_reason is FlagReason.OTHER and not note:
        raise DomainError(_l("Tell us in a few words what is wrong."), field="note")
    config = current_app.config
    new_account = is_new_account(flagger)
    already = db.session.scalar(
        select(Flag.id).where(
            Flag.content_type == content_type,
            Flag.content_id == content_id,
            Flag.flagger_id == flagger.id,
        )
    )
    if already is not None:
        return FlagResult(created=False, hidden=False)
    if new_account and _flags_today(flagger.id) >= config["MODERATION_NEW_ACCOUNT_FLAGS_PER_DAY"]:
        raise DomainError(
            lazy_ngettext(
                "Thank you for looking out for others! New accounts can report %(num)d "
                "post a day. You can report more tomorrow.",
                "Thank you for looking out for others! New accounts can report %(num)d "
                "posts a day. You can report more tomorrow.",
                config["MODERATION_NEW_ACCOUNT_FLAGS_PER_DAY"],
            )
        )
    item = _review_item(content_type, content_id, source.author_id)
    item.priority = min(item.priority, FLAG_PRIORITY.get(flag_reason, Priority.FLAGGED))
    try:
        with db.session.begin_nested():
            db.session.add(
                Flag(
                    content_type=content_type,
                    content_id=content_id,
                    flagger_id=flagger.id,
                    reason=flag_reason,
                    note=note or None,
                    established=not new_account,
                    queue_item_id=item.id,
                )
            )
    except IntegrityError:
        return FlagResult(created=False, hidden=False)  # the same reader, twice at once
    hidden = False
    if (
        flag_reason is not FlagReason.WORRIED
        and _hiding_flags(content_type, content_id) >= config["MODERATION_FLAGS_TO_HIDE"]
    ):
        kind = find_kind(content_type)
        assert kind is not None  # noqa: S101 - flaggable_content found it
        kind.apply_status(content_id, ContentStatus.HIDDEN)
        record_audit(None, f"{content_type}.auto_hidden", "queue_item", item.id, "flags")
        hidden = True
    db.session.flush()
    return FlagResult(created=True, hidden=hidden)
