"""The coach directory: who is listed, who can be chosen now, and each coach's card.

A coach is listed once they are vetted, active and have approved profile text. A listed
coach is *available* when they are not away and below their capacity, where pending (not
yet expired) and accepted coach requests count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import selectinload

from community.accounts.models import Role, User
from community.assists.models import Assist
from community.coaches.models import (
    CoachLanguage,
    CoachProfile,
    CoachRequest,
    CoachTopic,
    RequestState,
)
from community.coaches.profiles import LANGUAGES, language_label
from community.core.clock import utcnow
from community.core.errors import NotFound
from community.core.posts import ContentStatus
from community.extensions import db
from community.questions.topics import Topic


@dataclass(frozen=True)
class CoachCard:
    """One coach as the directory, the thread and their profile page show them."""

    profile: CoachProfile
    topics: Sequence[Topic]
    languages: Sequence[str]
    load: int  # pending (not yet expired) and accepted requests
    helped_in: int  # threads with at least one published coach reply by them
    is_available: bool  # listed, not away, below capacity

    @property
    def is_full(self) -> bool:
        return self.load >= self.profile.capacity

    @property
    def language_names(self) -> list[str]:
        return [language_label(code) for code in self.languages]


def _listed():
    """Coaches who can appear in the directory: vetted, active, with approved text."""
    return (
        select(CoachProfile)
        .join(User, User.id == CoachProfile.user_id)
        .where(
            User.role == Role.COACH,
            User.is_active.is_(True),
            CoachProfile.approved_at.is_not(None),
            CoachProfile.display_name.is_not(None),
        )
    )


def loads(coach_ids: Iterable[int]) -> dict[int, int]:
    """Open requests (pending and not yet expired, or accepted) per coach (one query)."""
    ids = list(coach_ids)
    if not ids:
        return {}
    now = utcnow()
    rows = db.session.execute(
        select(CoachRequest.coach_id, func.count())
        .where(
            CoachRequest.coach_id.in_(ids),
            (CoachRequest.state == RequestState.ACCEPTED)
            | ((CoachRequest.state == RequestState.PENDING) & (CoachRequest.expires_at > now)),
        )
        .group_by(CoachRequest.coach_id)
    ).all()
    return {coach_id: count for coach_id, count in rows}


def helped_in(coach_ids: Iterable[int]) -> dict[int, int]:
    """Threads each coach has a published coach reply in (one query)."""
    ids = list(coach_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Assist.author_id, func.count(distinct(Assist.question_id)))
        .where(
            Assist.author_id.in_(ids),
            Assist.is_coach_reply.is_(True),
            Assist.status == ContentStatus.PUBLISHED,
        )
        .group_by(Assist.author_id)
    ).all()
    return {author_id: count for author_id, count in rows}


def _cards(profiles: Sequence[CoachProfile]) -> list[CoachCard]:
    user_ids = [p.user_id for p in profiles]
    load_by_coach, helped_by_coach = loads(user_ids), helped_in(user_ids)
    cards = []
    for p in profiles:
        load = load_by_coach.get(p.user_id, 0)
        cards.append(
            CoachCard(
                profile=p,
                topics=[t.topic for t in p.topics],
                languages=[lang.language for lang in p.languages],
                load=load,
                helped_in=helped_by_coach.get(p.user_id, 0),
                is_available=not p.is_away and load < p.capacity,
            )
        )
    return cards


def listing(*, topic: str | None = None, language: str | None = None) -> list[CoachCard]:
    """Listed coaches, available ones first, then by name; filterable by topic and language."""
    query = _listed().options(
        selectinload(CoachProfile.topics), selectinload(CoachProfile.languages)
    )
    if topic:
        try:
            wanted = Topic(topic)
        except ValueError:
            wanted = None  # an unknown topic in the URL shows every coach
        if wanted is not None:
            query = query.where(
                exists().where(CoachTopic.profile_id == CoachProfile.id, CoachTopic.topic == wanted)
            )
    if language in LANGUAGES:
        query = query.where(
            exists().where(
                CoachLanguage.profile_id == CoachProfile.id, CoachLanguage.language == language
            )
        )
    profiles = db.session.scalars(query.order_by(CoachProfile.display_name, CoachProfile.id)).all()
    cards = _cards(profiles)
    return sorted(cards, key=lambda c: not c.is_available)  # stable: keeps name order


def card(profile_id: int) -> CoachCard:
    """A listed coach's card, or :class:`NotFound`."""
    profile = db.session.scalar(
        _listed()
        .options(selectinload(CoachProfile.topics), selectinload(CoachProfile.languages))
        .where(CoachProfile.id == profile_id)
    )
    if profile is None:
        raise NotFound()
    return _cards([profile])[0]


def listed_profile_for_update(profile_id: int) -> CoachProfile | None:
    """A listed coach's profile, locked until the transaction ends (PostgreSQL)."""
    return db.session.scalar(
        _listed().where(CoachProfile.id == profile_id).with_for_update(of=CoachProfile)
    )
