from sqlalchemy import select

from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions import services as questions
from moderation.models import AuditEntry, QueueItem

DRAFT = questions.QuestionDraft(
    "Can I ask my teacher for more time?",
    "I have three tests next week and I'm stressed. Can I ask?",
    "school",
)


def test_queue_refuses_visitors_and_youth(client, youth, login):
    assert client.get("/moderation/").status_code == 302
    login(youth)
    assert client.get("/moderation/").status_code == 403
    assert client.post("/moderation/items/1/approve").status_code == 403


def test_moderator_approves_from_the_queue(client, youth, moderator, login):
    question = questions.ask(youth, DRAFT)
    commit_unit_of_work()
    login(moderator)
    page = client.get("/moderation/")
    assert DRAFT.title in page.text
    item = db.session.scalar(select(QueueItem))
    response = client.post(f"/moderation/items/{item.id}/approve", follow_redirects=True)
    assert "Approved" in response.text
    assert client.get(f"/questions/{question.id}").status_code == 200
    again = client.post(f"/moderation/items/{item.id}/approve", follow_redirects=True)
    assert again.status_code == 200 and "already decided" in again.text
    decisions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("question.%"))
    ).all()
    assert decisions == ["question.approved"]


def test_reject_shows_the_reason_to_the_author(client, youth, moderator, login):
    questions.ask(youth, DRAFT)
    commit_unit_of_work()
    item = db.session.scalar(select(QueueItem))
    login(moderator)
    bad = client.post(f"/moderation/items/{item.id}/reject", data={f"r{item.id}-reason": "other"})
    assert bad.status_code == 422 and "Write a short note" in bad.text
    client.post(
        f"/moderation/items/{item.id}/reject",
        data={f"r{item.id}-reason": "identifying", f"r{item.id}-note": "No school names"},
    )
    client.post("/log-out")
    login(youth)
    page = client.get("/me/posts")
    assert "Not published" in page.text and "No school names" in page.text
    assert "Leave out names" in page.text
