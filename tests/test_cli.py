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
    assert users == 4
    assert leaderboard.top()[0].pseudonym == "BraveFalcon42"
    assert (
        db.session.scalar(
            select(func.count()).select_from(QueueItem).where(QueueItem.state == QueueState.OPEN)
        )
        == 1
    )
    again = runner.invoke(args=["seed", "--if-empty"])
    assert again.exit_code == 0 and "CalmOtter21" in again.output
    assert db.session.scalar(select(func.count()).select_from(User)) == users


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
