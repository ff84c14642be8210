"""An author deletes their own assist (a coach their own reply).

A deleted assist is gone from the thread for everyone but moderators; a pending one leaves
the queue; a published one no longer counts on its question, and every point it earned is
taken back (moderation's ``content_removed`` → the leaderboard's compensating events).
Moderators can read it for ``DELETED_POSTS_RETENTION_DAYS``, then :func:`purge` wipes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from community.accounts.models import User
from community.assists.models import Assist
from community.assists.services import CONTENT_TYPE
from community.core.clock import utcnow
from community.core.errors import NotAllowed, NotFound
from community.core.posts import ContentStatus
from community.extensions import db, rows_changed
from community.questions import deletion as questions
from community.questions.models import Question
from moderation import api as moderation

PURGED = ""  # what a purged assist's text becomes


def can_delete(assist: Assist, viewer: User | None) -> bool:
    """Only its author deletes an assist, once."""
    return viewer is not None and viewer.id == assist.author_id and not assist.is_deleted


def check_can_delete(assist_id: int, actor: User | None) -> Assist:
    """The assist *actor* may delete: anyone else's (or a deleted one, or one on a deleted
    question) is not found."""
    if actor is None:
        raise NotAllowed(_l("Log in to delete your post."))
    assist = db.session.scalar(
        select(Assist).options(joinedload(Assist.question)).where(Assist.id == assist_id)
    )
    if (
        assist is None
        or assist.author_id != actor.id
        or assist.is_deleted
        or assist.question.is_deleted
    ):
        raise NotFound()
    return assist


def delete(assist_id: int, actor: User | None) -> Assist:
    """Delete *actor*'s own assist: off the thread, out of the queue, its points taken back,
    audited."""
    assist = check_can_delete(assist_id, actor)
    was = assist.status
    assist.status = ContentStatus.DELETED
    assist.deleted_at = utcnow()
    if was is ContentStatus.PUBLISHED:
        db.session.execute(
            update(Question)
            .where(Question.id == assist.question_id, Question.published_assist_count > 0)
            .values(published_assist_count=Question.published_assist_count - 1)
        )
    db.session.flush()
    moderation.withdraw(
        CONTENT_TYPE,
        assist.id,
        assist.author_id,
        was_public=was is ContentStatus.PUBLISHED,
        status=was.value,
    )
    return assist


def deleted_since(days: int | None = None) -> Sequence[Assist]:
    """Deleted assists moderators may still read (within the retention period)."""
    since = utcnow() - timedelta(days=days or _retention_days())
    return db.session.scalars(
        select(Assist)
        .options(joinedload(Assist.author), joinedload(Assist.question))
        .where(Assist.status == ContentStatus.DELETED, Assist.deleted_at >= since)
        .order_by(Assist.deleted_at.desc(), Assist.id.desc())
    ).all()


def purge() -> int:
    """Wipe the text of assists deleted longer ago than the retention period; returns how
    many were wiped. Safe to repeat."""
    cutoff = utcnow() - timedelta(days=_retention_days())
    result = db.session.execute(
        update(Assist)
        .where(
            Assist.status == ContentStatus.DELETED,
            Assist.deleted_at < cutoff,
            Assist.body_source != PURGED,
        )
        .values(body_source=PURGED, body_html=PURGED)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)


def _retention_days() -> int:
    return int(current_app.config["DELETED_POSTS_RETENTION_DAYS"])


@dataclass(frozen=True)
class DeletedPosts:
    questions: Sequence[Question]
    assists: Sequence[Assist]


def deleted_for_moderators(actor: User | None) -> DeletedPosts:
    """Questions and assists their authors deleted within the retention period, for a
    moderator (or safeguarding lead); every look is on the audit log."""
    moderation.check_can_moderate(actor)
    assert actor is not None  # noqa: S101 - check_can_moderate refused None
    moderation.record_audit(actor.id, "deleted_posts.viewed", "deleted_posts", 0)
    return DeletedPosts(questions=questions.deleted_since(), assists=deleted_since())
