"""Flags: one per reader per post, a daily limit for new accounts, hiding after enough
established readers, back when a moderator keeps it; the flagger is only thanked."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from community.accounts.models import User
from community.assists import services as assists
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.errors import DomainError, NotAllowed, NotFound
from community.core.posts import ContentStatus
from community.extensions import db
from moderation import api as moderation
from moderation import decisions, flags, queue
from moderation.api import content_removed, decision_made
from moderation.models import Flag, Priority, QueueItem, QueueOrigin
from tests.conftest import approve_open
from tests.moderation.conftest import open_item


@pytest.fixture
def established(create_user, app):
    """Make readers whose accounts are older than a week."""

    def factory(count: int) -> list[User]:
        users = [create_user() for _ in range(count)]
        days = app.config["MODERATION_NEW_ACCOUNT_DAYS"] + 1
        db.session.execute(
            update(User)
            .where(User.id.in_([u.id for u in users]))
            .values(created_at=utcnow() - timedelta(days=days))
        )
        commit_unit_of_work()
        return users

    return factory


@pytest.fixture
def public_question(youth, moderator, ask):
    question = ask(youth, body="A published question that some readers will flag.")
    approve_open(moderator)
    return question


def _flag(user, question, reason="hurtful", note=""):
    result = flags.file_flag(user, "question", question.id, reason, note)
    commit_unit_of_work()
    return result


def test_a_flag_puts_a_published_post_in_the_queue_once_per_reader(
    app, public_question, established, moderator
):
    [reader] = established(1)
    assert _flag(reader, public_question).created
    assert not _flag(reader, public_question, "spam").created  # once per reader per post
    item = open_item("question", public_question.id)
    assert item.origin is QueueOrigin.FLAGS and item.priority == Priority.FLAGGED
    [entry] = queue.open_queue(moderator)
    assert [(f.reason.value, f.count) for f in entry.flags] == [("hurtful", 1)]
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 1


def test_flags_are_refused_where_they_make_no_sense(app, youth, other_youth, public_question, ask):
    with pytest.raises(NotAllowed):
        flags.file_flag(youth, "question", public_question.id, "spam")  # one's own
    with pytest.raises(NotAllowed):
        flags.file_flag(None, "question", public_question.id, "spam")
    pending = ask(youth, body="A question nobody else can see yet, so no flags.")
    with pytest.raises(NotFound):
        flags.file_flag(other_youth, "question", pending.id, "spam")
    with pytest.raises(NotFound):
        flags.file_flag(other_youth, "ring_report", 1, "spam")  # not a flaggable kind
    with pytest.raises(DomainError):
        flags.file_flag(other_youth, "question", public_question.id, "because")
    with pytest.raises(DomainError):
        flags.file_flag(other_youth, "question", public_question.id, "other", "  ")


def test_worried_goes_to_the_top_and_never_hides_the_post(app, public_question, established):
    readers = established(4)
    for reader in readers:
        _flag(reader, public_question, "worried")
    item = open_item("question", public_question.id)
    assert item.priority == Priority.RISK
    db.session.refresh(public_question)
    assert public_question.status is ContentStatus.PUBLISHED


def test_enough_established_readers_hide_a_post_until_a_moderator_keeps_it(
    app, client, public_question, established, create_user, moderator, login
):
    newcomers = [create_user() for _ in range(3)]
    for reader in newcomers:
        _flag(reader, public_question, "spam")
    db.session.refresh(public_question)
    assert public_question.status is ContentStatus.PUBLISHED  # new accounts can't hide posts
    readers = established(3)
    for reader in readers[:2]:
        _flag(reader, public_question, "hurtful")
    db.session.refresh(public_question)
    assert public_question.status is ContentStatus.PUBLISHED
    assert _flag(readers[2], public_question, "hurtful").hidden
    db.session.refresh(public_question)
    assert public_question.status is ContentStatus.HIDDEN
    assert client.get(f"/questions/{public_question.id}").status_code == 404
    item = open_item("question", public_question.id)
    seen = []
    with decision_made.connected_to(lambda sender, **kw: seen.append(kw)):
        moderation.approve(item.id, moderator)  # keep it
        commit_unit_of_work()
    db.session.refresh(public_question)
    assert public_question.status is ContentStatus.PUBLISHED
    assert client.get(f"/questions/{public_question.id}").status_code == 200
    assert seen == []  # keeping a flagged post is news to nobody
    assert db.session.scalar(select(func.count()).where(Flag.resolved_at.is_(None))) == 0


def test_taking_a_flagged_assist_down_tells_the_author_and_the_leaderboard(
    app, public_question, other_youth, established, moderator
):
    assist = assists.write(other_youth, public_question.id, "Just ignore them, it's all fake.")
    commit_unit_of_work()
    approve_open(moderator)
    [reader] = established(1)
    flags.file_flag(reader, "assist", assist.id, "hurtful")
    commit_unit_of_work()
    item = open_item("assist", assist.id)
    removed, decided = [], []
    with (
        content_removed.connected_to(lambda sender, **kw: removed.append(kw)),
        decision_made.connected_to(lambda sender, **kw: decided.append(kw)),
    ):
        decisions.reject(item.id, moderator, "hurtful")
        commit_unit_of_work()
    db.session.refresh(assist)
    assert assist.status is ContentStatus.REJECTED
    assert removed == [
        {
            "content_type": "assist",
            "content_id": assist.id,
            "author_id": other_youth.id,
            "queue_item_id": item.id,
        }
    ]
    assert decided[0]["decision"] == "rejected"


def test_new_accounts_have_a_daily_flag_limit(app, create_user, moderator, ask, youth):
    limit = app.config["MODERATION_NEW_ACCOUNT_FLAGS_PER_DAY"]
    questions = [
        ask(youth, body=f"Published question number {n} for flagging.") for n in range(limit + 1)
    ]
    approve_open(moderator)
    newcomer = create_user()
    for question in questions[:limit]:
        _flag(newcomer, question, "spam")
    with pytest.raises(DomainError, match="tomorrow"):
        _flag(newcomer, questions[limit], "spam")
    db.session.rollback()
    db.session.execute(update(Flag).values(created_at=utcnow() - timedelta(days=1, minutes=1)))
    commit_unit_of_work()
    assert _flag(newcomer, questions[limit], "spam").created


def test_flagging_through_the_page_thanks_and_tells_nothing_more(
    client, public_question, other_youth, login
):
    login(other_youth)
    page = client.get(f"/questions/{public_question.id}")
    assert f'href="/report/question/{public_question.id}"' in page.text
    form = client.get(f"/report/question/{public_question.id}")
    assert form.status_code == 200 and "worried about the person" in form.text
    bad = client.post(f"/report/question/{public_question.id}", data={"reason": "other"})
    assert bad.status_code == 422 and "what is wrong" in bad.text
    done = client.post(
        f"/report/question/{public_question.id}",
        data={"reason": "personal_info", "note": "Their school name is in it"},
        follow_redirects=True,
    )
    assert "Thank you for telling us" in done.text
    assert "Hidden" not in done.text and "removed" not in done.text
    item = db.session.scalar(select(QueueItem).where(QueueItem.origin == QueueOrigin.FLAGS))
    assert item.priority == Priority.IDENTIFYING


def test_no_report_link_on_ones_own_or_a_visitors_page(client, public_question, youth, login):
    assert "/report/" not in client.get(f"/questions/{public_question.id}").text
    login(youth)
    assert "/report/" not in client.get(f"/questions/{public_question.id}").text
    assert client.get(f"/report/question/{public_question.id}").status_code == 403
