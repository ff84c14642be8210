"""Coach replies: only the coach the asker chose, who said yes, writes them."""

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.assists import services as assists
from community.assists.models import Assist
from community.coaches import coach_replies, directory, profiles, thread_requests
from community.core.database import commit_unit_of_work
from community.core.errors import NotAllowed
from community.core.posts import ContentStatus
from community.extensions import db
from community.questions import services as questions
from moderation.models import AuditEntry, QueueItem, QueueState
from tests.coaches.conftest import draft
from tests.conftest import approve_open

REPLY = "I went through the same thing at 15. Writing my feelings down before talking helped."


def test_the_attached_coach_replies_through_the_queue(app, attached, coach, moderator, youth):
    question, _ = attached
    reply = coach_replies.reply(coach, question.id, REPLY)
    assert reply.is_coach_reply and reply.status is ContentStatus.PENDING
    [item] = db.session.scalars(select(QueueItem).where(QueueItem.state == QueueState.OPEN))
    assert (item.content_type, item.content_id) == ("assist", reply.id)
    approve_open(moderator)
    [shown] = assists.for_thread(question.id, None)
    assert shown.id == reply.id and shown.is_coach_reply and shown.is_published
    assert directory.card(profiles.profile_of(coach.id).id).helped_in == 1


def test_trusted_coaches_publish_at_once_with_an_approval_on_record(make_app, base_config):
    from community.accounts import services as accounts
    from tests.conftest import PASSWORD

    app = make_app(COACH_REPLIES_TRUSTED=True)
    with app.app_context():
        asker = accounts.register(accounts.Registration("CalmOtter21", "16-17", PASSWORD)).user
        sara = accounts.create_staff("Coach Sara", Role.COACH, PASSWORD)
        mod = accounts.create_staff("Moderator Mo", Role.MODERATOR, PASSWORD)
        profiles.edit_profile(sara, draft())
        question = questions.ask(
            asker,
            questions.QuestionDraft(
                "How do I stop worrying?", "I worry about everything.", "feelings"
            ),
        )
        commit_unit_of_work()
        approve_open(mod)
        request = thread_requests.request_coach(asker, question.id, profiles.profile_of(sara.id).id)
        thread_requests.respond(request.id, sara, accept=True)
        reply = coach_replies.reply(sara, question.id, REPLY)
        commit_unit_of_work()
        assert reply.is_published and reply.is_coach_reply
        item = db.session.scalar(
            select(QueueItem).where(
                QueueItem.content_type == "assist", QueueItem.content_id == reply.id
            )
        )
        assert item.state is QueueState.APPROVED and item.reason_code == "trusted_coach"
        assert (
            db.session.scalar(
                select(AuditEntry).where(AuditEntry.action == "assist.auto_approved")
            ).actor_id
            is None
        )


def test_nobody_else_writes_a_coach_reply(
    app, attached, make_coach, youth, other_youth, ask, profile_of
):
    question, _ = attached
    ali = make_coach("Ali")
    for someone in (ali, youth, other_youth, None):
        with pytest.raises(NotAllowed):
            coach_replies.reply(someone, question.id, REPLY)
    # Asked but not yet accepted: not attached either.
    other = ask(youth, "One more question for a coach?")
    thread_requests.request_coach(youth, other.id, profile_of(ali).id)
    with pytest.raises(NotAllowed):
        coach_replies.reply(ali, other.id, REPLY)
    assert db.session.scalar(select(func.count()).select_from(Assist)) == 0


def test_coaches_do_not_write_plain_assists(app, attached, coach, make_coach):
    """An adult joins a thread only when the asker chooses them: no plain assists."""
    question, _ = attached
    for someone in (make_coach("Ali"), coach):
        assert not assists.can_assist(question, someone)
        with pytest.raises(NotAllowed, match="Coaches reply only"):
            assists.write(someone, question.id, REPLY)
    assert db.session.scalar(select(func.count()).select_from(Assist)) == 0
