"""Moderators close the loop on screening: "missed a risk here" / "this was not a risk" on an
item, counted on the dashboard per language (the author's, when they sent it) and week."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from community.accounts.models import Role
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.extensions import db
from moderation.models import AuditEntry, QueueItem, ScreeningMark, ScreeningVerdict
from tests.moderation.conftest import open_item

CALM = {
    "title": "How do I tell my friends I want to stay home?",
    "body": "They always go out on Fridays and I want a quiet night sometimes. Is that weird?",
    "topic": "family",
}
CRISIS = {
    "title": "Everything is too much for me now",
    "body": "I don't want to live anymore, it is all too much for me now.",
    "topic": "feelings",
}


def _ask_in(client, login, author, language: str, form: dict) -> QueueItem:
    """*author* sends a question with the interface in *language*; its queue item."""
    login(author)
    client.set_cookie("assist_lang", language, domain="localhost")
    assert client.post("/questions/ask", data=form).status_code == 302
    client.post("/log-out")
    client.delete_cookie("assist_lang", domain="localhost")
    db.session.expire_all()
    return db.session.scalars(select(QueueItem).order_by(QueueItem.id.desc())).first()


def _dashboard_row(client, week: str, language: str) -> tuple[int, int] | None:
    page = client.get("/moderation/dashboard")
    assert page.status_code == 200
    found = re.search(
        rf'<tr data-week="{week}" data-language="{language}">.*?<td>[^<]*</td>'
        r"<td>(\d+)</td><td>(\d+)</td></tr>",
        page.text,
    )
    return (int(found.group(1)), int(found.group(2))) if found else None


def _iso_week(moment) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def test_the_queue_item_keeps_the_language_the_author_wrote_in(client, youth, login):
    item = _ask_in(client, login, youth, "da", CALM)
    assert item.language == "da"
    assert (
        _ask_in(client, login, youth, "nb", {**CALM, "title": CALM["title"] + " Nå"}).language
        == "nb"
    )


def test_marks_count_on_the_dashboard_by_language_and_week(
    client, create_user, youth, moderator, login
):
    calm = _ask_in(client, login, youth, "da", CALM)
    crisis = _ask_in(client, login, youth, "nb", CRISIS)
    assert calm.screened_at is not None and not any(c.startswith("risk.") for c in calm.reasons)
    assert any(code.startswith("risk.") for code in crisis.reasons)
    # A Danish post from three weeks ago: it counts in its own week.
    older = _ask_in(client, login, youth, "da", {**CALM, "title": "Is it okay to skip a party?"})
    sent = utcnow() - timedelta(weeks=3)
    db.session.execute(update(QueueItem).where(QueueItem.id == older.id).values(submitted_at=sent))
    db.session.commit()

    login(moderator)
    this_week = _iso_week(utcnow())
    assert _dashboard_row(client, this_week, "da") is None
    page = client.get(f"/moderation/items/{calm.id}")
    assert "Screening missed a risk here" in page.text
    assert "This was not a risk" not in page.text
    for item, verdict in ((calm, "missed"), (crisis, "false_alarm"), (older, "missed")):
        response = client.post(f"/moderation/items/{item.id}/screening", data={"verdict": verdict})
        assert response.status_code == 302
    assert (
        "Marked: screening missed a risk here." in client.get(f"/moderation/items/{calm.id}").text
    )

    assert _dashboard_row(client, this_week, "da") == (1, 0)
    assert _dashboard_row(client, this_week, "nb") == (0, 1)
    assert _dashboard_row(client, _iso_week(sent), "da") == (1, 0)

    # One mark per item, the latest wins: another moderator's mark replaces it.
    other = create_user(role=Role.MODERATOR)
    client.post("/log-out")
    login(other)
    client.post(f"/moderation/items/{calm.id}/screening", data={"verdict": "missed"})
    assert _dashboard_row(client, this_week, "da") == (1, 0)
    mark = db.session.scalar(select(ScreeningMark).where(ScreeningMark.queue_item_id == calm.id))
    assert mark.marked_by_id == other.id and mark.verdict is ScreeningVerdict.MISSED
    # Taking it back takes it off the dashboard.
    client.post(f"/moderation/items/{calm.id}/screening", data={"verdict": "clear"})
    assert _dashboard_row(client, this_week, "da") is None


def test_a_mark_must_fit_what_screening_found(client, youth, moderator, login, ask):
    calm = open_item("question", ask(youth, body=CALM["body"]).id)
    login(moderator)
    response = client.post(
        f"/moderation/items/{calm.id}/screening", data={"verdict": "false_alarm"}
    )
    assert response.status_code == 302
    assert "doesn" in client.get(response.location).text  # "That mark doesn't fit …"
    assert db.session.scalar(select(ScreeningMark)) is None
    assert (
        client.post(
            f"/moderation/items/{calm.id}/screening", data={"verdict": "approved"}
        ).status_code
        == 400
    )


def test_only_moderators_mark(client, create_user, youth, moderator, login, ask):
    item = open_item("question", ask(youth, body=CALM["body"]).id)
    url = f"/moderation/items/{item.id}/screening"
    assert client.post(url, data={"verdict": "missed"}).status_code == 302  # to log in
    for person in (youth, create_user(), create_user(role=Role.COACH)):
        login(person)
        assert client.post(url, data={"verdict": "missed"}).status_code == 403
        client.post("/log-out")
    assert db.session.scalar(select(ScreeningMark)) is None
    login(moderator)
    assert (
        client.post("/moderation/items/999999/screening", data={"verdict": "missed"}).status_code
        == 404
    )


def test_marks_are_audited_and_keep_codes_never_text(client, youth, moderator, login, ask):
    question = ask(youth, title=CRISIS["title"], body=CRISIS["body"])
    item = open_item("question", question.id)
    login(moderator)
    client.post(f"/moderation/items/{item.id}/screening", data={"verdict": "false_alarm"})
    client.post(f"/moderation/items/{item.id}/screening", data={"verdict": "clear"})
    rows = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "queue_item", AuditEntry.object_id == item.id)
        .where(AuditEntry.action.like("queue_item.screening%"))
        .order_by(AuditEntry.id)
    ).all()
    assert [row.action for row in rows] == [
        "queue_item.screening_false_alarm",
        "queue_item.screening_mark_removed",
    ]
    assert all(row.actor_id == moderator.id for row in rows)
    assert all(row.reason == f"codes: {item.screening_reasons}" for row in rows)
    client.post(f"/moderation/items/{item.id}/screening", data={"verdict": "false_alarm"})
    mark = db.session.scalar(select(ScreeningMark))
    assert mark.codes == item.screening_reasons
    for value in (mark.codes or "", *(row.reason or "" for row in rows)):
        assert "live" not in value and CRISIS["title"] not in value


def test_the_author_cannot_mark_their_own_post(client, moderator, login, ask):
    item = open_item("question", ask(moderator, body=CALM["body"]).id)
    login(moderator)
    assert "Screening missed a risk here" not in client.get(f"/moderation/items/{item.id}").text
    response = client.post(f"/moderation/items/{item.id}/screening", data={"verdict": "missed"})
    assert response.status_code == 403
    commit_unit_of_work()
