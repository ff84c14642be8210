"""An author deletes their own question.

A deleted question is gone for everyone but moderators (its assists with it: the thread
answers 404); a pending one leaves the queue. Moderators can read it for
``DELETED_POSTS_RETENTION_DAYS`` (safeguarding), then :func:`purge` wipes its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from community.accounts.models import User
from community.core.clock import utcnow
from community.core.errors import NotAllowed, NotFound
from community.core.posts import ContentStatus
from community.extensions import db, rows_changed
from community.questions.models import Question
from community.questions.services import CONTENT_TYPE
from moderation import api as moderation

PURGED = ""  # what a purged question's title and text become


def can_delete(question: Question, viewer: User | None) -> bool:
    """Only its author deletes a question, once."""
    return viewer is not None and viewer.id == question.author_id and not question.is_deleted


def check_can_delete(question_id: int, actor: User | None) -> Question:
    """The question *actor* may delete: anyone else's (or a deleted one) is not found."""
    if actor is None:
        raise NotAllowed(_l("Log in to delete your post."))
    question = db.session.get(Question, question_id)
    if question is None or question.author_id != actor.id or question.is_deleted:
        raise NotFound()
    return question


def delete(question_id: int, actor: User | None) -> Question:
    """Delete *actor*'s own question: off every public page, out of the queue, audited."""
    question = check_can_delete(question_id, actor)
    was = question.status
    question.status = ContentStatus.DELETED
    question.deleted_at = utcnow()
    db.session.flush()
    moderation.withdraw(
        CONTENT_TYPE,
        question.id,
        question.author_id,
        was_public=was is ContentStatus.PUBLISHED,
        status=was.value,
    )
    return question


def deleted_since(days: int | None = None) -> Sequence[Question]:
    """Deleted questions moderators may still read (within the retention period)."""
    since = utcnow() - timedelta(days=days or _retention_days())
    return db.session.scalars(
        select(Question)
        .options(joinedload(Question.author))
        .where(Question.status == ContentStatus.DELETED, Question.deleted_at >= since)
        .order_by(Question.deleted_at.desc(), Question.id.desc())
    ).all()


def purge() -> int:
    """Wipe the title and text of questions deleted longer ago than the retention period;
    returns how many were wiped. Safe to repeat."""
    cutoff = utcnow() - timedelta(days=_retention_days())
    result = db.session.execute(
        update(Question)
        .where(
            Question.status == ContentStatus.DELETED,
            Question.deleted_at < cutoff,
            Question.body_source != PURGED,
        )
        .values(title=PURGED, body_source=PURGED, body_html=PURGED)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)


def _retention_days() -> int:
    return int(current_app.config["DELETED_POSTS_RETENTION_DAYS"])
