"""Fixtures for coaches: listed coaches, an asker's published question, a request."""

from __future__ import annotations

import pytest

from community.accounts.models import Role
from community.coaches import profiles, thread_requests
from community.core.database import commit_unit_of_work
from community.questions import services as questions
from tests.conftest import approve_open

ABOUT = "I'm 24, I study nursing and I love football and long walks."
EXPERIENCE = (
    "My parents split up when I was 14 and I felt it was my fault for a long time. "
    "Talking to someone older helped me see it wasn't."
)


def draft(name="Sara", topics=("family",), languages=("da", "en"), capacity=2, **changes):
    """A valid profile draft, with *changes*."""
    values = dict(
        display_name=name,
        about=ABOUT,
        experience=EXPERIENCE,
        topics=topics,
        languages=languages,
        capacity=capacity,
    )
    values.update(changes)
    return profiles.ProfileDraft(**values)


@pytest.fixture
def make_coach(create_user, moderator):
    """A vetted coach with approved, listed profile text (committed)."""

    def factory(name: str = "Sara", away: bool = False, **settings):
        user = create_user(role=Role.COACH, pseudonym=f"Coach {name}")
        profiles.edit_profile(user, draft(name, **settings))
        commit_unit_of_work()
        approve_open(moderator)
        if away:
            profiles.set_away(user, True)
            commit_unit_of_work()
        return user

    return factory


@pytest.fixture
def coach(make_coach):
    """A listed coach, Sara, who can hold two threads."""
    return make_coach()


@pytest.fixture
def profile_of():
    """The coach profile of a user."""
    return lambda user: profiles.profile_of(user.id)


@pytest.fixture
def ask(moderator):
    """A published question by *asker* (committed)."""

    def factory(asker, title="How do I talk to my mum about the divorce?"):
        question = questions.ask(
            asker,
            questions.QuestionDraft(
                title, "My parents are splitting up and I don't know who to talk to.", "family"
            ),
        )
        commit_unit_of_work()
        approve_open(moderator)
        return question

    return factory


@pytest.fixture
def attached(youth, coach, ask, profile_of):
    """``(question, request)``: youth's published question with Sara attached (accepted)."""
    question = ask(youth)
    request = thread_requests.request_coach(youth, question.id, profile_of(coach).id)
    thread_requests.respond(request.id, coach, accept=True)
    commit_unit_of_work()
    return question, request
