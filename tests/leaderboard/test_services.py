from sqlalchemy import select

from community.accounts.models import Role
from community.assists import services as assists
from community.database import commit_unit_of_work
from community.extensions import db
from community.leaderboard import rules, services
from community.leaderboard.models import ReputationEvent, Standing
from community.questions import services as questions
from tests.conftest import approve_open

BODY = "I felt the same last year. Talking to the school nurse helped me a lot."


def _thread(asker, moderator):
    question = questions.ask(
        asker,
        questions.QuestionDraft(
            "How do I cope with exam stress?",
            "Exams start soon and I can't sleep. Any tips?",
            "school",
        ),
    )
    commit_unit_of_work()
    approve_open(moderator)
    return question


def test_jobs_are_idempotent(app, youth, other_youth, moderator):
    question = _thread(youth, moderator)
    assist = assists.write(other_youth, question.id, BODY)
    commit_unit_of_work()
    approve_open(moderator)
    # RQ delivers at least once: running the job again changes nothing.
    assert services.record_assist_published(assist.id) is False
    commit_unit_of_work()
    assert services.points_of(other_youth.id) == 2
    assert db.session.get(Standing, other_youth.id).points == 2


def test_top_and_own_rank_follow_the_ledger_and_tie_break(app, create_user, moderator):
    asker = create_user()
    helpers = [create_user() for _ in range(3)]
    question = _thread(asker, moderator)
    written = [assists.write(h, question.id, BODY + f" ({i})") for i, h in enumerate(helpers)]
    commit_unit_of_work()
    approve_open(moderator)
    assists.mark_helpful(written[2].id, asker)
    commit_unit_of_work()
    top = services.top()
    assert [r.pseudonym for r in top] == [
        helpers[2].pseudonym,
        helpers[0].pseudonym,
        helpers[1].pseudonym,
    ]
    assert [r.points for r in top] == [12, 2, 2]
    assert services.rank_of(helpers[1]).rank == 3
    assert services.rank_of(asker) is None


def test_staff_are_never_ranked(app, youth, create_user, moderator):
    coach = create_user(role=Role.COACH)
    question = _thread(youth, moderator)
    # Coaches write only coach replies, in threads whose asker chose them.
    assists.write_coach_reply(coach, question.id, BODY, trusted=False)
    commit_unit_of_work()
    approve_open(moderator)
    assert services.top() == [] and services.rank_of(coach) is None
    assert db.session.scalar(select(ReputationEvent)) is None


def test_rebuild_reproduces_the_standings(app, create_user, moderator):
    asker = create_user()
    helpers = [create_user() for _ in range(4)]
    question = _thread(asker, moderator)
    written = [assists.write(h, question.id, BODY + f" {i}") for i, h in enumerate(helpers)]
    commit_unit_of_work()
    approve_open(moderator)
    for assist in written[1:3]:
        assists.mark_helpful(assist.id, asker)
    commit_unit_of_work()
    before = services.top()
    assert services.rebuild() == 4
    commit_unit_of_work()
    assert services.top() == before
    assert sum(r.points for r in before) == sum(
        rules.points_for(e.kind) for e in db.session.scalars(select(ReputationEvent))
    )


def test_leaderboard_page_shows_points_and_own_rank(
    app, client, youth, other_youth, moderator, login
):
    question = _thread(youth, moderator)
    assist = assists.write(other_youth, question.id, BODY)
    commit_unit_of_work()
    approve_open(moderator)
    assists.mark_helpful(assist.id, youth)
    commit_unit_of_work()
    page = client.get("/leaderboard/")
    assert other_youth.pseudonym in page.text and ">12<" in page.text
    login(other_youth)
    assert "You are number 1 with 12 points." in client.get("/leaderboard/").text
    client.post("/log-out")
    login(moderator)
    assert "You are number" not in client.get("/leaderboard/").text
