"""Each state of a post someone just sent (or tried to send) gets one clear message
(issue 11, item 11):

=============================  =====================================================
state                          what the person reads
=============================  =====================================================
sent, waiting                  "Thanks! A moderator will read it" and "only you and the
                               moderators can see this"
sent, held as identifying      only "we're keeping your post private", and what to change
not sent: the form has errors  only the error summary; nothing about moderators
crisis, sent                   the help panel: nobody else can see the post yet
crisis, not sent               the help panel: it was not sent and nothing was saved,
                               with the helplines; and the error summary
=============================  =====================================================
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.assists.models import Assist
from community.extensions import db
from community.questions.models import Question

THANKS = "Thanks! A moderator will read your question soon."
ONLY_YOU = "Only you and the moderators can see this for now."
PRIVATE = "We're keeping your post private for now"
CRISIS = "You don't have to go through this alone"
NOBODY_ELSE = "Nobody else can see your post until a moderator has read it."
NOT_SENT = "What you wrote was not sent, and nothing was saved."
SUMMARY = "Something needs fixing"
TITLE = "How do I tell my parents how I feel?"
CLEAN = "Everything at home is tense and I don't know how to start the talk with them."
IDENTIFYING = "Everything at home is tense. Text me on +45 20 30 40 50 and we can talk about it."
IN_CRISIS = "Everything at home is tense and some nights I want to die. I don't know what to do."


def _questions() -> int:
    return db.session.scalar(select(func.count()).select_from(Question)) or 0


@pytest.fixture
def asker(client, youth, login):
    """The client, logged in as a young person who asks."""
    login(youth)
    return client


def _ask(client, title: str, body: str):
    return client.post(
        "/questions/ask",
        data={"title": title, "body": body, "topic": "family"},
        follow_redirects=True,
    )


def test_sent_and_waiting(asker):
    page = _ask(asker, TITLE, CLEAN).text
    assert page.count(THANKS) == 1 and ONLY_YOU in page
    assert PRIVATE not in page and CRISIS not in page and SUMMARY not in page


def test_sent_but_held_for_identifying_information(asker):
    page = _ask(asker, TITLE, IDENTIFYING).text
    assert PRIVATE in page and "+45 20 30 40 50" in page
    assert THANKS not in page and CRISIS not in page
    assert _questions() == 1


def test_not_sent_because_of_errors(asker):
    response = _ask(asker, "Hi?", CLEAN)
    assert response.status_code == 422
    assert SUMMARY in response.text
    for other in (THANKS, ONLY_YOU, PRIVATE, CRISIS, NOT_SENT):
        assert other not in response.text
    assert _questions() == 0


def test_crisis_sent(asker):
    page = _ask(asker, TITLE, IN_CRISIS).text
    assert CRISIS in page and NOBODY_ELSE in page and 'href="tel:' in page
    assert THANKS not in page and NOT_SENT not in page
    assert _questions() == 1


def test_crisis_not_sent(asker):
    response = _ask(asker, "Hi?", IN_CRISIS)
    assert response.status_code == 422
    page = response.text
    assert CRISIS in page and NOT_SENT in page and 'href="tel:' in page
    assert "Nobody else can see your post" not in page
    assert SUMMARY in page and THANKS not in page
    assert "some nights I want to die" in page  # still in the form, nothing lost
    assert _questions() == 0


def test_no_assists_yet_is_not_said_above_your_own_waiting_assist(
    client, published_question, other_youth, login
):
    login(other_youth)
    page = client.post(
        f"/questions/{published_question.id}/assists",
        data={"body": "Start with one small thing you feel, then say the rest later."},
        follow_redirects=True,
    ).text
    assert db.session.scalar(select(Assist)) is not None
    assert "No assists yet." not in page
    assert "Waiting for a moderator" in page and ONLY_YOU in page
    assert page.count("Thanks for helping! A moderator will read your assist soon.") == 1
    client.post("/log-out")
    assert "No assists yet." in client.get(f"/questions/{published_question.id}").text
