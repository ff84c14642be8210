"""A helper's public reputation: their level, badges and number of helpful assists, all
computed from the ledger. Nothing else about them is shown."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from community.accounts.models import User, pseudonym_key
from community.core.errors import NotFound
from community.extensions import db
from community.reputation import listing, rules
from community.reputation.models import ReputationEvent
from community.reputation.standings import points_of


def record_of(user_id: int, before_id: int | None = None) -> rules.Record:
    """What a user's credited help adds up to (one query): the input for badges. With
    *before_id*: what it added up to just before that event was written."""
    mine = [ReputationEvent.user_id == user_id]
    if before_id is not None:
        mine.append(ReputationEvent.id < before_id)
    corrections = (
        select(ReputationEvent.compensates_id, func.count().label("n"))
        .where(*mine, ReputationEvent.compensates_id.is_not(None))
        .group_by(ReputationEvent.compensates_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ReputationEvent.kind, ReputationEvent.withheld, ReputationEvent.topic, func.count())
        .outerjoin(corrections, corrections.c.compensates_id == ReputationEvent.id)
        .where(
            *mine,
            ReputationEvent.compensates_id.is_(None),
            # Corrections alternate (taken back, given back …): an even count is credited.
            func.coalesce(corrections.c.n, 0) % 2 == 0,
        )
        .group_by(ReputationEvent.kind, ReputationEvent.withheld, ReputationEvent.topic)
    ).all()
    published = helpful = 0
    topics: set[str] = set()
    for kind, withheld, topic, count in rows:
        if not rules.counts_for_badges(kind, withheld):
            continue
        if kind is rules.EventKind.ASSIST_PUBLISHED:
            published += count
        elif kind is rules.EventKind.ASSIST_HELPFUL:
            helpful += count
            if topic is not None:
                topics.add(topic.value)
    return rules.Record(published=published, helpful=helpful, helpful_topics=frozenset(topics))


@dataclass(frozen=True)
class Profile:
    user_id: int
    pseudonym: str
    points: int
    level: rules.Level
    next_level: rules.Level | None
    badges: list[rules.Badge]
    helpful_assists: int


def profile(pseudonym: str, viewer: User | None = None) -> Profile:
    """A young person's public reputation: level, badges, helpful assists. Nothing else.

    Only people on the boards have a public profile (13-15 year olds who did not choose to
    appear, and anyone who chose not to, have none): to anyone else it is not found, as if
    the name did not exist. The person themselves and moderators still see it.
    """
    user = db.session.scalar(select(User).where(User.pseudonym_key == pseudonym_key(pseudonym)))
    if user is None or not user.is_ranked or not user.is_active:
        raise NotFound()
    is_me_or_staff = viewer is not None and (viewer.id == user.id or viewer.can_moderate)
    if not is_me_or_staff and not listing.appears_on_boards(user):
        raise NotFound()
    points = max(points_of(user.id), 0)
    record = record_of(user.id)
    return Profile(
        user_id=user.id,
        pseudonym=user.pseudonym,
        points=points,
        level=rules.level_for(points),
        next_level=rules.next_level(points),
        badges=rules.badges_for(record),
        helpful_assists=record.helpful,
    )
