"""Notifications that bring people back: what happened on their questions and to their
assists. Each names a kind, an object and a thread, and at most a number (points): never
any post text.

* To the asker: a new assist was published on their question (the first one says so), and
  the coach on their thread replied (assists' ``assist_published``).
* To followers of a question: a new assist was published on it (not their own).
* To the helper: the asker said their assist helped, with the points it earned; they reached
  a new level or earned a badge (reputation's ``points_recorded``, from the ledger job).
* When a moderator takes an assist or a question down, what was said about it goes too.
"""

from __future__ import annotations

from flask import Flask, has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from community.assists.models import Assist
from community.assists.services import CONTENT_TYPE as ASSIST
from community.assists.signals import assist_published
from community.core.clock import utcnow
from community.core.posts import ContentStatus
from community.extensions import db
from community.notifications import follows, services
from community.notifications.registry import NotificationType, register_type
from community.questions.services import CONTENT_TYPE as QUESTION
from community.reputation import rules
from community.reputation.profiles import record_of
from community.reputation.signals import points_recorded
from community.reputation.standings import points_of
from moderation.api import content_removed, decision_made

# Stored with every notification: never rename.
NEW_ASSIST = "thread.new_assist"  # to the asker
FIRST_ASSIST = "thread.first_assist"  # to the asker: the question's first assist
COACH_REPLIED = "thread.coach_replied"  # to the asker
FOLLOWED_ASSIST = "thread.followed_assist"  # to followers
HELPED = "reputation.helped"  # to the helper, with the points (amount)
LEVEL_UP = "reputation.level_up"  # object: ("level", its number)
BADGE = "reputation.badge"  # object: ("badge", its place in rules.BADGES, from 1)

ABOUT_ASSISTS = (NEW_ASSIST, FIRST_ASSIST, COACH_REPLIED, FOLLOWED_ASSIST, HELPED)


# -- sending -----------------------------------------------------------------------------------


def _on_assist_published(sender, assist_id: int, **_: object) -> None:
    """Sent once, on an assist's first publication (after moderation, or a trusted coach)."""
    assist = db.session.scalar(
        select(Assist).options(joinedload(Assist.question)).where(Assist.id == assist_id)
    )
    if assist is None:
        return
    question = assist.question
    asker_id = question.author_id
    where = {"thread_id": question.id}
    if assist.author_id != asker_id:
        if assist.is_coach_reply:
            services.notify(asker_id, COACH_REPLIED, ASSIST, assist.id, **where)
        elif _is_first_peer_assist(assist):
            services.notify(asker_id, FIRST_ASSIST, ASSIST, assist.id, **where)
        else:
            services.notify(asker_id, NEW_ASSIST, ASSIST, assist.id, **where)
    follows.notify_followers(
        question.id, FOLLOWED_ASSIST, assist.id, skip=(asker_id, assist.author_id), now=utcnow()
    )


def _is_first_peer_assist(assist: Assist) -> bool:
    published = db.session.scalar(
        select(func.count(Assist.id)).where(
            Assist.question_id == assist.question_id,
            Assist.status == ContentStatus.PUBLISHED,
            Assist.is_coach_reply.is_(False),
            Assist.id != assist.id,
        )
    )
    return not published


def _on_points_recorded(
    sender, event_id: int, user_id: int, kind: str, points: int, assist_id: int | None, **_
) -> None:
    event_kind = rules.EventKind(kind)
    if event_kind is rules.EventKind.ASSIST_HELPFUL and assist_id is not None:
        question_id = db.session.scalar(select(Assist.question_id).where(Assist.id == assist_id))
        services.notify(
            user_id, HELPED, ASSIST, assist_id, thread_id=question_id, amount=max(points, 0)
        )
    if points > 0:
        # The ledger job holds the user's row lock: this event is their latest.
        after = points_of(user_id)
        before = after - points
        old_level, new_level = rules.level_for(before), rules.level_for(after)
        if new_level.number > old_level.number:
            services.notify(user_id, LEVEL_UP, "level", new_level.number)
    if event_kind in rules.AWARDS:
        had = set(rules.badges_for(record_of(user_id, before_id=event_id)))
        has = set(rules.badges_for(record_of(user_id)))
        for place, badge in enumerate(rules.BADGES, start=1):
            if badge in has and badge not in had:
                services.notify(user_id, BADGE, "badge", place)


def _on_taken_down(sender, content_type: str, content_id: int, **_: object) -> None:
    if content_type == ASSIST:
        services.forget_about(ASSIST, content_id, ABOUT_ASSISTS)
    elif content_type == QUESTION:
        services.forget_thread(content_id, ABOUT_ASSISTS)


def _on_decision_made(sender, content_type: str, content_id: int, decision: str, **_) -> None:
    if decision == "rejected":  # also how taking a published post down is told
        _on_taken_down(sender, content_type=content_type, content_id=content_id)


# -- texts and links ---------------------------------------------------------------------------


def _in_thread(thread_id: int, object_type: str, object_id: int) -> str:
    return url_for("questions.detail", question_id=thread_id, _anchor=f"a{object_id}")


def _my_posts(object_type: str, object_id: int) -> str:
    return url_for("main.my_posts")


def _my_profile(object_type: str, object_id: int) -> str:
    """Their own profile (levels and badges), when the one who reads the list is known."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return url_for("leaderboard.profile", pseudonym=current_user.pseudonym)
    return url_for("leaderboard.index")


def _level_name(object_type: str, object_id: int) -> str | None:
    level = next((lv for lv in rules.LEVELS if lv.number == object_id), None)
    return str(level.name) if level is not None else None


def _badge_name(object_type: str, object_id: int) -> str | None:
    if 1 <= object_id <= len(rules.BADGES):
        return str(rules.BADGES[object_id - 1].name)
    return None


def _new_assists(count: int, amount: int) -> str:
    return ngettext(
        "%(num)d new assist on your question", "%(num)d new assists on your question", count
    )


def _coach_replies(count: int, amount: int) -> str:
    return ngettext(
        "%(num)d new reply from your coach", "%(num)d new replies from your coach", count
    )


def _followed_assists(count: int, amount: int) -> str:
    return ngettext(
        "%(num)d new assist on a question you follow",
        "%(num)d new assists on a question you follow",
        count,
    )


def _helped(count: int, amount: int) -> str:
    said = ngettext(
        "%(num)d of your assists helped the asker.",
        "%(num)d of your assists helped the asker.",
        count,
    )
    if amount <= 0:
        earned = _("It earned no points this time.")
    else:
        earned = ngettext("You earned %(num)d point.", "You earned %(num)d points.", amount)
    return f"{said} {earned}"


def init_app(app: Flask) -> None:
    """Register the kinds and connect the receivers (signals are global: connect once)."""
    kinds = (
        NotificationType(
            NEW_ASSIST,
            message=lambda: _l("Someone wrote an assist on your question."),
            link=_my_posts,
            grouped=_new_assists,
            thread_link=_in_thread,
            about_public=True,
        ),
        NotificationType(
            FIRST_ASSIST,
            message=lambda: _l("Your question got its first assist!"),
            link=_my_posts,
            thread_link=_in_thread,
            about_public=True,
        ),
        NotificationType(
            COACH_REPLIED,
            message=lambda: _l("Your coach wrote a reply."),
            link=_my_posts,
            grouped=_coach_replies,
            thread_link=_in_thread,
            about_public=True,
        ),
        NotificationType(
            FOLLOWED_ASSIST,
            message=lambda: _l("Someone wrote an assist on a question you follow."),
            link=_my_posts,
            grouped=_followed_assists,
            thread_link=_in_thread,
            about_public=True,
        ),
        NotificationType(
            HELPED,
            message=lambda: _l("Your assist helped someone."),
            link=_my_posts,
            grouped=_helped,
            thread_link=_in_thread,
            about_public=True,
        ),
        NotificationType(
            LEVEL_UP,
            message=lambda: _l("You reached a new level!"),
            link=_my_profile,
            detail=_level_name,
        ),
        NotificationType(
            BADGE,
            message=lambda: _l("You earned a new badge!"),
            link=_my_profile,
            detail=_badge_name,
        ),
    )
    for kind in kinds:
        register_type(app, kind)
    assist_published.connect(_on_assist_published)
    points_recorded.connect(_on_points_recorded)
    decision_made.connect(_on_decision_made)
    content_removed.connect(_on_taken_down)
