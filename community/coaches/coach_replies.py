"""Coach replies: what the coach the asker chose writes in the thread.

A coach reply is an assist marked as a coach's reply, shown under the coach's display name.
Only the coach whose request the asker made and the coach accepted may write one; coaches
write no plain assists. Replies pass the moderation queue unless ``COACH_REPLIES_TRUSTED``
is on, which still records an approval.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.accounts.models import User
from community.assists import services as assists
from community.assists.models import Assist
from community.coaches.models import CoachRequest, RequestState
from community.coaches.profiles import is_coach
from community.core.errors import DomainError, NotAllowed, NotFound
from community.extensions import db
from community.questions.models import Question


def _accepted_request(question_id: int, coach_id: int) -> CoachRequest | None:
    return db.session.scalar(
        select(CoachRequest).where(
            CoachRequest.question_id == question_id,
            CoachRequest.coach_id == coach_id,
            CoachRequest.state == RequestState.ACCEPTED,
        )
    )


def check_can_reply(question: Question | None, coach: User | None) -> CoachRequest:
    """Only the coach the asker chose, who said yes, may write a coach reply in the thread."""
    if question is None or not question.is_published:
        raise NotFound()
    refusal = NotAllowed(_l("Only the coach the asker chose can write a coach's reply here."))
    if coach is None or not is_coach(coach):
        raise refusal
    accepted = _accepted_request(question.id, coach.id)
    if accepted is None:
        raise refusal
    return accepted


def can_reply(question: Question, coach: User | None) -> bool:
    try:
        check_can_reply(question, coach)
    except DomainError:  # NotAllowed, or NotFound for a question that isn't public
        return False
    return True


def is_trusted() -> bool:
    """Whether coach replies are published at once (``COACH_REPLIES_TRUSTED``)."""
    return bool(current_app.config["COACH_REPLIES_TRUSTED"])


def reply(coach: User, question_id: int, body: str) -> Assist:
    """Save the accepted coach's reply: to the queue, or published at once when
    ``COACH_REPLIES_TRUSTED`` is on (still with an approval on record)."""
    check_can_reply(db.session.get(Question, question_id), coach)
    return assists.write_coach_reply(coach, question_id, body, trusted=is_trusted())
