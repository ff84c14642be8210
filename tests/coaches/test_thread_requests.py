"""Coach requests: the asker chooses, the coach answers, the asker takes it back or lets the
coach go, and a coach's own list of threads."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from community.coaches import coach_replies, profiles, thread_requests
from community.coaches.models import CoachRequest, RequestState
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.errors import Conflict, NotAllowed, NotFound
from community.extensions import db
from community.notifications import services as notifications
from community.notifications.models import Notification
from community.questions import services as questions
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
            thread_requests.request_coach(someone, question.id, sara)
    with pytest.raises(NotFound):
        thread_requests.request_coach(youth, 10_000, sara)
    waiting = questions.ask(
        youth,
        questions.QuestionDraft(
            "Is it ok to be sad all week?", "I feel sad all week long.", "feelings"
        ),
    )
    with pytest.raises(Conflict, match="published"):
        thread_requests.request_coach(youth, waiting.id, sara)
    assert _requests() == 0


def test_the_coach_is_told_discreetly(app, youth, coach, ask, profile_of):
    question = ask(youth)
    request = thread_requests.request_coach(youth, question.id, profile_of(coach).id)
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
    first = thread_requests.request_coach(youth, question.id, profile_of(sara).id)
    with pytest.raises(Conflict, match="already has a coach"):
        thread_requests.request_coach(youth, question.id, profile_of(ali).id)
    thread_requests.respond(first.id, sara, accept=True)
    with pytest.raises(Conflict, match="already has a coach"):
        thread_requests.request_coach(youth, question.id, profile_of(ali).id)
    assert _requests() == 1


def test_a_declined_or_expired_request_frees_the_thread(app, youth, make_coach, ask, profile_of):
    sara, ali = make_coach("Sara"), make_coach("Ali")
    question = ask(youth)
    first = thread_requests.request_coach(youth, question.id, profile_of(sara).id)
    thread_requests.respond(first.id, sara, accept=False)
    second = thread_requests.request_coach(youth, question.id, profile_of(ali).id)
    commit_unit_of_work()
    _age(second)
    third = thread_requests.request_coach(youth, question.id, profile_of(sara).id)
    assert db.session.get(CoachRequest, second.id).state is RequestState.EXPIRED
    assert third.state is RequestState.PENDING


def test_a_race_for_the_same_thread_is_a_clean_refusal(
    app, youth, make_coach, ask, profile_of, monkeypatch
):
    sara, ali = make_coach("Sara"), make_coach("Ali")
    question = ask(youth)
    thread_requests.request_coach(youth, question.id, profile_of(sara).id)
    commit_unit_of_work()
    # The other tab checked before this request existed: the unique index still says no.
    monkeypatch.setattr(thread_requests, "open_request", lambda question_id: None)
    with pytest.raises(Conflict, match="already has a coach"):
        thread_requests.request_coach(youth, question.id, profile_of(ali).id)
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
        thread_requests.request_coach(coach, own.id, profile_of(coach).id)
    assert _requests() == 0


def test_away_or_full_coaches_cannot_be_chosen(
    app, youth, create_user, make_coach, ask, profile_of
):
    away = make_coach("Ali", away=True)
    busy = make_coach("Sara", capacity=1)
    question = ask(youth)
    with pytest.raises(Conflict, match="Ali is away"):
        thread_requests.request_coach(youth, question.id, profile_of(away).id)
    other_asker = create_user()
    thread_requests.request_coach(
        other_asker, ask(other_asker, "Another question, please?").id, profile_of(busy).id
    )
    with pytest.raises(Conflict, match="can't take more threads"):  # a pending request counts
        thread_requests.request_coach(youth, question.id, profile_of(busy).id)
    with pytest.raises(NotFound):
        thread_requests.request_coach(youth, question.id, 10_000)
    assert _requests() == 1


def test_the_thread_offers_only_available_coaches(app, youth, make_coach, ask):
    make_coach("Ali", away=True)
    make_coach("Sara")
    question = ask(youth)
    view = thread_requests.thread_coach(question, youth)
    assert view.can_choose and [c.profile.display_name for c in view.choices] == ["Sara"]
    assert not thread_requests.thread_coach(question, None).can_choose


# -- answering ---------------------------------------------------------------------------------


def test_accept_tells_the_asker_and_attaches_the_coach(app, youth, coach, ask, profile_of):
    question = ask(youth)
    request = thread_requests.request_coach(youth, question.id, profile_of(coach).id)
    thread_requests.respond(request.id, coach, accept=True)
    assert request.state is RequestState.ACCEPTED and request.answered_at
    told = notifications.recent(youth)[0]  # (before it: their question was approved)
    assert told.message.startswith("The coach you chose said yes.")
    assert told.url.endswith(f"/questions/{question.id}#thread-coach")
    view = thread_requests.thread_coach(question, coach)
    assert view.is_attached_coach and view.coach_request.coach_profile.display_name == "Sara"
    assert not thread_requests.thread_coach(question, youth).can_choose


def test_answering_twice_or_too_late_is_a_clear_message(app, youth, coach, ask, profile_of):
    question = ask(youth)
    request = thread_requests.request_coach(youth, question.id, profile_of(coach).id)
    thread_requests.respond(request.id, coach, accept=True)
    with pytest.raises(Conflict, match="already said yes"):
        thread_requests.respond(request.id, coach, accept=True)
    with pytest.raises(Conflict, match="already said yes"):
        thread_requests.respond(request.id, coach, accept=False)
    other = ask(youth, "A second question about my family?")
    declined = thread_requests.request_coach(youth, other.id, profile_of(coach).id)
    thread_requests.respond(declined.id, coach, accept=False)
    with pytest.raises(Conflict, match="already said no"):
        thread_requests.respond(declined.id, coach, accept=True)
    third = ask(youth, "A third question about my family?")
    late = thread_requests.request_coach(youth, third.id, profile_of(coach).id)
    commit_unit_of_work()
    _age(late)
    with pytest.raises(Conflict, match="ran out of time"):
        thread_requests.respond(late.id, coach, accept=True)
    assert db.session.get(CoachRequest, late.id).state is RequestState.PENDING  # the sweep's job


def test_only_the_asked_coach_answers(app, youth, make_coach, ask, profile_of):
    sara, ali = make_coach("Sara"), make_coach("Ali")
    request = thread_requests.request_coach(youth, ask(youth).id, profile_of(sara).id)
    for someone in (ali, youth):
        with pytest.raises(NotFound):
            thread_requests.respond(request.id, someone, accept=True)
    with pytest.raises(NotFound):
        thread_requests.respond(10_000, sara, accept=True)
    assert request.state is RequestState.PENDING


def test_accepting_beyond_capacity_is_refused(app, youth, coach, ask, profile_of):
    first = thread_requests.request_coach(youth, ask(youth).id, profile_of(coach).id)
    second = thread_requests.request_coach(
        youth, ask(youth, "Another family question?").id, profile_of(coach).id
    )
    thread_requests.respond(first.id, coach, accept=True)
    profiles.edit_profile(coach, draft(capacity=1))
    with pytest.raises(Conflict, match="as many threads"):
        thread_requests.respond(second.id, coach, accept=True)
    assert db.session.get(CoachRequest, second.id).state is RequestState.PENDING


# -- releasing ---------------------------------------------------------------------------------


def test_the_asker_can_take_a_request_back_or_release_the_coach(
    app, youth, other_youth, coach, ask, profile_of
):
    question = ask(youth)
    pending = thread_requests.request_coach(youth, question.id, profile_of(coach).id)
    with pytest.raises(NotAllowed):
        thread_requests.release(question.id, other_youth)
    thread_requests.release(question.id, youth)
    assert pending.state is RequestState.WITHDRAWN
    again = thread_requests.request_coach(youth, question.id, profile_of(coach).id)
    thread_requests.respond(again.id, coach, accept=True)
    thread_requests.release(question.id, youth)
    assert again.state is RequestState.RELEASED and again.ended_at
    with pytest.raises(Conflict, match="no coach"):
        thread_requests.release(question.id, youth)
    messages = [n.message for n in notifications.recent(coach)]
    assert "You are no longer the coach in one of your threads." in messages
    assert "A request to join a thread was taken back." in messages
    with pytest.raises(NotAllowed):  # released: no more coach replies
        coach_replies.reply(coach, question.id, REPLY)


# -- a coach's threads ----------------------------------------------------------------------------


def test_my_threads_shows_requests_threads_and_what_waits_for_a_reply(
    app, youth, coach, ask, profile_of, moderator
):
    one, two, three = (ask(youth, f"Question number {n} for a coach?") for n in (1, 2, 3))
    sara = profile_of(coach).id
    first = thread_requests.request_coach(youth, one.id, sara)
    second = thread_requests.request_coach(youth, two.id, sara)
    thread_requests.respond(first.id, coach, accept=True)
    thread_requests.respond(second.id, coach, accept=True)
    profiles.edit_profile(coach, draft(capacity=3))
    thread_requests.request_coach(youth, three.id, sara)
    coach_replies.reply(coach, one.id, REPLY)
    commit_unit_of_work()
    mine = thread_requests.my_threads(coach)
    assert [r.question_id for r in mine.pending] == [three.id]
    assert [r.question_id for r in mine.active] == [one.id, two.id]
    assert mine.waiting_ids == {two.id}
    assert (mine.load, mine.capacity, mine.is_away) == (3, 3, False)
    with pytest.raises(NotAllowed):
        thread_requests.my_threads(youth)
