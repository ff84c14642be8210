"""A coach request's deadline shows in local time, with the zone named, to both sides."""

from datetime import datetime

from sqlalchemy import update

from community.coaches import thread_requests
from community.coaches.models import CoachRequest
from community.core.database import commit_unit_of_work
from community.extensions import db

DEADLINE = datetime(2030, 7, 1, 22, 30)  # naive UTC, as stored: 00:30 next day in Oslo (CEST)


def test_both_sides_see_the_deadline_in_their_own_zone(
    client, youth, coach, ask, profile_of, login
):
    question = ask(youth)
    request = thread_requests.request_coach(youth, question.id, profile_of(coach).id)
    commit_unit_of_work()
    db.session.execute(
        update(CoachRequest).where(CoachRequest.id == request.id).values(expires_at=DEADLINE)
    )
    commit_unit_of_work()

    client.set_cookie("assist_country", "NO")
    login(youth)
    asker = client.get(f"/questions/{question.id}", headers={"Accept-Language": "nb"}).text
    assert "De har frist til 2. juli 2030, 00:30 (tidssone for Norge) med å svare." in asker
    client.post("/log-out")

    client.set_cookie("assist_country", "GB")
    login(coach)
    mine = client.get("/coaches/me/threads", headers={"Accept-Language": "en"}).text
    assert "answer before Jul 1, 2030, 11:30\u202fPM (United Kingdom Time)" in mine
