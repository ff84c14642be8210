"""Applying to be a coach, and a moderator's decision."""

import pytest
from sqlalchemy import func, select

from community.accounts.models import AgeBand, Role
from community.coaches import applications, directory, profiles
from community.coaches.models import ApplicationState, CoachApplication, CoachProfileRevision
from community.core.database import commit_unit_of_work
from community.core.errors import Conflict, DomainError, NotAllowed
from community.core.posts import ContentStatus
from community.extensions import db
from community.notifications import services as notifications
from moderation.models import AuditEntry, QueueItem, QueueState
from tests.coaches.conftest import EXPERIENCE, draft


def _open_items():
    return db.session.scalars(select(QueueItem).where(QueueItem.state == QueueState.OPEN)).all()


def _audit_actions():
    return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def adult(create_user):
    """A young adult (18 to 25) who may apply."""
    return create_user(age_band=AgeBand.AGE_18_25.value)


# -- who may apply -----------------------------------------------------------------------------


def test_only_young_adults_may_apply(app, create_user, moderator, adult):
    for band in ("13-15", "16-17"):
        with pytest.raises(NotAllowed, match="18 or older"):
            applications.apply(create_user(age_band=band), draft())
    with pytest.raises(NotAllowed, match="Staff"):
        applications.apply(moderator, draft())
    with pytest.raises(NotAllowed, match="coach already"):
        applications.apply(create_user(role=Role.COACH), draft())
    with pytest.raises(NotAllowed):
        applications.check_can_apply(None)
    assert db.session.scalar(select(func.count()).select_from(CoachApplication)) == 0
    assert applications.can_apply(adult)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"display_name": "S"}, "display_name"),
        ({"about": "Too short"}, "about"),
        ({"experience": "x" * 2001}, "experience"),
        ({"topics": ()}, "topics"),
        ({"topics": ("gardening",)}, "topics"),
        ({"languages": ()}, "languages"),
        ({"languages": ("xx",)}, "languages"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "eleven"}, "capacity"),
        ({"capacity": 11}, "capacity"),
    ],
)
def test_a_profile_needs_every_part(app, adult, changes, field):
    with pytest.raises(DomainError) as refused:
        applications.apply(adult, draft(**changes))
    assert refused.value.field == field


def test_an_application_waits_unseen_and_can_be_changed_while_it_waits(app, adult):
    first = applications.apply(adult, draft("Sam"))
    assert first.state is ApplicationState.PENDING
    assert _open_items() == []  # reviewed as an application, not in the post queue
    assert directory.listing() == []
    again = applications.apply(adult, draft("Sammy", capacity=3))
    assert again.id == first.id and again.revision.display_name == "Sammy"
    assert profiles.profile_of(adult.id).capacity == 3
    assert db.session.scalar(select(func.count()).select_from(CoachApplication)) == 1


# -- reviewing ---------------------------------------------------------------------------------


def test_approval_makes_a_coach_and_publishes_the_profile(app, adult, moderator):
    application = applications.apply(adult, draft("Sam", topics=("family", "school")))
    commit_unit_of_work()
    applications.approve_application(application.id, moderator)
    commit_unit_of_work()
    assert adult.role is Role.COACH and not adult.is_ranked  # off the youth leaderboard
    assert adult.pseudonym  # same account, same pseudonym for logging in
    [card] = directory.listing()
    assert card.profile.display_name == "Sam" and card.is_available
    assert card.profile.experience_source == EXPERIENCE
    assert [t.value for t in card.topics] == ["family", "school"]
    assert _audit_actions() == [
        "user.role_changed",  # every role change is audited (moderation.audit)
        "coach_profile.auto_approved",
        "coach_application.approved",
    ]
    item = db.session.scalar(select(QueueItem))  # the published text has an approval on record
    assert (item.state, item.decided_by_id, item.content_type) == (
        QueueState.APPROVED,
        moderator.id,
        "coach_profile",
    )
    [told] = notifications.recent(adult)
    assert told.message == "Welcome! You are a coach now."


def test_turning_down_is_audited_explained_and_final_for_that_application(app, adult, moderator):
    application = applications.apply(adult, draft("Sam"))
    with pytest.raises(DomainError):
        applications.decline_application(application.id, moderator, "x" * 1001)
    applications.decline_application(application.id, moderator, "Tell us a bit more, please.")
    commit_unit_of_work()
    assert application.state is ApplicationState.DECLINED
    assert application.decision_note == "Tell us a bit more, please."
    assert adult.role is Role.YOUTH and directory.listing() == []
    assert db.session.get(CoachProfileRevision, application.revision_id).status is (
        ContentStatus.REJECTED
    )
    assert _audit_actions() == ["coach_application.declined"]
    [told] = notifications.recent(adult)
    assert "not approved" in told.message and "Tell us" not in repr(told)
    with pytest.raises(Conflict):
        applications.approve_application(application.id, moderator)
    # They may try again: a new application.
    second = applications.apply(adult, draft("Sam"))
    assert second.id != application.id and second.state is ApplicationState.PENDING


def test_only_moderators_decide_and_only_once(app, adult, moderator, create_user, other_youth):
    application = applications.apply(adult, draft())
    for someone in (adult, other_youth, create_user(role=Role.COACH)):
        with pytest.raises(NotAllowed):
            applications.approve_application(application.id, someone)
        with pytest.raises(NotAllowed):
            applications.decline_application(application.id, someone)
        with pytest.raises(NotAllowed):
            applications.pending_applications(someone)
    assert [e.application.id for e in applications.pending_applications(moderator)] == [
        application.id
    ]
    applications.approve_application(application.id, moderator)
    with pytest.raises(Conflict, match="already decided"):
        applications.approve_application(application.id, create_user(role=Role.ADMIN))
    with pytest.raises(Conflict):
        applications.decline_application(application.id, moderator)
    assert applications.pending_applications(moderator) == []


def test_two_applications_sent_at_once_leave_one_waiting(app, adult, monkeypatch):
    applications.apply(adult, draft("Sam"))
    commit_unit_of_work()
    # The second tab looked before the first application existed.
    monkeypatch.setattr(applications, "pending_application_of", lambda user_id: None)
    with pytest.raises(Conflict, match="already waiting"):
        applications.apply(adult, draft("Sam"))
    commit_unit_of_work()
    assert db.session.scalar(select(func.count()).select_from(CoachApplication)) == 1
