"""A redaction the post's own rules refuse changes nothing, and no view has to undo it."""

from sqlalchemy import func, select

from community.extensions import db
from community.questions.models import BODY_MAX, BODY_MIN, Question
from moderation.models import AuditEntry, QueueItem, QueueState, Redaction
from tests.moderation.conftest import open_item

PHONE = "Can someone text me? My number is 20 30 40 50, I feel so alone."


def test_a_refused_redaction_leaves_the_item_open_and_the_post_as_it_was(
    client, youth, moderator, login, ask
):
    question = ask(youth, body=PHONE)
    item = open_item("question", question.id)
    login(moderator)
    refused = client.post(
        f"/moderation/items/{item.id}/redact",
        data={"x-title": question.title, "x-body": "Too short."},
    )
    assert refused.status_code == 422
    assert f"Write {BODY_MIN} to {BODY_MAX} characters." in refused.text
    assert "Decided: it was approved." not in refused.text  # the page shows it still open
    db.session.expire_all()
    assert db.session.get(QueueItem, item.id).state is QueueState.OPEN
    assert db.session.get(Question, question.id).body_source == PHONE
    assert db.session.scalar(select(func.count()).select_from(Redaction)) == 0
    assert not db.session.scalar(select(AuditEntry).where(AuditEntry.action.like("%redacted")))

    redacted = "Can someone text me? My number is [removed], I feel so alone."
    response = client.post(
        f"/moderation/items/{item.id}/redact",
        data={"x-title": question.title, "x-body": redacted},
    )
    assert response.status_code == 302
    db.session.expire_all()
    decided = db.session.get(QueueItem, item.id)
    assert decided.state is QueueState.APPROVED and decided.reason_code == "redacted"
    assert decided.decided_at >= db.session.get(Question, question.id).edited_at
