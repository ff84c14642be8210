"""Requests nobody answered expire through the job seam, once, however often the sweep runs."""

from datetime import timedelta

from sqlalchemy import func, select, update

from community.coaches import thread_requests
from community.coaches.models import CoachRequest, RequestState
from community.core import jobs
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.notifications.models import Notification


def _expired_notices():
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.kind == "coach.expired")
    )


def _overdue(*requests):
    db.session.execute(
        update(CoachRequest)
        .where(CoachRequest.id.in_([r.id for r in requests]))
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    commit_unit_of_work()
    db.session.expire_all()


def test_the_sweep_expires_overdue_requests_once(app, youth, make_coach, ask, profile_of):
    sara, ali, nina = make_coach("Sara"), make_coach("Ali"), make_coach("Nina")
    due = thread_requests.request_coach(
        youth, ask(youth, "First question for a coach?").id, profile_of(sara).id
    )
    fresh = thread_requests.request_coach(
        youth, ask(youth, "Second question for a coach?").id, profile_of(ali).id
    )
    taken = thread_requests.request_coach(
        youth, ask(youth, "Third question for a coach?").id, profile_of(nina).id
    )
    thread_requests.respond(taken.id, nina, accept=True)
    commit_unit_of_work()
    _overdue(due, taken)

    assert jobs.perform("coaches.expire_requests") == 1
    db.session.expire_all()
    assert db.session.get(CoachRequest, due.id).state is RequestState.EXPIRED
    assert db.session.get(CoachRequest, fresh.id).state is RequestState.PENDING
    assert db.session.get(CoachRequest, taken.id).state is RequestState.ACCEPTED  # answered in time
    assert _expired_notices() == 1

    # Twice (cron overlapping, a job delivered again): nothing changes, nobody is told twice.
    assert jobs.perform("coaches.expire_requests") == 0
    assert _expired_notices() == 1


def test_the_asker_is_told_and_may_choose_again(app, youth, make_coach, ask, profile_of):
    from community.notifications import services as notifications

    sara, ali = make_coach("Sara"), make_coach("Ali")
    question = ask(youth)
    request = thread_requests.request_coach(youth, question.id, profile_of(sara).id)
    commit_unit_of_work()
    _overdue(request)
    jobs.perform("coaches.expire_requests")
    told = notifications.recent(youth)[0]
    assert told.message == "The coach you chose didn't answer in time. You can choose someone else."
    assert told.url.endswith(f"/questions/{question.id}#thread-coach")
    assert thread_requests.thread_coach(question, youth).can_choose
    thread_requests.request_coach(youth, question.id, profile_of(ali).id)  # no error


def test_an_overdue_request_stops_counting_before_the_sweep_runs(
    app, youth, make_coach, ask, profile_of
):
    sara = make_coach("Sara", capacity=1)
    question = ask(youth)
    request = thread_requests.request_coach(youth, question.id, profile_of(sara).id)
    commit_unit_of_work()
    _overdue(request)
    assert thread_requests.open_request(question.id) is None
    assert thread_requests.my_threads(sara).pending == []
    other = ask(youth, "Another question for Sara?")
    thread_requests.request_coach(youth, other.id, profile_of(sara).id)  # her slot is free again


def test_the_job_is_registered_and_the_cli_runs_it(app, runner, youth, coach, ask, profile_of):
    assert "coaches.expire_requests" in jobs.registered_jobs()
    request = thread_requests.request_coach(youth, ask(youth).id, profile_of(coach).id)
    commit_unit_of_work()
    _overdue(request)
    first = runner.invoke(args=["coaches", "expire-requests"])
    assert first.exit_code == 0 and "Expired 1 request(s)." in first.output
    second = runner.invoke(args=["coaches", "expire-requests"])
    assert second.exit_code == 0 and "Expired 0 request(s)." in second.output
    assert _expired_notices() == 1


def test_invite_makes_a_vetted_coach_without_a_listing(app, runner):
    from community.accounts.models import Role, User
    from community.coaches import directory, profiles
    from moderation.models import AuditEntry

    result = runner.invoke(
        args=["coaches", "invite", "--name", "Coach Ali"],
        input="a long coach password\na long coach password\n",
    )
    assert result.exit_code == 0, result.output
    ali = db.session.scalar(select(User).where(User.pseudonym == "Coach Ali"))
    assert ali.role is Role.COACH
    assert profiles.profile_of(ali.id).approved_at is not None
    assert directory.listing() == []  # listed once their own text is approved
    assert db.session.scalar(select(AuditEntry.action)) == "coach.invited"
    taken = runner.invoke(
        args=["coaches", "invite", "--name", "Coach Ali"],
        input="a long coach password\na long coach password\n",
    )
    assert taken.exit_code != 0 and "taken" in taken.output
