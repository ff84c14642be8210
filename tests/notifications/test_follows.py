"""Following a question from its page: POST forms that work without JavaScript."""

import re

from sqlalchemy import func, select

from community.core.database import commit_unit_of_work
from community.extensions import db
from community.notifications import activity
from community.notifications.models import Notification, QuestionFollow
from community.questions import services as questions
from tests.test_query_counts import count_queries

FOLLOW = "Follow this question"
UNFOLLOW = "Stop following"


def _follows():
    return db.session.scalar(select(func.count()).select_from(QuestionFollow))


def test_a_young_person_follows_and_unfollows_from_the_thread(
    client, other_youth, published_question, login
):
    login(other_youth)
    url = f"/questions/{published_question.id}"
    page = client.get(url).text
    assert FOLLOW in page and UNFOLLOW not in page
    assert f'action="/notifications/follow/{published_question.id}"' in page
    response = client.post(f"/notifications/follow/{published_question.id}", follow_redirects=True)
    assert response.status_code == 200
    assert "You follow this question now. We&#39;ll tell you about new assists." in response.text
    assert UNFOLLOW in response.text and _follows() == 1
    client.post(f"/notifications/follow/{published_question.id}")  # twice: still one
    assert _follows() == 1
    response = client.post(
        f"/notifications/unfollow/{published_question.id}", follow_redirects=True
    )
    assert "You don&#39;t follow this question any more." in response.text
    assert FOLLOW in response.text and _follows() == 0


def test_the_asker_follows_their_own_question_already(client, youth, published_question, login):
    login(youth)
    page = client.get(f"/questions/{published_question.id}").text
    assert "You'll get a notification when someone answers your question." in page
    assert FOLLOW not in page
    assert client.post(f"/notifications/follow/{published_question.id}").status_code == 302
    assert _follows() == 0  # nothing to store: askers hear as askers


def test_visitors_and_staff_get_no_button(client, moderator, published_question, login):
    url = f"/questions/{published_question.id}"
    assert FOLLOW not in client.get(url).text
    response = client.post(f"/notifications/follow/{published_question.id}")
    assert response.status_code == 302 and "/log-in" in response.location
    login(moderator)
    assert FOLLOW not in client.get(url).text
    assert client.post(f"/notifications/follow/{published_question.id}").status_code == 403
    assert _follows() == 0


def test_unpublished_hidden_and_unknown_questions_cant_be_followed(
    client, youth, other_youth, moderator, login
):
    pending = questions.ask(
        youth,
        questions.QuestionDraft(
            "Can I skip the school trip?", "I really don't want to go on the trip.", "school"
        ),
    )
    commit_unit_of_work()
    login(other_youth)
    for question_id in (pending.id, 987654, 2**63, 2**64 + 5):
        assert client.post(f"/notifications/follow/{question_id}").status_code == 404
        assert client.post(f"/notifications/unfollow/{question_id}").status_code == 404
    assert _follows() == 0


def test_following_is_post_only(client, other_youth, published_question, login):
    login(other_youth)
    assert client.get(f"/notifications/follow/{published_question.id}").status_code == 405


def _follow_section(page: str) -> str:
    section = page.split('id="follow"')[1].split("</section>")[0]
    return re.sub(r'name="csrf_token" value="[^"]*"', "", section)


def test_the_page_shows_nothing_about_other_followers(
    client, create_user, other_youth, published_question, login
):
    login(other_youth)
    url = f"/questions/{published_question.id}"
    alone = _follow_section(client.get(url).text)
    client.post("/log-out")
    for _ in range(3):
        login(create_user())
        client.post(f"/notifications/follow/{published_question.id}")
        client.post("/log-out")
    login(other_youth)
    page = client.get(url).text
    assert _follow_section(page) == alone
    assert "follower" not in page.lower()


def test_a_follower_is_told_through_the_page(
    client, create_user, other_youth, published_question, publish_assist, login
):
    login(other_youth)
    client.post(f"/notifications/follow/{published_question.id}")
    publish_assist(create_user(), published_question.id)
    publish_assist(create_user(), published_question.id)
    page = client.get("/notifications/").text
    assert "2 new assists on a question you follow" in page
    assert published_question.title not in page  # the title is only the asker's to see
    row = db.session.scalar(select(Notification).where(Notification.recipient_id == other_youth.id))
    assert row.kind == activity.FOLLOWED_ASSIST


def test_the_thread_page_costs_the_same_for_followers(
    client, create_user, other_youth, published_question, publish_assist, login
):
    login(other_youth)
    url = f"/questions/{published_question.id}"
    publish_assist(create_user(), published_question.id)  # a thread with assists, as after
    client.get(url)
    with count_queries() as before:
        client.get(url)
    client.post(f"/notifications/follow/{published_question.id}")
    for _ in range(4):
        publish_assist(create_user(), published_question.id)
    client.get(url)
    with count_queries() as after:
        assert "Stop following" in client.get(url).text
    assert len(before) == len(after)
