import re

from sqlalchemy import select

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
