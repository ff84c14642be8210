"""The coach lounge's rules: who may read and write, starting topics, replying, reporting.

Lounge posts appear at once (they are not public and not moderated first). Anyone in the
lounge can report someone else's post, once; a report puts the post in the moderation
queue. A moderator who approves keeps it; one who rejects hides it from everyone but its
author. (The general flag system for public posts is a separate feature.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from community.accounts.models import User
from community.coaches.lounge.models import (
    BODY_MAX,
    BODY_MIN,
    TITLE_MAX,
    TITLE_MIN,
    LoungeFlag,
    LoungePost,
)
from community.coaches.profiles import display_names, is_coach
from community.core.clock import utcnow
from community.core.errors import DomainError, NotAllowed, NotFound
from community.core.posts import ContentStatus, ContentType, checked_body
from community.extensions import db
from moderation import api as moderation
from moderation.api import ContentKind, Preview, QueueState

CONTENT_TYPE = "lounge_post"
# Lounge posts appear at once: moderation sees one only when it is reported (report()).
LOUNGE_POSTS = ContentType(CONTENT_TYPE, LoungePost, _l("Coach lounge post"))
TOPICS_PER_PAGE = 50


@dataclass(frozen=True)
class TopicPage:
    topic: LoungePost
    replies: Sequence[LoungePost]
    names: Mapping[int, str]  # user id -> the name shown in the lounge
    reported_ids: frozenset[int]  # posts the viewer has reported
    reportable_ids: frozenset[int]  # other people's visible posts the viewer may report


def can_use(user: User | None) -> bool:
    """Coaches and moderators (and admins) may use the lounge."""
    return user is not None and user.is_active and (is_coach(user) or user.can_moderate)


def check_can_use(user: User | None) -> User:
    if user is None or not can_use(user):
        raise NotAllowed(_l("The coach lounge is only for coaches and moderators."))
    return user


def names_for(user_ids) -> dict[int, str]:
    """Coaches by their display name, staff by their account name (one query)."""
    ids = set(user_ids)
    if not ids:
        return {}
    shown = display_names(ids)
    missing = ids - shown.keys()
    if missing:
        shown.update(
            dict(
                db.session.execute(
                    select(User.id, User.pseudonym).where(User.id.in_(missing))
                ).all()
            )
        )
    return shown


def _clean_body(body: str) -> str:
    return checked_body(body, BODY_MIN, BODY_MAX)


def _visible_to(user: User):
    return or_(LoungePost.status == ContentStatus.PUBLISHED, LoungePost.author_id == user.id)


# -- reading -----------------------------------------------------------------------------------


def topics(user: User, limit: int = TOPICS_PER_PAGE) -> tuple[Sequence[LoungePost], dict]:
    """Topics, most recently active first, and the names to show (two queries)."""
    check_can_use(user)
    rows = db.session.scalars(
        select(LoungePost)
        .where(LoungePost.topic_id.is_(None), _visible_to(user))
        .order_by(LoungePost.last_activity_at.desc(), LoungePost.id.desc())
        .limit(limit)
    ).all()
    return rows, names_for(p.author_id for p in rows)


def topic_page(topic_id: int, user: User) -> TopicPage:
    check_can_use(user)
    topic = db.session.scalar(
        select(LoungePost).where(
            LoungePost.id == topic_id, LoungePost.topic_id.is_(None), _visible_to(user)
        )
    )
    if topic is None:
        raise NotFound()
    replies = db.session.scalars(
        select(LoungePost)
        .where(LoungePost.topic_id == topic_id, _visible_to(user))
        .order_by(LoungePost.created_at, LoungePost.id)
    ).all()
    ids = [topic.id, *(r.id for r in replies)]
    reported = db.session.scalars(
        select(LoungeFlag.post_id).where(
            LoungeFlag.flagger_id == user.id, LoungeFlag.post_id.in_(ids)
        )
    ).all()
    return TopicPage(
        topic=topic,
        replies=replies,
        names=names_for([topic.author_id, *(r.author_id for r in replies)]),
        reported_ids=frozenset(reported),
        reportable_ids=frozenset(
            p.id
            for p in (topic, *replies)
            if p.author_id != user.id and p.is_published and p.id not in reported
        ),
    )


def get_post(post_id: int, user: User) -> LoungePost:
    check_can_use(user)
    post = db.session.scalar(select(LoungePost).where(LoungePost.id == post_id, _visible_to(user)))
    if post is None:
        raise NotFound()
    return post


# -- writing -----------------------------------------------------------------------------------


def start_topic(author: User, title: str, body: str) -> LoungePost:
    """A new topic, visible in the lounge at once."""
    check_can_use(author)
    title = " ".join((title or "").split())
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
    post = LoungePost(author_id=author.id, title=title)
    post.write_body(_clean_body(body))
    post.apply_status(ContentStatus.PUBLISHED)
    db.session.add(post)
    db.session.flush()
    return post


def reply(author: User, topic_id: int, body: str) -> LoungePost:
    """A reply under a topic, visible at once; the topic moves to the top."""
    check_can_use(author)
    topic = db.session.get(LoungePost, topic_id)
    if topic is None or not topic.is_topic or not topic.is_published:
        raise NotFound()
    post = LoungePost(author_id=author.id, topic_id=topic_id)
    post.write_body(_clean_body(body))
    post.apply_status(ContentStatus.PUBLISHED)
    db.session.add(post)
    db.session.flush()
    db.session.execute(
        update(LoungePost)
        .where(LoungePost.id == topic_id)
        .values(reply_count=LoungePost.reply_count + 1, last_activity_at=utcnow())
    )
    return post


def report(post_id: int, flagger: User) -> bool:
    """Report someone else's post to the moderators; returns ``False`` if already reported."""
    check_can_use(flagger)
    post = db.session.get(LoungePost, post_id)
    if post is None or not post.is_published:
        raise NotFound()
    if post.author_id == flagger.id:
        raise NotAllowed(_l("You can't report your own post."))
    try:
        with db.session.begin_nested():
            db.session.add(LoungeFlag(post_id=post.id, flagger_id=flagger.id))
    except IntegrityError:
        return False  # reported before (or twice at once): one report per person is enough
    latest = moderation.latest_decisions(CONTENT_TYPE, [post.id]).get(post.id)
    if latest is None or latest.state is not QueueState.OPEN:
        moderation.submit(CONTENT_TYPE, post.id, post.author_id)
    return True


# -- moderation hooks --------------------------------------------------------------------------


def _previews(ids: Sequence[int]) -> Mapping[int, Preview]:
    rows = db.session.scalars(
        select(LoungePost)
        .options(joinedload(LoungePost.author), joinedload(LoungePost.topic))
        .where(LoungePost.id.in_(ids))
    ).all()
    previews = {}
    for post in rows:
        title = post.title if post.topic is None else post.topic.title
        previews[post.id] = Preview(
            content_id=post.id,
            title=title or "",
            body_html=post.body_html,
            author_id=post.author_id,
            author_name=post.author.pseudonym,
            context=str(_l("Coach lounge: someone reported this post")),
            public_url=url_for("lounge.post", post_id=post.id),
        )
    return previews


def _apply_status(post: LoungePost, status: ContentStatus) -> None:
    """Kept, or hidden from everyone but its author (a hidden reply no longer counts)."""
    was_visible = post.is_published
    post.apply_status(status)
    if was_visible and not post.is_published and post.topic_id is not None:
        db.session.execute(
            update(LoungePost)
            .where(LoungePost.id == post.topic_id)
            .values(reply_count=LoungePost.reply_count - 1)
        )
    db.session.flush()


def content_kind() -> ContentKind:
    return moderation.kind_of(LOUNGE_POSTS, _previews, _apply_status)
