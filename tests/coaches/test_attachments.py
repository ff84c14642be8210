"""The asker chooses, the coach answers, the asker releases; only the attached coach replies."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from community.accounts.models import Role
from community.assists import services as assists
from community.assists.models import Assist
from community.clock import utcnow
from community.coaches import attachments
from community.coaches import services as coaches
from community.coaches.models import CoachRequest, RequestState
from community.database import commit_unit_of_work
from community.errors import Conflict, NotAllowed, NotFound
from community.extensions import db
from community.notifications import services as notifications
from community.notifications.models import Notification
from community.posts import ContentStatus
from community.questions import services as questions
from moderation.models import AuditEntry, QueueItem, QueueState
from tests.coaches.conftest import draft
from tests.conftest import approve_open

REPLY = "I went through the same thing at 15. Writing my feelings down before talking helped."


def _requests():
    return db.session.scalar(select(func.count()).select_from(CoachRequest))


def _age(request, hours=49):
    """Pretend *request* was made *hours* ago."""
    db.session.execute(
        update(CoachRequest)
        .where(CoachRequest.id == request.id)
        .values(expires_at=utcnow() - timedelta(hours=hours - 48))
    )
    commit_unit_of_work()
    db.session.expire_all()


# -- choosing ----------------------------------------------------------------------------------


def test_only_the_asker_of_a_published_question_chooses(
    app, youth, other_youth, coach, ask, profile_of, moderator
):
    question = ask(youth)
    sara = profile_of(coach).id
    for someone in (other_youth, moderator, coach):
        with pytest.raises(NotAllowed):
            attachments.request_coach(someone, question.id, sara)
    with pytest.raises(NotFound):
        attachments.request_coach(youth, 10_000, sara)
    waiting = questions.ask(
        youth,
        questions.QuestionDraft(
            "Is it ok to be sad all week?", "I feel sad all week long.", "feelings"
        ),
    )
    with pytest.raises(Conflict, match="published"):
        attachments.request_coach(youth, waiting.id, sara)
    assert _requests() == 0


def test_the_coach_is_told_discreetly(app, youth, coach, ask, profile_of):
    question = ask(youth)
    request = attachments.request_coach(youth, question.id, profile_of(coach).id)
    assert request.state is RequestState.PENDING and request.coach_id == coach.id
    assert request.expires_at - utcnow() > timedelta(hours=47)
    told = notifications.recent(coach)[0]  # (before it: their profile was approved)
    assert told.message == "Someone asked you to join a thread."
    assert told.url.endswith("/coaches/me/threads")
    row = db.session.scalar(select(Notification).where(Notification.kind == "coach.requested"))
    assert (row.object_type, row.object_id) == ("coach_request", request.id)
    assert question.title not in repr(told) and youth.pseudonym not in repr(told)


def test_one_coach_per_thread_at_a_time(app, youth, make_coach, ask, profile_of):
    sara, ali = make_coach("Sara"), make_coach("Ali")
    question = ask(youth)
    first = attachments.request_coach(youth, question.id, profile_of(sara).id)
    with pytest.raises(Conflict, match="already has a coach"):
        attachments.request_coach(youth, question.id, profile_of(ali).id)
    attachments.respond(first.id, sara, accept=True)
    with pytest.raises(Conflict, match="already has a coach"):
        attachments.request_coach(youth, question.id, profile_of(ali).id)
    assert _requests() == 1


def test_a_declined_or_expired_request_frees_the_thread(app, youth, make_coach, ask, profile_of):
    sara, ali = make_coach("Sara"), make_coach("Ali")
    question = ask(youth)
    first = attachments.request_coach(youth, question.id, profile_of(sara).id)
    attachments.respond(first.id, sara, accept=False)
    second = attachments.request_coach(youth, question.id, profile_of(ali).id)
    commit_unit_of_work()
    _age(second)
    third = attachments.request_coach(youth, question.id, profile_of(sara).id)
    assert db.session.get(CoachRequest, second.id).state is RequestState.EXPIRED
    assert third.state is RequestState.PENDING


def test_a_race_for_the_same_thread_is_a_clean_refusal(
    app, youth, make_coach, ask, profile_of, monkeypatch
):
    sara, ali = make_coach("Sara"), make_coach("Ali")
    question = ask(youth)
    attachments.request_coach(youth, question.id, profile_of(sara).id)
    commit_unit_of_work()
    # The other tab checked before this request existed: the unique index still says no.
    monkeypatch.setattr(attachments, "open_request", lambda question_id: None)
    with pytest.raises(Conflict, match="already has a coach"):
        attachments.request_coach(youth, question.id, profile_of(ali).id)
    commit_unit_of_work()
    assert _requests() == 1


def test_a_coach_cannot_choose_themselves(app, coach, profile_of, moderator):
    own = questions.ask(
        coach,
        questions.QuestionDraft(
            "How do coaches deal with a hard week?", "Asking for myself this time.", "feelings"
        ),
    )
    commit_unit_of_work()
    approve_open(moderator)
    with pytest.raises(NotAllowed, match="yourself"):
        attachments.request_coach(coach, own.id, profile_of(coach).id)
    assert _requests() == 0


def test_away_or_full_coaches_cannot_be_chosen(
    app, youth, create_user, make_coach, ask, profile_of
):
    away = make_coach("Ali", away=True)
    busy = make_coach("Sara", capacity=1)
    question = ask(youth)
    with pytest.raises(Conflict, match="Ali is away"):
        attachments.request_coach(youth, question.id, profile_of(away).id)
    other_asker = create_user()
    attachments.request_coach(
        other_asker, ask(other_asker, "Another question, please?").id, profile_of(busy).id
    )
    with pytest.raises(Conflict, match="can't take more threads"):  # a pending request counts
        attachments.request_coach(youth, question.id, profile_of(busy).id)
    with pytest.raises(NotFound):
        attachments.request_coach(youth, question.id, 10_000)
    assert _requests() == 1


def test_the_thread_offers_only_available_coaches(app, youth, make_coach, ask):
    make_coach("Ali", away=True)
    make_coach("Sara")
    question = ask(youth)
    view = attachments.thread_coach(question, youth)
    assert view.can_choose and [c.profile.display_name for c in view.choices] == ["Sara"]
    assert not attachments.thread_coach(question, None).can_choose


# -- answering ---------------------------------------------------------------------------------


def test_accept_tells_the_asker_and_attaches_the_coach(app, youth, coach, ask, profile_of):
    question = ask(youth)
    request = attachments.request_coach(youth, question.id, profile_of(coach).id)
    attachments.respond(request.id, coach, accept=True)
    assert request.state is RequestState.ACCEPTED and request.answered_at
    told = notifications.recent(youth)[0]  # (before it: their question was approved)
    assert told.message.startswith("The coach you chose said yes.")
    assert told.url.endswith(f"/questions/{question.id}#thread-coach")
    view = attachments.thread_coach(question, coach)
    assert view.is_attached_coach and view.attachment.coach_profile.display_name == "Sara"
    assert not attachments.thread_coach(question, youth).can_choose


def test_answering_twice_or_too_late_is_a_clear_message(app, youth, coach, ask, profile_of):
    question = ask(youth)
    request = attachments.request_coach(youth, question.id, profile_of(coach).id)
    attachments.respond(request.id, coach, accept=True)
    with pytest.raises(Conflict, match="already said yes"):
        attachments.respond(request.id, coach, accept=True)
    with pytest.raises(Conflict, match="already said yes"):
        attachments.respond(request.id, coach, accept=False)
    other = ask(youth, "A second question about my family?")
    declined = attachments.request_coach(youth, other.id, profile_of(coach).id)
    attachments.respond(declined.id, coach, accept=False)
    with pytest.raises(Conflict, match="already said no"):
        attachments.respond(declined.id, coach, accept=True)
    third = ask(youth, "A third question about my family?")
    late = attachments.request_coach(youth, third.id, profile_of(coach).id)
    commit_unit_of_work()
    _age(late)
    with pytest.raises(Conflict, match="ran out of time"):
        attachments.respond(late.id, coach, accept=True)
    assert db.session.get(CoachRequest, late.id).state is RequestState.PENDING  # the sweep's job


def test_only_the_asked_coach_answers(app, youth, make_coach, ask, profile_of):
    sara, ali = make_coach("Sara"), make_coach("Ali")
    request = attachments.request_coach(youth, ask(youth).id, profile_of(sara).id)
    for someone in (ali, youth):
        with pytest.raises(NotFound):
            attachments.respond(request.id, someone, accept=True)
    with pytest.raises(NotFound):
        attachments.respond(10_000, sara, accept=True)
    assert request.state is RequestState.PENDING


def test_accepting_beyond_capacity_is_refused(app, youth, coach, ask, profile_of):
    first = attachments.request_coach(youth, ask(youth).id, profile_of(coach).id)
    second = attachments.request_coach(
        youth, ask(youth, "Another family question?").id, profile_of(coach).id
    )
    attachments.respond(first.id, coach, accept=True)
    coaches.edit_profile(coach, draft(capacity=1))
    with pytest.raises(Conflict, match="as many threads"):
        attachments.respond(second.id, coach, accept=True)
    assert db.session.get(CoachRequest, second.id).state is RequestState.PENDING


# -- releasing ---------------------------------------------------------------------------------


def test_the_asker_can_take_a_request_back_or_release_the_coach(
    app, youth, other_youth, coach, ask, profile_of
):
    question = ask(youth)
    pending = attachments.request_coach(youth, question.id, profile_of(coach).id)
    with pytest.raises(NotAllowed):
        attachments.release(question.id, other_youth)
    attachments.release(question.id, youth)
    assert pending.state is RequestState.WITHDRAWN
    again = attachments.request_coach(youth, question.id, profile_of(coach).id)
    attachments.respond(again.id, coach, accept=True)
    attachments.release(question.id, youth)
    assert again.state is RequestState.RELEASED and again.ended_at
    with pytest.raises(Conflict, match="no coach"):
        attachments.release(question.id, youth)
    messages = [n.message for n in notifications.recent(coach)]
    assert "You are no longer the coach in one of your threads." in messages
    assert "A request to join a thread was taken back." in messages
    with pytest.raises(NotAllowed):  # released: no more coach replies
        attachments.reply(coach, question.id, REPLY)


# -- coach replies -----------------------------------------------------------------------------


def test_the_attached_coach_replies_through_the_queue(app, attached, coach, moderator, youth):
    question, _ = attached
    reply = attachments.reply(coach, question.id, REPLY)
    assert reply.is_coach_reply and reply.status is ContentStatus.PENDING
    [item] = db.session.scalars(select(QueueItem).where(QueueItem.state == QueueState.OPEN))
    assert (item.content_type, item.content_id) == ("assist", reply.id)
    approve_open(moderator)
    [shown] = assists.for_thread(question.id, None)
    assert shown.id == reply.id and shown.is_coach_reply and shown.is_published
    assert coaches.card(coaches.profile_of(coach.id).id).helped_in == 1


def test_trusted_coaches_publish_at_once_with_an_approval_on_record(make_app, base_config):
    from community.accounts import services as accounts
    from tests.conftest import PASSWORD

    app = make_app(COACH_REPLIES_TRUSTED=True)
    with app.app_context():
        asker = accounts.register(accounts.Registration("CalmOtter21", "16-17", PASSWORD)).user
        sara = accounts.create_staff("Coach Sara", Role.COACH, PASSWORD)
        mod = accounts.create_staff("Moderator Mo", Role.MODERATOR, PASSWORD)
        coaches.edit_profile(sara, draft())
        question = questions.ask(
            asker,
            questions.QuestionDraft(
                "How do I stop worrying?", "I worry about everything.", "feelings"
            ),
        )
        commit_unit_of_work()
        approve_open(mod)
        request = attachments.request_coach(asker, question.id, coaches.profile_of(sara.id).id)
        attachments.respond(request.id, sara, accept=True)
        reply = attachments.reply(sara, question.id, REPLY)
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
            attachments.reply(someone, question.id, REPLY)
    # Asked but not yet accepted: not attached either.
    other = ask(youth, "One more question for a coach?")
    attachments.request_coach(youth, other.id, profile_of(ali).id)
    with pytest.raises(NotAllowed):
        attachments.reply(ali, other.id, REPLY)
    assert db.session.scalar(select(func.count()).select_from(Assist)) == 0


def test_coaches_do_not_write_plain_assists(app, attached, coach, make_coach):
    """An adult joins a thread only when the asker chooses them: no plain assists."""
    question, _ = attached
    for someone in (make_coach("Ali"), coach):
        assert not assists.can_assist(question, someone)
        with pytest.raises(NotAllowed, match="Coaches reply only"):
            assists.write(someone, question.id, REPLY)
    assert db.session.scalar(select(func.count()).select_from(Assist)) == 0


def test_my_threads_shows_requests_threads_and_what_waits_for_a_reply(
    app, youth, coach, ask, profile_of, moderator
):
    one, two, three = (ask(youth, f"Question number {n} for a coach?") for n in (1, 2, 3))
    sara = profile_of(coach).id
    first = attachments.request_coach(youth, one.id, sara)
    second = attachments.request_coach(youth, two.id, sara)
    attachments.respond(first.id, coach, accept=True)
    attachments.respond(second.id, coach, accept=True)
    coaches.edit_profile(coach, draft(capacity=3))
    attachments.request_coach(youth, three.id, sara)
    attachments.reply(coach, one.id, REPLY)
    commit_unit_of_work()
    mine = attachments.my_threads(coach)
    assert [r.question_id for r in mine.pending] == [three.id]
    assert [r.question_id for r in mine.active] == [one.id, two.id]
    assert mine.waiting_ids == {two.id}
    assert (mine.load, mine.capacity, mine.is_away) == (3, 3, False)
    with pytest.raises(NotAllowed):
        attachments.my_threads(youth)
