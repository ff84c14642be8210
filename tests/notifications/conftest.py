"""Fixtures for notifications: assists written and published through the moderation queue,
and the coaches' fixtures (a listed coach, an asker's thread with the coach attached)."""

from __future__ import annotations

import pytest

from community.assists import services as assists
from community.core.database import commit_unit_of_work
from tests.coaches.conftest import ask, attached, coach, make_coach, profile_of  # noqa: F401
from tests.conftest import approve_open


@pytest.fixture
def publish_assist(moderator):
    """Write an assist as *author* on *question_id* and approve it in the queue (committed)."""

    def factory(author, question_id: int, body: str = "Take a walk together and just listen."):
        assist = assists.write(author, question_id, body)
        commit_unit_of_work()
        approve_open(moderator)
        return assist

    return factory
