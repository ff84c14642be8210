from sqlalchemy import select

from community.assists.models import Assist
from community.extensions import db
from tests.conftest import approve_open

BODY = "Write down what you want to say first. It helped me a lot with my mum."


def test_asker_sees_no_assist_form_and_cannot_post_one(client, published_question, youth, login):
    login(youth)
    page = client.get(f"/questions/{published_question.id}")
    assert "Write an assist" not in page.text
    response = client.post(f"/questions/{published_question.id}/assists", data={"body": BODY})
    assert response.status_code == 403
    assert db.session.scalar(select(Assist)) is None


def test_assist_errors_keep_the_text(client, published_question, other_youth, login):
    login(other_youth)
    response = client.post(f"/questions/{published_question.id}/assists", data={"body": "short"})
    assert response.status_code == 422
    assert "Use 10 to 5000 characters." in response.text and "\nshort</textarea>" in response.text


def test_pending_assist_is_404_to_others(client, published_question, other_youth, youth, login):
    login(other_youth)
    client.post(f"/questions/{published_question.id}/assists", data={"body": BODY})
    assist = db.session.scalar(select(Assist))
    assert "Waiting for a moderator" in client.get(f"/questions/{published_question.id}").text
    assert client.get(f"/assists/{assist.id}/edit").status_code == 200
    client.post("/log-out")
    assert BODY not in client.get(f"/questions/{published_question.id}").text
    login(youth)
    assert BODY not in client.get(f"/questions/{published_question.id}").text
    assert client.get(f"/assists/{assist.id}/edit").status_code == 404
    assert client.post(f"/assists/{assist.id}/helpful").status_code == 404


def test_asker_marks_helpful(client, published_question, youth, other_youth, moderator, login):
    login(other_youth)
    client.post(f"/questions/{published_question.id}/assists", data={"body": BODY})
    assist = db.session.scalar(select(Assist))
    approve_open(moderator)
    assert client.post(f"/assists/{assist.id}/helpful").status_code == 403  # the helper can't
    client.post("/log-out")
    login(youth)
    page = client.get(f"/questions/{published_question.id}")
    assert "This helped me" in page.text
    response = client.post(f"/assists/{assist.id}/helpful", follow_redirects=True)
    assert "This helped the asker" in response.text
    assert "This helped me</button>" not in response.text
