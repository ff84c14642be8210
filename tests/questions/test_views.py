from sqlalchemy import select

from community.extensions import db
from community.questions.models import Question
from tests.conftest import approve_open

FORM = {
    "title": "How do I say no to a party?",
    "body": "My friends want me to come but I don't feel like it. How do I say no nicely?",
    "topic": "family",
}


def test_ask_needs_an_account(client):
    response = client.get("/questions/ask")
    assert response.status_code == 302 and "/log-in" in response.location


def test_ask_then_wait_for_a_moderator(client, youth, login):
    login(youth)
    response = client.post("/questions/ask", data=FORM, follow_redirects=True)
    assert response.status_code == 200
    assert "Waiting for a moderator" in response.text
    assert FORM["title"] in client.get("/me/posts").text
    client.post("/log-out")
    assert FORM["title"] not in client.get("/questions/").text
    question = db.session.scalar(select(Question))
    assert client.get(f"/questions/{question.id}").status_code == 404


def test_validation_error_keeps_everything_typed(client, youth, login):
    login(youth)
    response = client.post("/questions/ask", data={**FORM, "title": "Hi?"})
    assert response.status_code == 422
    assert "Use 10 to 150 characters." in response.text
    assert "How do I say no nicely?" in response.text
    assert 'value="family" checked' in response.text or "checked" in response.text
    assert db.session.scalar(select(Question)) is None


def test_published_question_is_public(client, youth, moderator, login):
    login(youth)
    client.post("/questions/ask", data=FORM)
    approve_open(moderator)
    client.post("/log-out")
    assert FORM["title"] in client.get("/questions/").text
    assert FORM["title"] in client.get("/questions/?topic=family").text
    assert FORM["title"] not in client.get("/questions/?topic=love").text
    assert FORM["title"] in client.get("/questions/?filter=unanswered").text
    assert FORM["title"] in client.get("/").text


def test_edit_is_only_for_the_author_before_publication(
    client, youth, other_youth, moderator, login
):
    login(youth)
    client.post("/questions/ask", data=FORM)
    question = db.session.scalar(select(Question))
    assert client.get(f"/questions/{question.id}/edit").status_code == 200
    client.post("/log-out")
    login(other_youth)
    assert client.get(f"/questions/{question.id}/edit").status_code == 404
    client.post("/log-out")
    approve_open(moderator)
    login(youth)
    assert client.get(f"/questions/{question.id}/edit").status_code == 403


def test_unknown_topic_and_cursor_do_not_break_the_list(client):
    assert client.get("/questions/?topic=%00&after=%ff~x&filter=zzz").status_code == 200
