"""A person deletes a question of their own (issue 11, item 14): a confirmation page that
works without script, then a POST; gone for everyone but moderators, out of the queue,
audited, and wiped after the retention period."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from community.assists import services as assists
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.posts import ContentStatus
from community.extensions import db
from community.questions import services as questions
from community.questions.models import Question
from moderation.models import AuditEntry, Priority, QueueItem, QueueState
from tests.conftest import approve_open

ASSIST = "Write it down first, then say it slowly. It helped me with my mum."


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_the_author_is_asked_first_then_the_question_is_gone_for_everyone(
    client, published_question, youth, other_youth, moderator, login
):
    assist = assists.write(other_youth, published_question.id, ASSIST)
    commit_unit_of_work()
    approve_open(moderator)
    url = f"/questions/{published_question.id}"
    login(youth)
    assert "Delete your question" in client.get(url).text
    confirm = client.get(f"{url}/delete")
    assert confirm.status_code == 200
    assert "Delete your question?" in confirm.text and "Yes, delete my question" in confirm.text
    assert "moderators can still read it for 30 days" in confirm.text
    assert published_question.title in client.get("/me/posts").text

    done = client.post(f"{url}/delete", follow_redirects=True)
    assert done.status_code == 200 and "Your question is deleted." in done.text
    assert published_question.title not in done.text  # my posts no longer lists it
    assert client.get(url).status_code == 404  # not even its author sees it now
    assert client.get(f"{url}/delete").status_code == 404  # nor deletes it twice
    assert [(a.actor_id, a.object_id, a.reason) for a in _audit("question.deleted")] == [
        (youth.id, published_question.id, "published")
    ]
    client.post("/log-out")
    assert client.get(url).status_code == 404
    assert published_question.title not in client.get("/questions/").text
    assert published_question.title not in client.get("/").text
    login(other_youth)  # the assist went with the question: nobody can report or find it
    assert client.get(url).status_code == 404
    assert client.get(f"/report/assist/{assist.id}").status_code == 404
    assert ASSIST not in client.get("/me/posts").text


def test_moderators_still_read_what_was_deleted_until_it_is_purged(
    client, runner, published_question, youth, moderator, login
):
    title, questions_body = published_question.title, published_question.body_source
    login(youth)
    client.post(f"/questions/{published_question.id}/delete")
    client.post("/log-out")
    login(moderator)
    assert 'href="/deleted-posts"' in client.get("/moderation/").text  # found from the queue
    page = client.get("/deleted-posts")
    assert page.status_code == 200
    assert title in page.text and questions_body in page.text
    thread = client.get(f"/questions/{published_question.id}")
    assert thread.status_code == 200 and "Deleted by its author" in thread.text
    assert _audit("deleted_posts.viewed")

    # Inside the retention period nothing is wiped; after it, the text is.
    assert "Wiped 0 deleted question(s)" in runner.invoke(args=["posts", "purge-deleted"]).output
    db.session.execute(update(Question).values(deleted_at=utcnow() - timedelta(days=31)))
    commit_unit_of_work()
    result = runner.invoke(args=["posts", "purge-deleted"])
    assert "Wiped 1 deleted question(s)" in result.output
    db.session.expire_all()
    purged = db.session.get(Question, published_question.id)
    assert purged.title == purged.body_source == purged.body_html == ""
    assert purged.status is ContentStatus.DELETED
    page = client.get("/deleted-posts")
    assert title not in page.text and questions_body not in page.text
    assert "Wiped 0" in runner.invoke(args=["posts", "purge-deleted"]).output


def test_only_the_author_may_delete(client, published_question, other_youth, moderator, login):
    url = f"/questions/{published_question.id}/delete"
    assert client.get(url).status_code == 302  # visitors log in first
    for person in (other_youth, moderator):
        login(person)
        assert "Delete your question" not in client.get(f"/questions/{published_question.id}").text
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        client.post("/log-out")
    assert db.session.get(Question, published_question.id).status is ContentStatus.PUBLISHED
    assert client.get("/questions/999999/delete").status_code == 302


def test_readers_cannot_open_the_moderators_list(client, youth, login):
    login(youth)
    assert client.get("/deleted-posts").status_code == 403


def test_deleting_a_pending_question_takes_it_out_of_the_queue(client, youth, moderator, login):
    login(youth)
    client.post(
        "/questions/ask",
        data={
            "title": "How do I say no to a party?",
            "body": "My friends want me to come but I would rather stay home this time.",
            "topic": "family",
        },
    )
    question = db.session.scalar(select(Question))
    confirm = client.get(f"/questions/{question.id}/delete").text
    assert "A moderator won" in confirm
    client.post(f"/questions/{question.id}/delete")
    item = db.session.scalar(select(QueueItem))
    assert item.state is QueueState.WITHDRAWN
    client.post("/log-out")
    login(moderator)
    assert question.title not in client.get("/moderation/").text


def test_a_risk_item_stays_for_moderators_but_deciding_never_brings_the_post_back(
    app, youth, moderator
):
    from community.questions import deletion
    from moderation import api as moderation

    question = questions.ask(
        youth,
        questions.QuestionDraft(
            "Everything feels too heavy lately", "A long enough body for the question.", "feelings"
        ),
    )
    commit_unit_of_work()
    item = db.session.scalar(select(QueueItem))
    item.priority = Priority.RISK
    commit_unit_of_work()
    deletion.delete(question.id, youth)
    commit_unit_of_work()
    assert db.session.get(QueueItem, item.id).state is QueueState.OPEN
    moderation.approve(item.id, moderator)
    commit_unit_of_work()
    assert db.session.get(Question, question.id).status is ContentStatus.DELETED
