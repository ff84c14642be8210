"""Moderation tells features about decisions through a signal and never imports them."""

import ast
from pathlib import Path

from sqlalchemy import select

from community.core.posts import ContentStatus
from community.questions import services as questions
from moderation import api as moderation
from moderation import decisions
from moderation.api import decision_made
from moderation.models import AuditEntry, QueueItem, QueueState

DRAFT = questions.QuestionDraft(
    "What do I do when I feel lonely?",
    "Most evenings I'm alone and it feels heavy. Any ideas?",
    "feelings",
)


def _open_item():
    from community.extensions import db

    return db.session.scalar(select(QueueItem).where(QueueItem.state == QueueState.OPEN))


def test_approve_and_reject_send_decision_made(app, youth, moderator):
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    with decision_made.connected_to(receiver):
        question = questions.ask(youth, DRAFT)
        item = _open_item()
        moderation.approve(item.id, moderator)
        other = questions.ask(youth, DRAFT)
        second = _open_item()
        decisions.reject(second.id, moderator, "unclear")
    assert seen == [
        {
            "content_type": "question",
            "content_id": question.id,
            "author_id": youth.id,
            "decision": "approved",
            "queue_item_id": item.id,
        },
        {
            "content_type": "question",
            "content_id": other.id,
            "author_id": youth.id,
            "decision": "rejected",
            "queue_item_id": second.id,
        },
    ]


def test_automatic_approval_is_on_record_and_sends_no_signal(app, youth):
    from community.extensions import db

    seen = []
    with decision_made.connected_to(lambda sender, **kw: seen.append(kw)):
        question = questions.ask(youth, DRAFT)
        item = moderation.approve_automatically("question", question.id, youth.id, "trusted")
    assert question.status is ContentStatus.PUBLISHED and question.published_at
    assert item.state is QueueState.APPROVED and item.decided_by_id is None
    assert _open_item() is None  # the item the question waited in was superseded
    audit = db.session.scalar(select(AuditEntry))
    assert (audit.actor_id, audit.action, audit.reason) == (
        None,
        "question.auto_approved",
        "trusted",
    )
    assert seen == []


def test_moderation_never_imports_a_feature():
    root = Path(__file__).resolve().parents[2] / "moderation"
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
                assert not module.startswith(
                    ("community.questions", "community.assists", "community.coaches")
                ), f"{path.name} imports {module}"
                assert not module.startswith("community.notifications"), path.name
