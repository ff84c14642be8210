"""A person deletes an assist of their own (issue 11, item 14): gone from the thread, out of
the queue, its question's count and its points taken back (compensating events), audited."""

from __future__ import annotations

from sqlalchemy import select

from community.assists.models import Assist
from community.core.posts import ContentStatus
from community.extensions import db
from community.questions.models import Question
from community.reputation import standings
from community.reputation.models import ReputationEvent
from community.reputation.rules import EventKind
from moderation.models import AuditEntry, QueueItem, QueueState
from tests.conftest import approve_open

BODY = "Write down what you want to say first. It helped me a lot with my mum."


def _published_helpful_assist(client, question, helper, asker, moderator, login) -> Assist:
    login(helper)
    client.post(f"/questions/{question.id}/assists", data={"body": BODY})
    approve_open(moderator)
    client.post("/log-out")
    login(asker)
    assist = db.session.scalar(select(Assist))
    client.post(f"/assists/{assist.id}/helpful")
    client.post("/log-out")
    return assist


def test_deleting_a_helpful_assist_takes_back_its_points_and_leaves_the_thread(
    client, published_question, youth, other_youth, moderator, login
):
    assist = _published_helpful_assist(
        client, published_question, other_youth, youth, moderator, login
    )
    assert standings.points_of(other_youth.id) == 12
    login(other_youth)
    thread = client.get(f"/questions/{published_question.id}").text
    assert "Delete your assist" in thread
    confirm = client.get(f"/assists/{assist.id}/delete")
    assert confirm.status_code == 200
    assert "The points it earned you are taken back." in confirm.text
    done = client.post(f"/assists/{assist.id}/delete", follow_redirects=True)
    assert "Your assist is deleted." in done.text
    assert BODY not in done.text and "No assists yet." in done.text
    assert standings.points_of(other_youth.id) == 0
    kinds = db.session.scalars(
        select(ReputationEvent.kind).where(ReputationEvent.user_id == other_youth.id)
    ).all()
    assert kinds.count(EventKind.ASSIST_REMOVED) == 2  # compensating events, nothing edited
    assert db.session.get(Question, published_question.id).published_assist_count == 0
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "assist.deleted"))
    assert (audit.actor_id, audit.object_id, audit.reason) == (
        other_youth.id,
        assist.id,
        "published",
    )
    assert BODY not in client.get("/me/posts").text
    assert client.get(f"/assists/{assist.id}/delete").status_code == 404
    client.post("/log-out")
    login(youth)
    assert BODY not in client.get(f"/questions/{published_question.id}").text
    client.post("/log-out")
    login(moderator)
    assert BODY in client.get("/deleted-posts").text


def test_deleting_a_pending_assist_withdraws_it(
    client, published_question, other_youth, moderator, login
):
    login(other_youth)
    client.post(f"/questions/{published_question.id}/assists", data={"body": BODY})
    assist = db.session.scalar(select(Assist))
    confirm = client.get(f"/assists/{assist.id}/delete").text
    assert "A moderator won" in confirm and "points" not in confirm
    client.post(f"/assists/{assist.id}/delete")
    item = db.session.scalar(select(QueueItem).where(QueueItem.content_type == "assist"))
    assert item.state is QueueState.WITHDRAWN
    assert db.session.get(Assist, assist.id).status is ContentStatus.DELETED
    assert standings.points_of(other_youth.id) == 0


def test_only_the_author_may_delete_an_assist(
    client, published_question, youth, other_youth, moderator, login
):
    login(other_youth)
    client.post(f"/questions/{published_question.id}/assists", data={"body": BODY})
    approve_open(moderator)
    assist = db.session.scalar(select(Assist))
    client.post("/log-out")
    for person in (youth, moderator):
        login(person)
        assert "Delete your assist" not in client.get(f"/questions/{published_question.id}").text
        assert client.get(f"/assists/{assist.id}/delete").status_code == 404
        assert client.post(f"/assists/{assist.id}/delete").status_code == 404
        client.post("/log-out")
    assert db.session.get(Assist, assist.id).status is ContentStatus.PUBLISHED
