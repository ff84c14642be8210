"""A coach's profile: settings apply at once, public text waits for a moderator."""

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.coaches import directory, profiles
from community.core.database import commit_unit_of_work
from community.core.errors import NotAllowed
from community.core.posts import ContentStatus
from community.extensions import db
from moderation import decisions, queue
from moderation.models import QueueItem, QueueState
from tests.coaches.conftest import draft
from tests.conftest import approve_open


def _open_items():
    return db.session.scalars(select(QueueItem).where(QueueItem.state == QueueState.OPEN)).all()


def test_a_staff_made_coach_is_listed_once_their_text_is_approved(app, create_user, moderator):
    staff_coach = create_user(role=Role.COACH)
    assert profiles.own_profile(staff_coach, create=False).id is None  # nothing written yet
    assert profiles.edit_profile(staff_coach, draft("Ali")) is True
    commit_unit_of_work()
    assert directory.listing() == []  # waiting for a moderator
    [item] = _open_items()
    assert item.content_type == "coach_profile"
    [entry] = queue.open_queue(moderator)
    assert entry.preview.title == "Ali" and "What I have been through" in entry.preview.body_html
    approve_open(moderator)
    assert [c.profile.display_name for c in directory.listing()] == ["Ali"]
    with pytest.raises(NotAllowed):
        profiles.edit_profile(create_user(), draft())  # young people have no coach profile


def test_edited_text_waits_while_the_approved_text_stays_up(app, coach, moderator, profile_of):
    profile = profile_of(coach)
    assert profiles.edit_profile(coach, draft("Sara", capacity=4, languages=("ar",))) is False
    assert profile.capacity == 4 and [lang.language for lang in profile.languages] == ["ar"]
    assert _open_items() == []  # settings only: no moderation needed
    assert profiles.edit_profile(coach, draft("Sara B")) is True
    assert profiles.edit_profile(coach, draft("Sara C")) is True  # replaces what waits
    commit_unit_of_work()
    assert [c.profile.display_name for c in directory.listing()] == ["Sara"]
    [item] = _open_items()
    decisions.reject(item.id, moderator, "identifying", "Leave out your surname.")
    commit_unit_of_work()
    assert profile.display_name == "Sara"
    latest = profiles.open_revision(profile)
    assert latest.status is ContentStatus.REJECTED
    assert profiles.revision_decision(latest).reason_text == "Leave out your surname."
    profiles.edit_profile(coach, draft("Sara D"))
    commit_unit_of_work()
    approve_open(moderator)
    assert profile.display_name == "Sara D" and profiles.open_revision(profile) is None


def test_language_names_follow_the_reader(app):
    from flask_babel import force_locale

    with force_locale("en"):
        assert profiles.language_label("da") == "Danish"
    with force_locale("da"):
        assert profiles.language_label("da") == "Dansk"
    with force_locale("nb"):
        assert profiles.language_label("no") == "Norsk"
