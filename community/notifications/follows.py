"""Following questions: a young person follows a published question and hears about new
assists on it. Askers follow their own questions without asking: they are told about every
assist as the asker. Nobody learns who else follows a question."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Integer, String, delete, insert, literal, select
from sqlalchemy.exc import IntegrityError

from community.accounts.models import Role, User
from community.core.errors import NotAllowed, NotFound
from community.extensions import db, rows_changed
from community.notifications.models import Notification, QuestionFollow
from community.questions.models import Question


def may_follow(user: User | None) -> bool:
    """Only signed-in young people follow questions (staff and coaches have their queues)."""
    return user is not None and user.is_active and user.role is Role.YOUTH


ID_MAX = 2**63 - 1  # larger ids can't be in the database (and SQLite can't even compare them)


def _published(question_id: int) -> Question:
    if not 0 < question_id <= ID_MAX:
        raise NotFound()
    question = db.session.get(Question, question_id)
    if question is None or not question.is_published:
        raise NotFound()  # unpublished, hidden or unknown: all look the same
    return question


def is_following(user_id: int, question_id: int) -> bool:
    """Whether *user_id* follows *question_id* (one query)."""
    found = db.session.scalar(
        select(QuestionFollow.id).where(
            QuestionFollow.user_id == user_id, QuestionFollow.question_id == question_id
        )
    )
    return found is not None


def follow(user: User, question_id: int) -> bool:
    """Follow a published question; returns whether this is new (asking again, or an
    asker following their own question, changes nothing)."""
    question = _published(question_id)
    if not may_follow(user):
        raise NotAllowed(_l("Only young people can follow questions."))
    if question.author_id == user.id or is_following(user.id, question_id):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(QuestionFollow(user_id=user.id, question_id=question_id))
    except IntegrityError:
        return False  # a double click that raced us: followed all the same
    return True


def unfollow(user: User, question_id: int) -> bool:
    """Stop following a question; returns whether they followed it."""
    _published(question_id)
    if not may_follow(user):
        raise NotAllowed(_l("Only young people can follow questions."))
    result = db.session.execute(
        delete(QuestionFollow)
        .where(QuestionFollow.user_id == user.id, QuestionFollow.question_id == question_id)
        .execution_options(synchronize_session=False)
    )
    return bool(rows_changed(result))


def notify_followers(
    question_id: int, kind: str, assist_id: int, *, skip: tuple[int, ...], now: datetime
) -> int:
    """Tell everyone who follows *question_id* (but the people in *skip*, and closed
    accounts) about assist *assist_id*: one INSERT … SELECT, however many follow it."""
    rows = (
        select(
            QuestionFollow.user_id,
            literal(kind, String),
            literal("assist", String),
            literal(assist_id, Integer),
            literal(question_id, Integer),
            literal(now, DateTime),
        )
        .join(User, User.id == QuestionFollow.user_id)
        .where(
            QuestionFollow.question_id == question_id,
            QuestionFollow.user_id.not_in(skip),
            User.is_active.is_(True),
        )
    )
    result = db.session.execute(
        insert(Notification).from_select(
            ["recipient_id", "kind", "object_type", "object_id", "thread_id", "created_at"],
            rows,
        )
    )
    return rows_changed(result) or 0
