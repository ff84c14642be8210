"""Reporting a post twice (issue 11, item 8): the reader sees "you reported this" instead of
the link, per reader, without a query per post; the report page doesn't offer the form or
thank them again."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from community.assists import services as assists
from community.core.database import commit_unit_of_work
from community.extensions import db
from moderation.models import Flag
from tests.conftest import approve_open
from tests.test_query_counts import _statements_for

REPORTED = "You reported this. A moderator will look at it."


def _flags() -> int:
    return db.session.scalar(select(func.count()).select_from(Flag)) or 0


def test_a_reported_question_says_so_and_the_form_is_not_offered_again(
    client, published_question, other_youth, create_user, login
):
    url = f"/questions/{published_question.id}"
    report = f"/report/question/{published_question.id}"
    login(other_youth)
    assert "Report this question" in client.get(url).text
    first = client.post(report, data={"reason": "hurtful"}, follow_redirects=True)
    assert "Thank you for telling us." in first.text
    assert REPORTED in first.text and f'href="{report}"' not in first.text

    page = client.get(report)
    assert page.status_code == 200
    assert "You reported this already." in page.text
    assert "Send to a moderator" not in page.text and 'name="reason"' not in page.text
    again = client.post(report, data={"reason": "spam"}, follow_redirects=True)
    assert "You reported this already." in again.text
    assert "Thank you for telling us." not in again.text
    assert _flags() == 1

    client.post("/log-out")  # another reader still gets the link
    login(create_user())
    thread = client.get(url).text
    assert "Report this question" in thread and REPORTED not in thread


def test_only_the_reported_assist_says_so(
    client, published_question, other_youth, create_user, moderator, login
):
    helpers = [create_user(), create_user()]
    written = [
        assists.write(helper, published_question.id, f"Assist {n} that is long enough to count.")
        for n, helper in enumerate(helpers)
    ]
    commit_unit_of_work()
    approve_open(moderator)
    login(other_youth)
    client.post(f"/report/assist/{written[0].id}", data={"reason": "hurtful"})
    thread = client.get(f"/questions/{published_question.id}").text
    items = {
        m[1]: m[2]
        for m in re.finditer(r'<li class="assist[^"]*" id="a(\d+)">(.*?)</li>', thread, re.S)
    }
    assert REPORTED in items[str(written[0].id)]
    assert f"/report/assist/{written[0].id}" not in items[str(written[0].id)]
    assert REPORTED not in items[str(written[1].id)]
    assert f"/report/assist/{written[1].id}" in items[str(written[1].id)]


def test_the_thread_asks_the_same_number_of_queries_however_much_was_reported(
    app, client, published_question, other_youth, create_user, moderator, login
):
    helpers = [create_user() for _ in range(12)]
    written = [
        assists.write(helper, published_question.id, f"Assist {n} that is long enough to count.")
        for n, helper in enumerate(helpers)
    ]
    commit_unit_of_work()
    approve_open(moderator)
    login(other_youth)
    url = f"/questions/{published_question.id}"
    client.post(f"/report/assist/{written[0].id}", data={"reason": "hurtful"})
    one = _statements_for(client, url)
    for assist in written[1:4]:  # a new account reports at most 5 posts a day
        client.post(f"/report/assist/{assist.id}", data={"reason": "spam"})
    client.post(f"/report/question/{published_question.id}", data={"reason": "spam"})
    assert client.get(url).text.count(REPORTED) == 5
    assert _statements_for(client, url) == one
