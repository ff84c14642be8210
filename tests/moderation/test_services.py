import pytest
from sqlalchemy import select

from community.core.errors import Conflict, DomainError, NotAllowed
from community.core.posts import ContentStatus
from community.extensions import db
from community.questions import services as questions
from moderation import api as moderation
from moderation import decisions, queue
from moderation.models import AuditEntry, QueueItem, QueueState

DRAFT = questions.QuestionDraft(
    "What do I do when I feel lonely?",
    "Most evenings I'm alone and it feels heavy. Any ideas?",
    "feelings",
)


def _open_item():
    return db.session.scalar(select(QueueItem).where(QueueItem.state == QueueState.OPEN))


def test_queue_is_oldest_first_and_only_for_moderators(app, youth, other_youth, moderator):
    first = questions.ask(youth, DRAFT)
    second = questions.ask(other_youth, DRAFT)
    entries = queue.open_queue(moderator)
    assert [e.item.content_id for e in entries] == [first.id, second.id]
    assert entries[0].preview.title == DRAFT.title
    with pytest.raises(NotAllowed):
        queue.open_queue(youth)
    with pytest.raises(NotAllowed):
        moderation.approve(entries[0].item.id, youth)


def test_approve_publishes_and_writes_an_audit_row(app, youth, moderator):
    question = questions.ask(youth, DRAFT)
    item = _open_item()
    moderation.approve(item.id, moderator)
    assert question.status is ContentStatus.PUBLISHED and question.published_at
    audit = db.session.scalar(select(AuditEntry))
    assert (audit.actor_id, audit.action, audit.object_type, audit.object_id) == (
        moderator.id,
        "question.approved",
        "queue_item",
        item.id,
    )
    assert audit.created_at is not None


def test_reject_needs_a_known_reason_and_a_note_for_other(app, youth, moderator):
    questions.ask(youth, DRAFT)
    item = _open_item()
    with pytest.raises(DomainError):
        decisions.reject(item.id, moderator, "because")
    with pytest.raises(DomainError):
        decisions.reject(item.id, moderator, "other", "   ")
    decisions.reject(item.id, moderator, "identifying", "Leave out the school name.")
    decided = moderation.latest_decisions("question", [item.content_id])[item.content_id]
    assert decided.reason_code == "identifying" and decided.reason_text
    assert db.session.scalar(select(AuditEntry.reason)) == "identifying"


def test_a_decided_item_cannot_be_decided_again(app, youth, moderator, create_user):
    from community.accounts.models import Role

    questions.ask(youth, DRAFT)
    item = _open_item()
    decisions.reject(item.id, moderator, "unclear")
    second = create_user(role=Role.MODERATOR)
    with pytest.raises(Conflict):
        moderation.approve(item.id, second)
    with pytest.raises(Conflict):
        decisions.reject(item.id, second, "spam")
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == 1


def test_editing_supersedes_the_open_item(app, youth, moderator):
    question = questions.ask(youth, DRAFT)
    old = _open_item()
    questions.edit(question.id, youth, DRAFT)
    with pytest.raises(Conflict, match="changed"):
        moderation.approve(old.id, moderator)
    assert len(queue.open_queue(moderator)) == 1


def test_rejected_post_can_be_edited_and_resubmitted(app, youth, moderator):
    question = questions.ask(youth, DRAFT)
    decisions.reject(_open_item().id, moderator, "hurtful")
    assert question.status is ContentStatus.REJECTED
    questions.edit(question.id, youth, DRAFT)
    assert question.status is ContentStatus.PENDING
    moderation.approve(_open_item().id, moderator)
    assert question.status is ContentStatus.PUBLISHED
