from sqlalchemy import func, select

from community.coaches.lounge import services as lounge
from community.coaches.lounge.models import LoungeFlag, LoungePost
from community.extensions import db

TITLE = "How do you end a thread well?"
BODY = "I never know when to stop replying. What do you all do?"


def test_youth_and_visitors_are_kept_out(client, youth, login):
    assert client.get("/coaches/lounge/").status_code == 302
    login(youth)
    assert client.get("/coaches/lounge/").status_code == 403
    assert client.post("/coaches/lounge/", data={"title": TITLE, "body": BODY}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(LoungePost)) == 0


def test_coaches_start_topics_reply_and_report(client, coach, make_coach, login):
    login(coach)
    assert "Lounge" in client.get("/").text  # in the header for coaches
    bad = client.post("/coaches/lounge/", data={"title": "Hi", "body": BODY})
    assert bad.status_code == 422 and BODY in bad.text
    made = client.post(
        "/coaches/lounge/", data={"title": TITLE, "body": BODY}, follow_redirects=True
    )
    assert "Your topic is in the lounge." in made.text and TITLE in made.text
    assert "Report to a moderator" not in made.text  # not one's own post
    topic = db.session.scalar(select(LoungePost))
    client.post("/log-out")
    login(make_coach("Ali"))
    replied = client.post(
        f"/coaches/lounge/{topic.id}", data={"body": "I say goodbye kindly."}, follow_redirects=True
    )
    assert "Your reply is in the lounge." in replied.text and "by Sara" in replied.text
    reported = client.post(f"/coaches/lounge/posts/{topic.id}/report", follow_redirects=True)
    assert "Thanks. A moderator will look at this post." in reported.text
    assert "You reported this post." in reported.text
    twice = client.post(f"/coaches/lounge/posts/{topic.id}/report", follow_redirects=True)
    assert "You have reported this post already." in twice.text
    assert db.session.scalar(select(func.count()).select_from(LoungeFlag)) == 1


def test_moderators_read_the_lounge_and_see_reports_in_the_queue(
    client, coach, make_coach, moderator, login
):
    topic = lounge.start_topic(coach, TITLE, BODY)
    lounge.report(topic.id, make_coach("Ali"))
    from community.core.database import commit_unit_of_work

    commit_unit_of_work()
    login(moderator)
    assert TITLE in client.get("/coaches/lounge/").text
    queue = client.get("/moderation/")
    assert "Coach lounge post" in queue.text and TITLE in queue.text
    link = client.get(f"/coaches/lounge/posts/{topic.id}")
    assert link.location.endswith(f"/coaches/lounge/{topic.id}#p{topic.id}")
