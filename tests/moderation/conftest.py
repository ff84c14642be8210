"""Fixtures for the moderation tests: staff of every kind, and posts in a few words."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.accounts.models import Role, User
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions import services as questions
from moderation.models import QueueItem, QueueState

TITLE = "How do I cope with exams this spring?"
BODY = "I get really nervous before exams and can't sleep. What helps you?"


@pytest.fixture
def admin(create_user) -> User:
    """An admin account."""
    return create_user(role=Role.ADMIN)


@pytest.fixture
def safeguarder(create_user) -> User:
    """A safeguarding staff account."""
    return create_user(role=Role.SAFEGUARDING)


@pytest.fixture
def ask():
    """Ask a question as *author* and commit (screening runs after the commit)."""

    def do_ask(author: User, body: str = BODY, title: str = TITLE, topic: str = "school"):
        question = questions.ask(author, questions.QuestionDraft(title, body, topic))
        commit_unit_of_work()
        return question

    return do_ask


def open_item(content_type: str, content_id: int) -> QueueItem | None:
    """The open queue item for a piece of content, if any."""
    db.session.expire_all()
    return db.session.scalar(
        select(QueueItem).where(
            QueueItem.content_type == content_type,
            QueueItem.content_id == content_id,
            QueueItem.state == QueueState.OPEN,
        )
    )
