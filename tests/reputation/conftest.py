"""Fixtures for reputation tests: published threads and assists, and the state of the boards."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.accounts.models import User
from community.assists import services as assists
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions import services as questions
from community.reputation.models import (
    BoardDayCount,
    BoardPointCount,
    BoardStanding,
    ReputationEvent,
)
from tests.conftest import approve_open


@pytest.fixture
def ask(moderator):
    """Make a published question by *asker* (on *topic*)."""

    def factory(asker, topic: str = "school", n: int = 0):
        question = questions.ask(
            asker,
            questions.QuestionDraft(
                f"How do I cope with exam stress? ({n})",
                "Exams start soon and I can't sleep. Any tips for me?",
                topic,
            ),
        )
        commit_unit_of_work()
        approve_open(moderator)
        return question

    return factory


@pytest.fixture
def assist_on(moderator):
    """Make a published assist by *helper* on *question*, marked helpful if asked to."""

    def factory(helper, question, helpful: bool = False):
        assist = assists.write(
            helper, question.id, f"Talking to the school nurse helped me a lot. ({helper.id})"
        )
        commit_unit_of_work()
        approve_open(moderator)
        if helpful:
            assists.mark_helpful(assist.id, db.session.get(User, question.author_id))
            commit_unit_of_work()
        return assist

    return factory


def board_rows() -> set[tuple]:
    """Every row of every board and the points histogram, as plain values (to compare two
    ways of building them)."""
    db.session.expire_all()
    rows = {
        (r.board, r.user_id, r.points, r.order_key, r.listed)
        for r in db.session.scalars(select(BoardStanding))
        if r.points
    }
    histogram = {
        ("histogram", c.board, c.points, c.people)
        for c in db.session.scalars(select(BoardPointCount))
        if c.people
    }
    days = {
        ("days", c.board, c.points, c.day, c.people)
        for c in db.session.scalars(select(BoardDayCount))
        if c.people
    }
    return rows | histogram | days


def ledger_rows() -> list[tuple]:
    db.session.expire_all()
    return [
        (e.id, e.key, e.user_id, e.kind, e.points, e.withheld, e.counted_at, e.created_at)
        for e in db.session.scalars(select(ReputationEvent).order_by(ReputationEvent.id))
    ]
