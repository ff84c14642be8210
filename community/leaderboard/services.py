"""Reputation: write ledger events (as idempotent jobs) and read the standings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from community.accounts.models import Role, User
from community.assists.models import Assist
from community.extensions import db
from community.jobs import job
from community.leaderboard import rules
from community.leaderboard.models import ReputationEvent, Standing


@dataclass(frozen=True)
class Row:
    rank: int
    pseudonym: str
    points: int
    user_id: int


# -- writing (jobs: idempotent, take ids) ------------------------------------------------------


@job("leaderboard.record_assist_published")
def record_assist_published(assist_id: int) -> bool:
    """Award the points for a published assist, once. Returns whether anything was written."""
    return _record_for_assist(assist_id, rules.EventKind.ASSIST_PUBLISHED)


@job("leaderboard.record_assist_helpful")
def record_assist_helpful(assist_id: int) -> bool:
    """Award the points for an assist the asker marked helpful, once."""
    return _record_for_assist(assist_id, rules.EventKind.ASSIST_HELPFUL)


def _record_for_assist(assist_id: int, kind: rules.EventKind) -> bool:
    assist = db.session.scalar(
        select(Assist)
        .options(joinedload(Assist.author), joinedload(Assist.question))
        .where(Assist.id == assist_id)
    )
    if assist is None:
        return False
    if not rules.earns_standing(
        assist.author.is_ranked, assist.author_id, assist.question.author_id
    ):
        return False
    exists = db.session.scalar(
        select(ReputationEvent.id).where(
            ReputationEvent.kind == kind, ReputationEvent.assist_id == assist_id
        )
    )
    if exists is not None:
        return False
    event = ReputationEvent(
        user_id=assist.author_id, kind=kind, points=rules.points_for(kind), assist_id=assist_id
    )
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except IntegrityError:
        return False  # a concurrent delivery of the same job won the race
    _add_to_standing(event)
    return True


def _add_to_standing(event: ReputationEvent) -> None:
    values = {"points": Standing.points + event.points, "reached_at": event.created_at}
    moved = db.session.execute(
        update(Standing).where(Standing.user_id == event.user_id).values(**values)
    ).rowcount
    if moved:
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                Standing(user_id=event.user_id, points=event.points, reached_at=event.created_at)
            )
    except IntegrityError:
        db.session.execute(
            update(Standing).where(Standing.user_id == event.user_id).values(**values)
        )


def rebuild() -> int:
    """Recompute every standing from the ledger; returns how many users are ranked."""
    db.session.execute(delete(Standing))
    totals = db.session.execute(
        select(
            ReputationEvent.user_id,
            func.sum(ReputationEvent.points),
            func.max(ReputationEvent.created_at),
        )
        .join(User, User.id == ReputationEvent.user_id)
        .where(User.role == Role.YOUTH)
        .group_by(ReputationEvent.user_id)
    ).all()
    db.session.add_all(
        Standing(user_id=user_id, points=points, reached_at=reached_at)
        for user_id, points, reached_at in totals
    )
    db.session.flush()
    return len(totals)


# -- reading -----------------------------------------------------------------------------------

_ORDER = (Standing.points.desc(), Standing.reached_at, Standing.user_id)


def top(limit: int = 50) -> Sequence[Row]:
    """The best *limit* standings with pseudonyms, in rank order (one query)."""
    rows = db.session.execute(
        select(Standing.user_id, Standing.points, User.pseudonym)
        .join(User, User.id == Standing.user_id)
        .where(Standing.points > 0, User.role == Role.YOUTH)
        .order_by(*_ORDER)
        .limit(limit)
    ).all()
    return [
        Row(rank=i, pseudonym=pseudonym, points=points, user_id=user_id)
        for i, (user_id, points, pseudonym) in enumerate(rows, start=1)
    ]


def rank_of(user: User) -> Row | None:
    """The user's own rank and points, or ``None`` if they have none yet (or aren't ranked)."""
    if not user.is_ranked:
        return None
    mine = db.session.get(Standing, user.id)
    if mine is None or mine.points <= 0:
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Standing)
        .join(User, User.id == Standing.user_id)
        .where(
            User.role == Role.YOUTH,
            or_(
                Standing.points > mine.points,
                and_(Standing.points == mine.points, Standing.reached_at < mine.reached_at),
                and_(
                    Standing.points == mine.points,
                    Standing.reached_at == mine.reached_at,
                    Standing.user_id < mine.user_id,
                ),
            ),
        )
    )
    return Row(rank=(ahead or 0) + 1, pseudonym=user.pseudonym, points=mine.points, user_id=user.id)


def points_of(user_id: int) -> int:
    """A user's total from the ledger itself (the source of truth)."""
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(ReputationEvent.points), 0)).where(
                ReputationEvent.user_id == user_id
            )
        )
        or 0
    )
