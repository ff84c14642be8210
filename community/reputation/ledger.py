"""The reputation ledger: write events (idempotent jobs that take ids) and correct them with
compensating events.

The ledger is append-only: nothing here updates or deletes a :class:`ReputationEvent`.
Every write locks the receiving user's row first (:mod:`~community.reputation.locks`), so
the daily cap and the board totals can't race. Each event adds its points to its boards
(:func:`community.reputation.boards.add_points`) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from community.accounts.models import Role, User
from community.assists.models import Assist
from community.core.clock import utcnow
from community.core.jobs import job
from community.core.posts import ContentStatus
from community.extensions import db, real_app
from community.questions.topics import Topic
from community.reputation import addresses, boards, rules
from community.reputation.listing import appears_on_boards
from community.reputation.locks import lock_user
from community.reputation.models import ReputationEvent
from community.reputation.signals import points_recorded

# -- writing events ----------------------------------------------------------------------------


def _exists(key: str) -> bool:
    found = db.session.scalar(select(ReputationEvent.id).where(ReputationEvent.key == key))
    return found is not None


def _earned_today(user_id: int, now: datetime) -> int:
    midnight = datetime(now.year, now.month, now.day)
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(ReputationEvent.points), 0)).where(
                ReputationEvent.user_id == user_id,
                ReputationEvent.compensates_id.is_(None),
                ReputationEvent.created_at >= midnight,
            )
        )
        or 0
    )


def _write(event: ReputationEvent, user: User) -> ReputationEvent | None:
    """Insert *event* (once: its key is unique) and add its points to the user's boards."""
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except IntegrityError:
        return None  # a concurrent delivery of the same job wrote it first
    if event.points:
        boards.add_points(
            user.id,
            boards.keys_for(event.counted_at, event.topic),
            event.points,
            event.created_at,
            appears_on_boards(user),
        )
    points_recorded.send(
        real_app(),
        event_id=event.id,
        user_id=user.id,
        kind=event.kind.value,
        points=event.points,
        assist_id=event.assist_id,
    )
    return event


def _award(
    kind: rules.EventKind,
    *,
    user_id: int,
    key: str,
    counterpart_id: int,
    asker_id: int,
    topic: Topic | None,
    assist_id: int | None,
    own_thread: bool,
) -> ReputationEvent | None:
    user = lock_user(user_id)
    if user is None or not user.is_ranked or _exists(key):
        return None
    now = utcnow()
    shared = not own_thread and addresses.share_address(user_id, counterpart_id, now)
    decision = rules.award(
        kind,
        own_thread=own_thread,
        shared_address=shared,
        earned_today=_earned_today(user_id, now),
        daily_cap=current_app.config["LEADERBOARD_DAILY_CAP"],
    )
    return _write(
        ReputationEvent(
            key=key,
            user_id=user_id,
            kind=kind,
            points=decision.points,
            withheld=decision.withheld,
            assist_id=assist_id,
            asker_id=asker_id,
            topic=topic,
            counted_at=now,
            created_at=now,
        ),
        user,
    )


def _load_assist(assist_id: int) -> Assist | None:
    return db.session.scalar(
        select(Assist)
        .options(joinedload(Assist.author), joinedload(Assist.question))
        .where(Assist.id == assist_id)
    )


def _is_coach_reply(assist: Assist) -> bool:
    """A reply by the coach the asker chose for the thread (the coaches feature marks them)."""
    return assist.is_coach_reply and assist.author.role is Role.COACH


@job("leaderboard.record_assist_published")
def record_assist_published(assist_id: int) -> bool:
    """Award the points for a published assist, once. Returns whether an event was written."""
    assist = _load_assist(assist_id)
    if assist is None or assist.status is not ContentStatus.PUBLISHED:
        return False
    return _assist_event(assist, rules.EventKind.ASSIST_PUBLISHED)


@job("leaderboard.record_assist_helpful")
def record_assist_helpful(assist_id: int) -> bool:
    """Award the points for an assist the asker marked helpful, once; when the assist is the
    attached coach's reply, the asker's thanks (``coach_thanked``) instead."""
    assist = _load_assist(assist_id)
    if assist is None or assist.helpful_at is None:
        return False
    if _is_coach_reply(assist):
        return record_coach_thanked(assist)
    return _assist_event(assist, rules.EventKind.ASSIST_HELPFUL)


def _assist_event(assist: Assist, kind: rules.EventKind) -> bool:
    if not assist.author.is_ranked:
        return False  # staff and coaches earn no standing
    asker_id = assist.question.author_id
    event = _award(
        kind,
        user_id=assist.author_id,
        key=f"{kind.value}:{assist.id}",
        counterpart_id=asker_id,
        asker_id=asker_id,
        topic=assist.question.topic,
        assist_id=assist.id,
        own_thread=not rules.earns_standing(True, assist.author_id, asker_id),
    )
    return event is not None


def record_coach_thanked(assist: Assist) -> bool:
    """The asker said their coach's reply helped: the asker's points, once per thread."""
    question = assist.question
    event = _award(
        rules.EventKind.COACH_THANKED,
        user_id=question.author_id,
        key=f"{rules.EventKind.COACH_THANKED.value}:q{question.id}",
        counterpart_id=assist.author_id,
        asker_id=question.author_id,
        topic=question.topic,
        assist_id=assist.id,
        own_thread=False,
    )
    return event is not None


# -- corrections (compensating events) ---------------------------------------------------------


@dataclass
class Chain:
    """An original event and the corrections written for it, oldest first."""

    original: ReputationEvent
    corrections: list[ReputationEvent]

    @property
    def credited(self) -> bool:
        return rules.is_credited([c.kind for c in self.corrections])

    @property
    def last(self) -> ReputationEvent:
        return self.corrections[-1] if self.corrections else self.original


def chains(originals: Sequence[ReputationEvent]) -> list[Chain]:
    """The correction chains of *originals* (one query for all their corrections)."""
    if not originals:
        return []
    found: dict[int, list[ReputationEvent]] = {e.id: [] for e in originals}
    for correction in db.session.scalars(
        select(ReputationEvent)
        .where(ReputationEvent.compensates_id.in_(list(found)))
        .order_by(ReputationEvent.id)
    ):
        found[correction.compensates_id].append(correction)  # type: ignore[index]
    return [Chain(e, found[e.id]) for e in originals]


def compensate(
    chain: Chain, kind: rules.EventKind, *, ring_report_id: int | None = None
) -> ReputationEvent | None:
    """Append the correction of *kind* to *chain*, unless the chain is already in that state.

    The event takes back (or gives back) exactly what the original earned, on the boards
    the original counted on. Its key names the chain and the step, so it is written once.
    """
    taking_back = kind in rules.REVERSALS
    if chain.credited != taking_back:
        return None
    original = chain.original
    user = lock_user(original.user_id)
    if user is None:
        return None
    now = utcnow()
    event = _write(
        ReputationEvent(
            key=f"c:{original.id}:{len(chain.corrections) + 1}",
            user_id=original.user_id,
            kind=kind,
            points=rules.compensation(kind, original.points),
            withheld=None,
            assist_id=original.assist_id,
            asker_id=original.asker_id,
            topic=original.topic,
            counted_at=original.counted_at,
            compensates_id=original.id,
            ring_report_id=ring_report_id,
            created_at=now,
        ),
        user,
    )
    if event is not None:
        chain.corrections.append(event)
    return event


@job("leaderboard.record_assist_removed")
def record_assist_removed(assist_id: int) -> int:
    """Take back every point a removed assist earned its author; returns events written.

    Runs when moderation turns an assist down (``decision_made``), which for a published
    assist means a moderator took it down after a flag, and when its author deletes a
    published assist (``content_removed``). Safe to run again (a chain already taken back
    is left alone).
    """
    assist = db.session.get(Assist, assist_id)
    if assist is None:
        return 0
    originals = db.session.scalars(
        select(ReputationEvent)
        .where(
            ReputationEvent.assist_id == assist_id,
            ReputationEvent.user_id == assist.author_id,
            ReputationEvent.compensates_id.is_(None),
        )
        .order_by(ReputationEvent.id)
    ).all()
    written = [compensate(chain, rules.EventKind.ASSIST_REMOVED) for chain in chains(originals)]
    return sum(1 for event in written if event is not None)
