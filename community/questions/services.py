"""Asking, editing and listing questions. Every new or edited question waits for moderation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from community.accounts.models import User
from community.core.errors import DomainError, NotAllowed, NotFound
from community.core.forms import parse_id
from community.core.posts import ContentStatus, PostType, checked_body
from community.extensions import db
from community.questions.models import BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN, Question
from community.questions.topics import Topic
from moderation import api as moderation
from moderation.api import ContentKind, Preview, Source

CONTENT_TYPE = "question"
QUESTIONS = PostType(CONTENT_TYPE, Question, _l("Question"), moderation.submit)


@dataclass(frozen=True)
class QuestionDraft:
    title: str
    body: str
    topic: str


@dataclass(frozen=True)
class Page:
    items: Sequence[Question]
    next_cursor: str | None


# -- rules -------------------------------------------------------------------------------------


def _clean(draft: QuestionDraft) -> tuple[str, str, Topic]:
    title = " ".join((draft.title or "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise DomainError(
            lazy_ngettext(
                "Write a title of %(min)d to %(num)d character.",
                "Write a title of %(min)d to %(num)d characters.",
                TITLE_MAX,
                min=TITLE_MIN,
            ),
            field="title",
        )
    body = checked_body(draft.body, BODY_MIN, BODY_MAX)
    try:
        topic = Topic(draft.topic)
    except ValueError:
        raise DomainError(_l("Choose a topic."), field="topic") from None
    return title, body, topic


def check_can_ask(author: User | None) -> None:
    if author is None or not author.is_active:
        raise NotAllowed(_l("Log in to ask a question."))
    moderation.check_can_post(author)  # a moderator may have paused their posting


def can_edit(question: Question, viewer: User | None) -> bool:
    """The author may edit while the question waits or after it was turned down."""
    return viewer is not None and viewer.id == question.author_id and question.is_editable


# -- changes -----------------------------------------------------------------------------------


def ask(author: User, draft: QuestionDraft) -> Question:
    """Save a new question as pending and put it in the moderation queue."""
    check_can_ask(author)
    title, body, topic = _clean(draft)
    question = Question(author_id=author.id, title=title, topic=topic)
    question.write_body(body)
    return QUESTIONS.add(question, author.id)


def edit(question_id: int, editor: User, draft: QuestionDraft) -> Question:
    """Change a pending or turned-down question; it goes back into the queue."""
    question = QUESTIONS.own_editable(
        question_id, editor, _l("A published question can't be changed.")
    )
    moderation.check_can_post(editor)
    title, body, topic = _clean(draft)
    question.title, question.topic = title, topic
    question.write_body(body)
    return QUESTIONS.resubmit(question, editor.id)


# -- reading -----------------------------------------------------------------------------------


def get_visible(question_id: int, viewer: User | None) -> Question:
    """The question if *viewer* may see it: published, or theirs (unless they deleted it), or
    they moderate (deleted ones too, for safeguarding, until the text is purged)."""
    question = db.session.scalar(
        select(Question).options(joinedload(Question.author)).where(Question.id == question_id)
    )
    if question is None:
        raise NotFound()
    if question.is_published:
        return question
    if viewer is not None and viewer.id == question.author_id and not question.is_deleted:
        return question
    if viewer is not None and viewer.can_moderate:
        moderation.record_pending_view(viewer, CONTENT_TYPE, question.id)
        return question
    raise NotFound()


def encode_cursor(question: Question) -> str:
    """Where the next page starts: after this (published) question."""
    if question.published_at is None:
        raise ValueError("only published questions have a place in the list")
    return f"{question.published_at.isoformat()}~{question.id}"


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """The (published_at, id) a page continues after; ``None`` for odd input."""
    if not cursor:
        return None
    stamp, _, raw_id = cursor.partition("~")
    question_id = parse_id(raw_id)  # an id no row can have would overflow SQLite
    try:
        return (datetime.fromisoformat(stamp), question_id) if question_id else None
    except ValueError:
        return None


def list_published(
    *,
    topic: str | None = None,
    unanswered: bool = False,
    after: str | None = None,
    limit: int = 20,
) -> Page:
    """Published questions, newest first; keyset-paginated, so no table-wide count."""
    query = (
        select(Question)
        .options(joinedload(Question.author))
        .where(Question.status == ContentStatus.PUBLISHED)
    )
    if topic:
        try:
            query = query.where(Question.topic == Topic(topic))
        except ValueError:
            pass  # an unknown topic in the URL shows every topic
    if unanswered:
        query = query.where(Question.published_assist_count == 0)
    position = decode_cursor(after)
    if position is not None:
        stamp, last_id = position
        query = query.where(
            or_(
                Question.published_at < stamp,
                and_(Question.published_at == stamp, Question.id < last_id),
            )
        )
    rows = db.session.scalars(
        query.order_by(Question.published_at.desc(), Question.id.desc()).limit(limit + 1)
    ).all()
    items = rows[:limit]
    next_cursor = encode_cursor(items[-1]) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)


def by_author(author_id: int) -> Sequence[Question]:
    """The author's own questions, except those they deleted."""
    return db.session.scalars(
        select(Question)
        .where(Question.author_id == author_id, Question.status != ContentStatus.DELETED)
        .order_by(Question.id.desc())
    ).all()


# -- moderation hooks --------------------------------------------------------------------------


def _previews(ids: Sequence[int]) -> Mapping[int, Preview]:
    rows = db.session.scalars(
        select(Question).options(joinedload(Question.author)).where(Question.id.in_(ids))
    ).all()
    return {
        q.id: Preview(
            content_id=q.id,
            title=q.title,
            body_html=q.body_html,
            author_id=q.author_id,
            author_name=q.author.pseudonym,
            context=q.topic.label,
            public_url=url_for("questions.detail", question_id=q.id),
        )
        for q in rows
    }


def _sources(ids: Sequence[int]) -> Mapping[int, Source]:
    rows = db.session.execute(
        select(
            Question.id, Question.title, Question.body_source, Question.author_id, Question.status
        ).where(Question.id.in_(ids))
    ).all()
    return {row.id: Source(row.title, row.body_source, row.author_id, row.status) for row in rows}


def _write_redaction(question_id: int, source: Source) -> None:
    """A moderator's version without the identifying parts; the topic stays."""
    question = QUESTIONS.get(question_id)
    title, body, _topic = _clean(
        QuestionDraft(source.title or "", source.body, question.topic.value)
    )
    question.title = title
    question.write_redaction(body)
    db.session.flush()


def _apply_status(question: Question, status: ContentStatus) -> None:
    """A decision changes the question's status, except once its author deleted it (a
    moderator deciding on a risk item left open must not bring it back)."""
    if not question.is_deleted:
        question.apply_status(status)


def content_kind() -> ContentKind:
    """Questions as moderation sees them: a decision only changes the question's status."""
    return moderation.public_post_kind(
        QUESTIONS, _previews, _apply_status, _sources, _write_redaction
    )
