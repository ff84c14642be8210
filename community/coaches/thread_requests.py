"""Coach requests: the asker asks a coach onto their thread, the coach answers, time runs out.

Only the asker chooses. A request is *pending* until the coach accepts or declines it, or
until it expires (``COACH_REQUEST_TTL_HOURS``, 48 by default; see :func:`expire_requests`).
A thread has at most one pending or accepted request at a time (a partial unique index
holds this even under concurrent requests). Every state change is a conditional ``UPDATE …
WHERE state = 'pending'`` (or the state it was read in), so a double click, two tabs or an
answer after expiry end in a clear message, never a 500. The asker can take a pending
request back or let an accepted coach go at any time. Only the accepted coach may write
coach replies in the thread (:mod:`community.coaches.coach_replies`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from community.accounts.models import User
from community.assists.models import Assist
from community.coaches import directory
from community.coaches.directory import CoachCard
from community.coaches.models import OPEN_STATES, CoachProfile, CoachRequest, RequestState
from community.coaches.notification_types import (
    ACCEPTED,
    DECLINED,
    EXPIRED,
    RELEASED,
    REQUESTED,
    WITHDRAWN,
)
from community.coaches.profiles import check_is_coach, own_profile
from community.core.clock import utcnow
from community.core.errors import Conflict, NotAllowed, NotFound
from community.core.posts import ContentStatus
from community.extensions import db, rows_changed
from community.notifications import services as notifications
from community.questions.models import Question

EXPIRE_REQUESTS_JOB = "coaches.expire_requests"  # stored in the job outbox: never rename


@dataclass(frozen=True)
class ThreadCoach:
    """What the coach part of a thread shows one viewer."""

    coach_request: CoachRequest | None  # pending (not expired) or accepted, with coach_profile
    is_asker: bool
    is_requested_coach: bool  # the viewer was asked and hasn't answered
    is_attached_coach: bool  # the viewer is this thread's coach
    can_choose: bool  # the asker may ask a coach now
    choices: Sequence[CoachCard]  # available coaches the asker can pick from


@dataclass(frozen=True)
class CoachThreads:
    """A coach's own page: requests waiting for an answer and the threads they are in."""

    pending: Sequence[CoachRequest]
    active: Sequence[CoachRequest]
    waiting_ids: frozenset[int]  # active threads without a reply from the coach since joining
    capacity: int
    is_away: bool

    @property
    def load(self) -> int:
        return len(self.pending) + len(self.active)


# -- reading -----------------------------------------------------------------------------------


def open_request(question_id: int) -> CoachRequest | None:
    """The thread's accepted request, or its pending one that hasn't run out of time."""
    found = db.session.scalar(
        select(CoachRequest)
        .options(joinedload(CoachRequest.coach_profile))
        .where(CoachRequest.question_id == question_id, CoachRequest.state.in_(OPEN_STATES))
    )
    if found is None or found.state is RequestState.ACCEPTED or found.is_pending_at(utcnow()):
        return found
    return None  # pending but expired: the sweep will mark it


def questions_needing_coach(user: User | None, limit: int = 20) -> Sequence[Question]:
    """The user's published questions that have no coach and no request waiting (one query)."""
    if user is None:
        return []
    now = utcnow()
    busy = select(CoachRequest.id).where(
        CoachRequest.question_id == Question.id,
        (CoachRequest.state == RequestState.ACCEPTED)
        | ((CoachRequest.state == RequestState.PENDING) & (CoachRequest.expires_at > now)),
    )
    return db.session.scalars(
        select(Question)
        .where(
            Question.author_id == user.id,
            Question.status == ContentStatus.PUBLISHED,
            ~busy.exists(),
        )
        .order_by(Question.published_at.desc(), Question.id.desc())
        .limit(limit)
    ).all()


def thread_coach(question: Question, viewer: User | None) -> ThreadCoach:
    """The coach section of a thread for *viewer* (a constant number of queries)."""
    found = open_request(question.id) if question.is_published else None
    is_asker = viewer is not None and viewer.id == question.author_id
    on_it = found is not None and viewer is not None and found.coach_id == viewer.id
    can_choose = is_asker and question.is_published and found is None
    choices: list[CoachCard] = []
    if can_choose and viewer is not None:
        choices = [
            c for c in directory.listing() if c.is_available and c.profile.user_id != viewer.id
        ]
    return ThreadCoach(
        coach_request=found,
        is_asker=is_asker,
        is_requested_coach=on_it and found.state is RequestState.PENDING,  # type: ignore[union-attr]
        is_attached_coach=on_it and found.state is RequestState.ACCEPTED,  # type: ignore[union-attr]
        can_choose=can_choose,
        choices=choices,
    )


def my_threads(coach: User) -> CoachThreads:
    """The coach's pending requests and active threads, with what waits for their reply."""
    profile = own_profile(coach)
    now = utcnow()
    rows = db.session.scalars(
        select(CoachRequest)
        .options(joinedload(CoachRequest.question).joinedload(Question.author))
        .where(
            CoachRequest.coach_id == coach.id,
            (CoachRequest.state == RequestState.ACCEPTED)
            | ((CoachRequest.state == RequestState.PENDING) & (CoachRequest.expires_at > now)),
        )
        .order_by(CoachRequest.created_at, CoachRequest.id)
    ).all()
    pending = [r for r in rows if r.state is RequestState.PENDING]
    active = [r for r in rows if r.state is RequestState.ACCEPTED]
    last_reply = _last_replies(coach.id, [r.question_id for r in active])
    waiting = frozenset(
        r.question_id
        for r in active
        if r.question_id not in last_reply
        or (r.answered_at is not None and last_reply[r.question_id] < r.answered_at)
    )
    return CoachThreads(pending, active, waiting, profile.capacity, profile.is_away)


def _last_replies(coach_id: int, question_ids: Sequence[int]) -> dict[int, datetime]:
    if not question_ids:
        return {}
    rows = db.session.execute(
        select(Assist.question_id, func.max(Assist.created_at))
        .where(
            Assist.author_id == coach_id,
            Assist.is_coach_reply.is_(True),
            Assist.question_id.in_(question_ids),
            Assist.status != ContentStatus.REJECTED,
        )
        .group_by(Assist.question_id)
    ).all()
    return {question_id: created_at for question_id, created_at in rows}


# -- the asker chooses -------------------------------------------------------------------------


def check_can_request(question: Question | None, asker: User | None) -> Question:
    """Only the asker of a published question may ask a coach to join it."""
    if question is None:
        raise NotFound()
    if asker is None or asker.id != question.author_id:
        raise NotAllowed(_l("Only the person who asked can choose a coach for this thread."))
    if not question.is_published:
        raise Conflict(_l("You can choose a coach when a moderator has published your question."))
    return question


def request_coach(asker: User, question_id: int, profile_id: int) -> CoachRequest:
    """Ask one coach to join the asker's thread; the coach is told discreetly."""
    question = check_can_request(db.session.get(Question, question_id), asker)
    _expire_due(question_id=question.id)  # a request that ran out of time must not block
    if open_request(question.id) is not None:
        raise Conflict(_l("This thread already has a coach, or is waiting for one to answer."))
    profile = directory.listed_profile_for_update(profile_id)  # serialises choices of one coach
    if profile is None:
        raise NotFound()
    if profile.user_id == asker.id:
        raise NotAllowed(_l("You can't choose yourself as a coach."))
    if profile.is_away:
        raise Conflict(
            _l("%(name)s is away right now. Choose someone else.", name=profile.display_name)
        )
    if directory.loads([profile.user_id]).get(profile.user_id, 0) >= profile.capacity:
        raise Conflict(
            _l(
                "%(name)s can't take more threads right now. Choose someone else.",
                name=profile.display_name,
            )
        )
    ttl = timedelta(hours=float(current_app.config["COACH_REQUEST_TTL_HOURS"]))
    request = CoachRequest(
        question_id=question.id,
        asker_id=asker.id,
        coach_id=profile.user_id,
        expires_at=utcnow() + ttl,
    )
    try:
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError:
        # Another request for this thread won the race (two tabs, a double click).
        raise Conflict(
            _l("This thread already has a coach, or is waiting for one to answer.")
        ) from None
    set_committed_value(request, "coach_profile", profile)
    notifications.notify(profile.user_id, REQUESTED, "coach_request", request.id)
    return request


def release(question_id: int, asker: User) -> CoachRequest:
    """The asker takes a pending request back, or lets the accepted coach go."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound()
    if asker is None or asker.id != question.author_id:
        raise NotAllowed(_l("Only the person who asked can do this."))
    request = open_request(question_id)
    if request is None:
        raise Conflict(_l("This thread has no coach right now."))
    ended = (
        RequestState.WITHDRAWN if request.state is RequestState.PENDING else RequestState.RELEASED
    )
    result = db.session.execute(
        update(CoachRequest)
        .where(CoachRequest.id == request.id, CoachRequest.state == request.state)
        .values(state=ended, ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        raise Conflict(_l("That just changed. Have another look."))
    db.session.refresh(request)
    kind = WITHDRAWN if ended is RequestState.WITHDRAWN else RELEASED
    notifications.notify(request.coach_id, kind, "coach_request", request.id)
    return request


# -- the coach answers -------------------------------------------------------------------------

_ALREADY = {
    RequestState.ACCEPTED: _l("You already said yes to this request."),
    RequestState.DECLINED: _l("You already said no to this request."),
    RequestState.EXPIRED: _l("This request ran out of time. The asker can choose again."),
    RequestState.WITHDRAWN: _l("The asker took this request back."),
    RequestState.RELEASED: _l("The asker has ended this coaching."),
}


def respond(request_id: int, coach: User, accept: bool) -> CoachRequest:
    """The coach says yes or no to a pending request; the asker is told either way."""
    request = db.session.get(CoachRequest, request_id)
    if request is None or coach is None or request.coach_id != coach.id:
        raise NotFound()
    check_is_coach(coach)
    now = utcnow()
    if accept and request.is_pending_at(now):
        # Lock the coach's profile so two accepts at once can't both take the last place.
        profile = db.session.scalar(
            select(CoachProfile).where(CoachProfile.user_id == coach.id).with_for_update()
        )
        active = db.session.scalar(
            select(func.count())
            .select_from(CoachRequest)
            .where(CoachRequest.coach_id == coach.id, CoachRequest.state == RequestState.ACCEPTED)
        )
        if profile is not None and (active or 0) >= profile.capacity:
            raise Conflict(
                _l(
                    "You are in as many threads as you said you can hold. Raise your limit "
                    "in your profile, or say no."
                )
            )
    result = db.session.execute(
        update(CoachRequest)
        .where(
            CoachRequest.id == request_id,
            CoachRequest.state == RequestState.PENDING,
            CoachRequest.expires_at > now,
        )
        .values(state=RequestState.ACCEPTED if accept else RequestState.DECLINED, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(request)
    if rows_changed(result) != 1:
        state = RequestState.EXPIRED if request.state is RequestState.PENDING else request.state
        raise Conflict(_ALREADY[state])
    notifications.notify(
        request.asker_id, ACCEPTED if accept else DECLINED, "question", request.question_id
    )
    return request


# -- time runs out -----------------------------------------------------------------------------


def expire_requests() -> int:
    """Expire every pending request past its time and tell each asker once.

    Idempotent: running it twice (or a job delivered twice) expires and tells nothing twice.
    Run it often, e.g. every 15 minutes: ``flask --app wsgi coaches expire-requests``.
    Registered as the job :data:`EXPIRE_REQUESTS_JOB` by :func:`community.coaches.init_app`.
    """
    return _expire_due()


def _expire_due(question_id: int | None = None, batch: int = 500) -> int:
    now = utcnow()
    expired = 0
    while True:
        query = select(CoachRequest.id, CoachRequest.asker_id, CoachRequest.question_id).where(
            CoachRequest.state == RequestState.PENDING, CoachRequest.expires_at <= now
        )
        if question_id is not None:
            query = query.where(CoachRequest.question_id == question_id)
        due = db.session.execute(query.order_by(CoachRequest.id).limit(batch)).all()
        for request_id, asker_id, due_question_id in due:
            result = db.session.execute(
                update(CoachRequest)
                .where(CoachRequest.id == request_id, CoachRequest.state == RequestState.PENDING)
                .values(state=RequestState.EXPIRED, ended_at=now)
                .execution_options(synchronize_session=False)
            )
            if rows_changed(result) == 1:  # another sweep may have got there first
                notifications.notify(asker_id, EXPIRED, "question", due_question_id)
                expired += 1
        if len(due) < batch:
            break
    db.session.flush()
    return expired
