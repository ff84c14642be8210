from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.extensions import db
from community.reputation import standings as leaderboard
from moderation.models import QueueItem, QueueState


def test_seed_loads_demo_data_once_and_prints_logins(runner):
    result = runner.invoke(args=["seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "CalmOtter21" in result.output and "Moderator Mo" in result.output
    users = db.session.scalar(select(func.count()).select_from(User))
    assert users == 8
    assert leaderboard.top()[0].pseudonym == "BraveFalcon42"
    open_items = db.session.scalars(
        select(QueueItem).where(QueueItem.state == QueueState.OPEN)
    ).all()
    assert len(open_items) == 2
    again = runner.invoke(args=["seed", "--if-empty"])
    assert again.exit_code == 0
    assert "no demo data added" in again.output
    for name in ("CalmOtter21", "Coach Sara", "Safeguarding Sam", "Admin Alex", "demo-staff-pass"):
        assert name in again.output  # the logins, every time
    assert db.session.scalar(select(func.count()).select_from(User)) == users


def test_seed_has_every_role_and_three_languages_and_an_escalation(runner):
    from community.questions.models import Question
    from moderation.models import AuditEntry, Escalation

    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    for line in ("safeguarding Safeguarding Sam", "admin        Admin Alex"):
        assert " ".join(line.split()) in " ".join(result.output.split())
    titles = " ".join(db.session.scalars(select(Question.title)))
    assert "lærer" in titles  # Danish
    assert "Foreldrene" in titles  # Norwegian
    assert "overthinking" in titles  # English
    [escalation] = db.session.scalars(select(Escalation)).all()
    assert escalation.resolved_at is None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert "queue_item.escalated" in actions


def test_seed_prints_no_logins_for_a_database_without_the_demo_accounts(runner, youth):
    result = runner.invoke(args=["seed", "--if-empty"])
    assert result.exit_code == 0
    assert "no demo data added" in result.output and "demo-youth-pass" not in result.output


def test_create_staff(runner):
    result = runner.invoke(
        args=["users", "create-staff", "--name", "Coach Ali", "--role", "coach"],
        input="a long coach password\na long coach password\n",
    )
    assert result.exit_code == 0, result.output
    coach = db.session.scalar(select(User).where(User.pseudonym == "Coach Ali"))
    assert coach.role is Role.COACH
    refused = runner.invoke(
        args=["users", "create-staff", "--name", "Mod", "--role", "moderator"],
        input="password\npassword\n",
    )
    assert refused.exit_code != 0 and "too easy" in refused.output


def test_youth_cannot_be_created_as_staff(runner):
    result = runner.invoke(
        args=["users", "create-staff", "--name", "Kid", "--role", "youth"],
        input="a long password here\na long password here\n",
    )
    assert result.exit_code != 0


def test_leaderboard_rebuild(runner):
    runner.invoke(args=["seed"])
    before = leaderboard.top()
    result = runner.invoke(args=["leaderboard", "rebuild"])
    assert result.exit_code == 0 and "Ranked users: 1." in result.output
    assert leaderboard.top() == before
