"""Applying, reviewing, profiles and the directory."""

import pytest
from sqlalchemy import func, select

from community.accounts.models import AgeBand, Role
from community.coaches import services as coaches
from community.coaches.models import ApplicationState, CoachApplication, CoachProfileRevision
from community.database import commit_unit_of_work
from community.errors import Conflict, DomainError, NotAllowed
from community.extensions import db
from community.notifications import services as notifications
from community.posts import ContentStatus
from moderation import decisions, queue
from moderation.models import AuditEntry, QueueItem, QueueState
from tests.coaches.conftest import EXPERIENCE, draft
from tests.conftest import approve_open


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
            coaches.apply(create_user(age_band=band), draft())
    with pytest.raises(NotAllowed, match="Staff"):
        coaches.apply(moderator, draft())
    with pytest.raises(NotAllowed, match="coach already"):
        coaches.apply(create_user(role=Role.COACH), draft())
    with pytest.raises(NotAllowed):
        coaches.check_can_apply(None)
    assert db.session.scalar(select(func.count()).select_from(CoachApplication)) == 0
    assert coaches.can_apply(adult)


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
        coaches.apply(adult, draft(**changes))
    assert refused.value.field == field


def test_an_application_waits_unseen_and_can_be_changed_while_it_waits(app, adult):
    first = coaches.apply(adult, draft("Sam"))
    assert first.state is ApplicationState.PENDING
    assert _open_items() == []  # reviewed as an application, not in the post queue
    assert coaches.directory() == []
    again = coaches.apply(adult, draft("Sammy", capacity=3))
    assert again.id == first.id and again.revision.display_name == "Sammy"
    assert coaches.profile_of(adult.id).capacity == 3
    assert db.session.scalar(select(func.count()).select_from(CoachApplication)) == 1


# -- reviewing ---------------------------------------------------------------------------------


def test_approval_makes_a_coach_and_publishes_the_profile(app, adult, moderator):
    application = coaches.apply(adult, draft("Sam", topics=("family", "school")))
    commit_unit_of_work()
    coaches.approve_application(application.id, moderator)
    commit_unit_of_work()
    assert adult.role is Role.COACH and not adult.is_ranked  # off the youth leaderboard
    assert adult.pseudonym  # same account, same pseudonym for logging in
    [card] = coaches.directory()
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
    application = coaches.apply(adult, draft("Sam"))
    with pytest.raises(DomainError):
        coaches.decline_application(application.id, moderator, "x" * 1001)
    coaches.decline_application(application.id, moderator, "Tell us a bit more, please.")
    commit_unit_of_work()
    assert application.state is ApplicationState.DECLINED
    assert application.decision_note == "Tell us a bit more, please."
    assert adult.role is Role.YOUTH and coaches.directory() == []
    assert db.session.get(CoachProfileRevision, application.revision_id).status is (
        ContentStatus.REJECTED
    )
    assert _audit_actions() == ["coach_application.declined"]
    [told] = notifications.recent(adult)
    assert "not approved" in told.message and "Tell us" not in repr(told)
    with pytest.raises(Conflict):
        coaches.approve_application(application.id, moderator)
    # They may try again: a new application.
    second = coaches.apply(adult, draft("Sam"))
    assert second.id != application.id and second.state is ApplicationState.PENDING


def test_only_moderators_decide_and_only_once(app, adult, moderator, create_user, other_youth):
    application = coaches.apply(adult, draft())
    for someone in (adult, other_youth, create_user(role=Role.COACH)):
        with pytest.raises(NotAllowed):
            coaches.approve_application(application.id, someone)
        with pytest.raises(NotAllowed):
            coaches.decline_application(application.id, someone)
        with pytest.raises(NotAllowed):
            coaches.pending_applications(someone)
    assert [e.application.id for e in coaches.pending_applications(moderator)] == [application.id]
    coaches.approve_application(application.id, moderator)
    with pytest.raises(Conflict, match="already decided"):
        coaches.approve_application(application.id, create_user(role=Role.ADMIN))
    with pytest.raises(Conflict):
        coaches.decline_application(application.id, moderator)
    assert coaches.pending_applications(moderator) == []


# -- profiles ----------------------------------------------------------------------------------


def test_a_staff_made_coach_is_listed_once_their_text_is_approved(app, create_user, moderator):
    staff_coach = create_user(role=Role.COACH)
    assert coaches.own_profile(staff_coach, create=False).id is None  # nothing written yet
    assert coaches.edit_profile(staff_coach, draft("Ali")) is True
    commit_unit_of_work()
    assert coaches.directory() == []  # waiting for a moderator
    [item] = _open_items()
    assert item.content_type == "coach_profile"
    [entry] = queue.open_queue(moderator)
    assert entry.preview.title == "Ali" and "What I have been through" in entry.preview.body_html
    approve_open(moderator)
    assert [c.profile.display_name for c in coaches.directory()] == ["Ali"]
    with pytest.raises(NotAllowed):
        coaches.edit_profile(create_user(), draft())  # young people have no coach profile


def test_edited_text_waits_while_the_approved_text_stays_up(app, coach, moderator, profile_of):
    profile = profile_of(coach)
    assert coaches.edit_profile(coach, draft("Sara", capacity=4, languages=("ar",))) is False
    assert profile.capacity == 4 and [lang.language for lang in profile.languages] == ["ar"]
    assert _open_items() == []  # settings only: no moderation needed
    assert coaches.edit_profile(coach, draft("Sara B")) is True
    assert coaches.edit_profile(coach, draft("Sara C")) is True  # replaces what waits
    commit_unit_of_work()
    assert [c.profile.display_name for c in coaches.directory()] == ["Sara"]
    [item] = _open_items()
    decisions.reject(item.id, moderator, "identifying", "Leave out your surname.")
    commit_unit_of_work()
    assert profile.display_name == "Sara"
    latest = coaches.open_revision(profile)
    assert latest.status is ContentStatus.REJECTED
    assert coaches.revision_decision(latest).reason_text == "Leave out your surname."
    coaches.edit_profile(coach, draft("Sara D"))
    commit_unit_of_work()
    approve_open(moderator)
    assert profile.display_name == "Sara D" and coaches.open_revision(profile) is None


def test_away_coaches_are_listed_but_cannot_be_chosen(app, make_coach):
    sara = make_coach("Sara")
    make_coach("Ali", away=True)
    cards = coaches.directory()
    assert [(c.profile.display_name, c.is_available) for c in cards] == [
        ("Sara", True),
        ("Ali", False),
    ]
    coaches.set_away(sara, True)
    assert not any(c.is_available for c in coaches.directory())


# -- the directory -----------------------------------------------------------------------------


def test_directory_filters_by_topic_and_language(app, make_coach, create_user):
    make_coach("Sara", topics=("family", "school"), languages=("da", "en"))
    make_coach("Ali", topics=("drugs",), languages=("ar", "da"))
    gone = make_coach("Nina", topics=("family",), languages=("no",))
    gone.is_active = False
    commit_unit_of_work()

    def names(**filters):
        return [c.profile.display_name for c in coaches.directory(**filters)]

    assert names() == ["Ali", "Sara"]
    assert names(topic="family") == ["Sara"]
    assert names(language="ar") == ["Ali"]
    assert names(topic="family", language="ar") == []
    assert names(topic="no-such-topic", language="xx") == ["Ali", "Sara"]


def test_language_names_follow_the_reader(app):
    from flask_babel import force_locale

    with force_locale("en"):
        assert coaches.language_label("da") == "Danish"
    with force_locale("da"):
        assert coaches.language_label("da") == "Dansk"
    with force_locale("nb"):
        assert coaches.language_label("no") == "Norsk"


def test_two_applications_sent_at_once_leave_one_waiting(app, adult, monkeypatch):
    coaches.apply(adult, draft("Sam"))
    commit_unit_of_work()
    # The second tab looked before the first application existed.
    monkeypatch.setattr(coaches, "pending_application_of", lambda user_id: None)
    with pytest.raises(Conflict, match="already waiting"):
        coaches.apply(adult, draft("Sam"))
    commit_unit_of_work()
    assert db.session.scalar(select(func.count()).select_from(CoachApplication)) == 1
