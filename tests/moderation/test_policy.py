"""The moderation policy: "every post" (the default) or "new users only"; screening hits are
held under both."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.posts import ContentStatus
from community.extensions import db
from moderation import decisions, policy
from moderation.models import AuditEntry, QueueItem, QueueState
from tests.conftest import approve_open
from tests.moderation.conftest import open_item


@pytest.fixture
def trusted(app, create_user, moderator, ask, monkeypatch):
    """A young person with five posts a moderator approved (and a relaxed typing-speed
    check: the test writes far faster than anyone types)."""
    monkeypatch.setitem(app.config, "MODERATION_SPAM_CHARS_PER_SECOND", 1_000_000)
    user = create_user()
    for n in range(app.config["MODERATION_TRUST_APPROVED_POSTS"]):
        ask(user, body=f"This is my earlier question number {n}, about school and friends.")
        approve_open(moderator)
    assert policy.is_trusted(user.id)
    return user


def test_every_post_is_the_default_and_holds_everyone(app, trusted, ask):
    assert app.config["MODERATION_POLICY"] == policy.EVERY_POST
    question = ask(trusted, body="A new question from someone with a good record here.")
    assert question.status is ContentStatus.PENDING
    assert open_item("question", question.id) is not None


def test_new_users_only_publishes_a_trusted_authors_clean_post(app, trusted, ask, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_POLICY", policy.NEW_USERS_ONLY)
    question = ask(trusted, body="A new question from someone with a good record here.")
    db.session.refresh(question)
    assert question.status is ContentStatus.PUBLISHED
    item = db.session.scalar(
        select(QueueItem).where(QueueItem.content_id == question.id).order_by(QueueItem.id.desc())
    )
    assert item.state is QueueState.APPROVED and item.decided_by_id is None
    assert item.decided_at >= question.edited_at  # an approval on record, after the text
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.object_id == item.id))
    assert (audit.actor_id, audit.action, audit.reason) == (
        None,
        "question.auto_approved",
        "trusted_author",
    )


def test_new_users_only_still_holds_new_users(app, youth, ask, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_POLICY", policy.NEW_USERS_ONLY)
    monkeypatch.setitem(app.config, "MODERATION_SPAM_CHARS_PER_SECOND", 1_000_000)
    question = ask(youth, body="My first question here, about sleeping before exams.")
    assert question.status is ContentStatus.PENDING


@pytest.mark.parametrize(
    "body",
    [
        "Sometimes I think about suicide, is that normal when you are this stressed?",
        "You can add me on snap if you want to talk about it more, it is easier.",
    ],
)
def test_screening_hits_are_held_whatever_the_policy(app, trusted, ask, monkeypatch, body):
    monkeypatch.setitem(app.config, "MODERATION_POLICY", policy.NEW_USERS_ONLY)
    question = ask(trusted, body=body)
    db.session.refresh(question)
    assert question.status is ContentStatus.PENDING
    assert open_item("question", question.id).reasons


def test_a_recent_rejection_ends_trust_for_a_while(app, trusted, moderator, ask, monkeypatch):
    held = ask(trusted, body="A question a moderator will turn down for being unclear.")
    decisions.reject(open_item("question", held.id).id, moderator, "unclear")
    commit_unit_of_work()
    assert not policy.is_trusted(trusted.id)
    monkeypatch.setitem(app.config, "MODERATION_POLICY", policy.NEW_USERS_ONLY)
    question = ask(trusted, body="Another question, written more clearly this time.")
    assert question.status is ContentStatus.PENDING
    days = app.config["MODERATION_TRUST_CLEAN_DAYS"]
    db.session.execute(
        update(QueueItem)
        .where(QueueItem.state == QueueState.REJECTED)
        .values(decided_at=utcnow() - timedelta(days=days + 1))
    )
    commit_unit_of_work()
    assert policy.is_trusted(trusted.id)


def test_switching_the_policy_back_holds_again(app, trusted, ask, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_POLICY", policy.NEW_USERS_ONLY)
    assert ask(trusted, body="Published at once under the relaxed policy.").is_published
    monkeypatch.setitem(app.config, "MODERATION_POLICY", policy.EVERY_POST)
    assert not ask(trusted, body="Held again under the strict policy, as before.").is_published


def test_an_unknown_policy_refuses_to_start(make_app):
    with pytest.raises(RuntimeError, match="MODERATION_POLICY"):
        make_app(MODERATION_POLICY="nobody")
