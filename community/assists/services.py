"""Writing assists, and the asker saying "this helped"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import contains_eager, joinedload

from community.accounts.models import Role, User
from community.assists.models import BODY_MAX, BODY_MIN, Assist
from community.assists.signals import assist_marked_helpful, assist_published
from community.core.clock import utcnow
from community.core.errors import NotAllowed, NotFound
from community.core.posts import ContentStatus, PostType, checked_body
from community.extensions import db, real_app
from community.questions.models import Question
from moderation import api as moderation
from moderation.api import ContentKind, Preview, Source

CONTENT_TYPE = "assist"
ASSISTS = PostType(CONTENT_TYPE, Assist, _l("Assist"), moderation.submit)


def _clean(body: str) -> str:
    return checked_body(body, BODY_MIN, BODY_MAX)


# -- checks ------------------------------------------------------------------------------------


def could_assist(question: Question, viewer: User | None) -> bool:
    """Whether *viewer* is someone who assists on this question, paused or not: signed in,
    not its asker, not a coach (a coach replies only where an asker chose them: see
    ``community.coaches``), on a published question. No queries."""
    return (
        viewer is not None
        and viewer.is_active
        and question.is_published
        and viewer.id != question.author_id
        and viewer.role is not Role.COACH
    )


def can_assist(question: Question, viewer: User | None) -> bool:
    """Anyone signed in may assist on a published question, except its asker and coaches,
    while a moderator hasn't paused their posting."""
    return could_assist(question, viewer) and moderation.can_post(viewer)


def check_can_assist(question: Question | None, viewer: User | None) -> Question:
    if question is None or not question.is_published:
        raise NotFound()
    if viewer is None:
        raise NotAllowed(_l("Log in to write an assist."))
    if viewer.id == question.author_id:
        raise NotAllowed(_l("You can't write an assist on your own question."))
    if viewer.role is Role.COACH:
        raise NotAllowed(_l("Coaches reply only in threads where the asker chose them."))
    moderation.check_can_post(viewer)  # says why, and until when
    if not can_assist(question, viewer):
        raise NotAllowed()
    return question


def can_mark_helpful(assist: Assist, question: Question, viewer: User | None) -> bool:
    """Only the asker marks a published assist as helpful, once."""
    return (
        viewer is not None
        and viewer.id == question.author_id
        and assist.is_published
        and assist.helpful_at is None
    )


def can_edit(assist: Assist, viewer: User | None) -> bool:
    return viewer is not None and viewer.id == assist.author_id and assist.is_editable


# -- changes -----------------------------------------------------------------------------------


def write(author: User, question_id: int, body: str) -> Assist:
    """Save an assist as pending and send it to the moderation queue."""
    check_can_assist(db.session.get(Question, question_id), author)
    body = _clean(body)
    assist = Assist(question_id=question_id, author_id=author.id)
    assist.write_body(body)
    return ASSISTS.add(assist, author.id)


def write_coach_reply(coach: User, question_id: int, body: str, *, trusted: bool) -> Assist:
    """Save a coach's reply, marked as one. The coaches feature has checked that *coach* is
    the thread's attached coach; *trusted* publishes it at once, with an approval on record.
    """
    moderation.check_can_post(coach)
    body = _clean(body)
    assist = Assist(question_id=question_id, author_id=coach.id, is_coach_reply=True)
    assist.write_body(body)
    if trusted:
        approve = partial(moderation.approve_automatically, reason="trusted_coach")
        return ASSISTS.add(assist, coach.id, send=approve)
    return ASSISTS.add(assist, coach.id)


def edit(assist_id: int, editor: User, body: str) -> Assist:
    """Change a pending or turned-down assist; it goes back into the queue."""
    assist = ASSISTS.own_editable(assist_id, editor, _l("A published assist can't be changed."))
    moderation.check_can_post(editor)
    assist.write_body(_clean(body))
    return ASSISTS.resubmit(assist, editor.id)


def mark_helpful(assist_id: int, actor: User) -> Assist:
    """The asker says this assist helped them; saying it again is a no-op."""
    assist = db.session.scalar(
        select(Assist).options(joinedload(Assist.question)).where(Assist.id == assist_id)
    )
    if assist is None or not assist.is_published or assist.question.is_deleted:
        raise NotFound()
    if actor is None or actor.id != assist.question.author_id:
        raise NotAllowed(_l("Only the person who asked can say an assist helped."))
    if assist.helpful_at is not None:
        return assist  # saying it twice changes nothing
    assist.helpful_at = utcnow()
    db.session.flush()
    assist_marked_helpful.send(real_app(), assist_id=assist.id)
    return assist


# -- reading -----------------------------------------------------------------------------------


def for_thread(question_id: int, viewer: User | None) -> Sequence[Assist]:
    """Published assists, plus the viewer's own that still wait or were turned down."""
    visible = Assist.status == ContentStatus.PUBLISHED
    if viewer is not None:
        own = and_(Assist.author_id == viewer.id, Assist.status != ContentStatus.DELETED)
        visible = or_(visible, own)
    return db.session.scalars(
        select(Assist)
        .options(joinedload(Assist.author))
        .where(Assist.question_id == question_id, visible)
        .order_by(Assist.published_at.is_(None), Assist.published_at, Assist.id)
    ).all()


def by_author(author_id: int) -> Sequence[Assist]:
    """The author's own assists, except those they deleted or whose question was deleted."""
    return db.session.scalars(
        select(Assist)
        .join(Assist.question)
        .options(contains_eager(Assist.question))
        .where(
            Assist.author_id == author_id,
            Assist.status != ContentStatus.DELETED,
            Question.status != ContentStatus.DELETED,
        )
        .order_by(Assist.id.desc())
    ).all()


def get_own(assist_id: int, viewer: User | None) -> Assist:
    assist = db.session.scalar(
        select(Assist).options(joinedload(Assist.question)).where(Assist.id == assist_id)
    )
    if assist is None or viewer is None or assist.author_id != viewer.id or assist.is_deleted:
        raise NotFound()
    return assist


# -- moderation hooks --------------------------------------------------------------------------


def _previews(ids: Sequence[int]) -> Mapping[int, Preview]:
    rows = db.session.scalars(
        select(Assist)
        .options(joinedload(Assist.author), joinedload(Assist.question))
        .where(Assist.id.in_(ids))
    ).all()
    return {
        a.id: Preview(
            content_id=a.id,
            title=a.question.title,
            body_html=a.body_html,
            author_id=a.author_id,
            author_name=a.author.pseudonym,
            context=a.question.title,
            public_url=url_for("questions.detail", question_id=a.question_id, _anchor=f"a{a.id}"),
        )
        for a in rows
    }


def _sources(ids: Sequence[int]) -> Mapping[int, Source]:
    """The assists' own text; on a deleted question they count as deleted too (nobody can
    see or report them)."""
    rows = db.session.execute(
        select(Assist.id, Assist.body_source, Assist.author_id, Assist.status, Question.status)
        .join(Question, Question.id == Assist.question_id)
        .where(Assist.id.in_(ids))
    ).all()
    return {
        row[0]: Source(
            None,
            row[1],
            row[2],
            ContentStatus.DELETED if row[4] is ContentStatus.DELETED else row[3],
        )
        for row in rows
    }


def _write_redaction(assist_id: int, source: Source) -> None:
    """A moderator's version without the identifying parts."""
    assist = ASSISTS.get(assist_id)
    assist.write_redaction(_clean(source.body))
    db.session.flush()


def _apply_status(assist: Assist, status: ContentStatus) -> None:
    """On its first publication the question counts it, and the leaderboard hears of it.
    Once its author deleted it, no decision changes it."""
    if assist.is_deleted:
        return
    if assist.apply_status(status):
        db.session.execute(
            update(Question)
            .where(Question.id == assist.question_id)
            .values(published_assist_count=Question.published_assist_count + 1)
        )
        db.session.flush()
        assist_published.send(real_app(), assist_id=assist.id)


def content_kind() -> ContentKind:
    return moderation.public_post_kind(
        ASSISTS, _previews, _apply_status, _sources, _write_redaction
    )
