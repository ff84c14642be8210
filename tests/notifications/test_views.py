import re

from sqlalchemy import func, select

from community.core.database import commit_unit_of_work
from community.extensions import db
from community.notifications import services
from community.notifications.models import Notification
from tests.test_query_counts import count_queries


def _notify(user, n=1, object_id=1):
    for _ in range(n):
        services.notify(user.id, "moderation.approved", "question", object_id)
    commit_unit_of_work()


def _bell(html: str) -> str:
    return re.search(r'<a href="/notifications/" class="bell">(.*?)</a>', html, re.S)[1]


def test_visitors_have_no_bell_and_no_list(client):
    assert 'class="bell"' not in client.get("/").text
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/log-in" in response.location


def test_the_bell_counts_unread_in_words(client, youth, login):
    login(youth)
    assert " new" not in _bell(client.get("/").text)
    _notify(youth, 2)
    assert "2 new" in _bell(client.get("/").text)
    _notify(youth, services.BELL_MAX)
    assert f"{services.BELL_MAX}+ new" in _bell(client.get("/questions/").text)


def test_opening_marks_read_and_follows_the_link(client, youth, login):
    _notify(youth)
    login(youth)
    page = client.get("/notifications/")
    assert "New</span>" in page.text and "Mark all as read" in page.text
    notification = db.session.scalar(select(Notification))
    assert client.get(f"/notifications/{notification.id}/open").status_code == 405
    response = client.post(f"/notifications/{notification.id}/open")
    assert response.status_code == 302 and response.location.endswith("/me/posts")
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is not None
    assert " new" not in _bell(client.get("/notifications/").text)


def test_mark_all_read(client, youth, login):
    _notify(youth, 3)
    login(youth)
    response = client.post("/notifications/read", follow_redirects=True)
    assert "All notifications are marked as read." in response.text
    assert services.unread_count(youth.id) == 0


def test_someone_elses_notification_is_404_and_stays_unread(client, youth, other_youth, login):
    _notify(youth)
    notification = db.session.scalar(select(Notification))
    login(other_youth)
    assert client.post(f"/notifications/{notification.id}/open").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is None
    assert "Nothing new" in client.get("/notifications/").text


def test_list_and_bell_use_a_constant_number_of_queries(client, youth, login):
    _notify(youth, 1)
    login(youth)
    client.get("/notifications/")
    with count_queries() as one:
        assert client.get("/notifications/").status_code == 200
    _notify(youth, 30, object_id=2)
    with count_queries() as thirty:
        assert client.get("/notifications/").status_code == 200
    assert len(one) == len(thirty)


def _thread_notices(recipient, kind, question_ids, per_thread=2):
    from community.notifications import activity

    for question_id in question_ids:
        for n in range(per_thread):
            services.notify(
                recipient.id, getattr(activity, kind), "assist", 1000 + n, thread_id=question_id
            )
    commit_unit_of_work()


def _ask_published(author, moderator, title):
    from community.questions import services as questions
    from tests.conftest import approve_open

    question = questions.ask(
        author,
        questions.QuestionDraft(title, "A long enough body for the question here.", "school"),
    )
    commit_unit_of_work()
    approve_open(moderator)
    return question


def test_the_page_groups_by_thread_and_shows_a_title_to_its_asker_only(
    client, youth, other_youth, moderator, login
):
    mine = _ask_published(youth, moderator, 'My <b>"exam"</b> & what to do about it')
    theirs = _ask_published(other_youth, moderator, "Their question about moving town")
    _thread_notices(youth, "NEW_ASSIST", [mine.id], per_thread=3)
    _thread_notices(youth, "FOLLOWED_ASSIST", [theirs.id], per_thread=2)
    login(youth)
    page = client.get("/notifications/").text
    assert "3 new assists on your question" in page
    assert "2 new assists on a question you follow" in page
    assert "Your question: My &lt;b&gt;&#34;exam&#34;&lt;/b&gt; &amp; what to do about it" in page
    assert "<b>" not in page.split("<main")[1]
    assert theirs.title not in page  # someone else's question: no title
    # Five notifications about assists on two lines, and the approval of their question.
    assert page.count('<li class="notification') == 3


def test_a_thread_that_left_view_takes_its_lines_along(client, youth, moderator, login):
    question = _ask_published(youth, moderator, "A question a moderator will take down")
    _thread_notices(youth, "NEW_ASSIST", [question.id])
    from community.core.posts import ContentStatus
    from community.questions.models import Question

    db.session.get(Question, question.id).status = ContentStatus.REJECTED  # hidden since
    commit_unit_of_work()
    login(youth)
    assert "new assists on your question" not in client.get("/notifications/").text


def test_many_threads_cost_the_same_queries_as_one(client, youth, moderator, login):
    questions = [
        _ask_published(youth, moderator, f"Question number {n} about school") for n in range(6)
    ]
    _thread_notices(youth, "NEW_ASSIST", [questions[0].id])
    _notify(youth, 1)
    login(youth)
    client.get("/notifications/")
    with count_queries() as one:
        assert client.get("/notifications/").status_code == 200
    _thread_notices(youth, "NEW_ASSIST", [q.id for q in questions[1:]], per_thread=4)
    _thread_notices(youth, "HELPED", [q.id for q in questions], per_thread=2)
    _notify(youth, 10, object_id=3)
    with count_queries() as many:
        page = client.get("/notifications/")
    assert page.status_code == 200 and "4 new assists on your question" in page.text
    assert len(one) == len(many)


def test_old_notifications_are_purged_by_the_cli(app, runner, youth):
    from datetime import timedelta

    from community.core.clock import utcnow

    _notify(youth, 3)
    old = services.notify(youth.id, "moderation.approved", "question", 7)
    old.created_at = utcnow() - timedelta(days=91)
    fresh = services.notify(youth.id, "moderation.approved", "question", 8)
    fresh.created_at = utcnow() - timedelta(days=89)
    commit_unit_of_work()
    old_id = old.id
    result = runner.invoke(args=["notifications", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 notification(s) older than 90 days." in result.output
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 4
    app.config["NOTIFICATIONS_KEEP_DAYS"] = 30
    assert "Deleted 1 notification(s)" in runner.invoke(args=["notifications", "purge"]).output
    assert db.session.get(Notification, old_id) is None


def test_counts_use_each_languages_plural_forms(client, youth, moderator, login):
    question = _ask_published(youth, moderator, "A question about my exams at school")
    _thread_notices(youth, "NEW_ASSIST", [question.id], per_thread=1)
    _thread_notices(youth, "HELPED", [question.id], per_thread=1)
    login(youth)
    danish = client.get("/notifications/", headers={"Accept-Language": "da"}).text
    assert "1 ny assist på dit spørgsmål" in danish
    assert "Dit spørgsmål: A question about my exams at school" in danish
    _thread_notices(youth, "NEW_ASSIST", [question.id], per_thread=2)
    norwegian = client.get("/notifications/", headers={"Accept-Language": "nb"}).text
    assert "3 nye assister på spørsmålet ditt" in norwegian
    assert "1 av assistene dine hjalp den som spurte. Den ga ingen poeng denne gangen." in norwegian
