"""The coach lounge: only coaches and moderators, posts appear at once, reports go to the queue."""

import pytest
from sqlalchemy import func, select

from community.accounts.models import AgeBand
from community.coaches.lounge import services as lounge
from community.coaches.lounge.models import LoungeFlag, LoungePost
from community.core.database import commit_unit_of_work
from community.core.errors import DomainError, NotAllowed, NotFound
from community.extensions import db
from community.notifications import services as notifications
from moderation import api as moderation
from moderation import decisions, queue
from moderation.models import QueueItem, QueueState

TITLE = "How do you end a thread well?"
BODY = "I never know when to stop replying. What do you all do?"


def _open_items():
    return db.session.scalars(select(QueueItem).where(QueueItem.state == QueueState.OPEN)).all()


def test_only_coaches_and_moderators_get_in(app, coach, moderator, youth, create_user):
    lounge.start_topic(coach, TITLE, BODY)
    assert lounge.topics(moderator)[0][0].title == TITLE
    for someone in (youth, create_user(age_band=AgeBand.AGE_18_25.value), None):
        with pytest.raises(NotAllowed):
            lounge.topics(someone)
        with pytest.raises(NotAllowed):
            lounge.start_topic(someone, TITLE, BODY)


def test_posts_appear_at_once_without_the_queue(app, coach, make_coach, moderator):
    topic = lounge.start_topic(coach, TITLE, BODY)
    ali = make_coach("Ali")
    reply = lounge.reply(ali, topic.id, "I say goodbye and wish them luck.")
    lounge.reply(moderator, topic.id, "Moderators read along here too.")
    commit_unit_of_work()
    assert topic.is_published and reply.is_published and _open_items() == []
    page = lounge.topic_page(topic.id, coach)
    assert [r.id for r in page.replies][0] == reply.id
    assert page.names[ali.id] == "Ali" and page.names[coach.id] == "Sara"  # display names
    assert page.names[moderator.id] == moderator.pseudonym
    db.session.expire_all()
    assert db.session.get(LoungePost, topic.id).reply_count == 2


def test_bad_posts_are_refused(app, coach):
    with pytest.raises(DomainError) as refused:
        lounge.start_topic(coach, "Hi", BODY)
    assert refused.value.field == "title"
    topic = lounge.start_topic(coach, TITLE, BODY)
    with pytest.raises(DomainError):
        lounge.reply(coach, topic.id, " ")
    with pytest.raises(NotFound):
        lounge.reply(coach, 10_000, BODY)


def test_a_report_puts_the_post_in_the_queue_once(app, coach, make_coach, moderator):
    topic = lounge.start_topic(coach, TITLE, BODY)
    ali, nina = make_coach("Ali"), make_coach("Nina")
    with pytest.raises(NotAllowed):
        lounge.report(topic.id, coach)  # not one's own
    assert lounge.report(topic.id, ali) is True
    assert lounge.report(topic.id, ali) is False  # once per person
    assert lounge.report(topic.id, nina) is True  # joins the same open item
    [item] = _open_items()
    assert (item.content_type, item.content_id, item.author_id) == (
        "lounge_post",
        topic.id,
        coach.id,
    )
    assert db.session.scalar(select(func.count()).select_from(LoungeFlag)) == 2
    [entry] = queue.open_queue(moderator)
    assert entry.preview.title == TITLE and entry.kind_label == "Coach lounge post"


def test_a_kept_post_stays_and_its_author_hears_nothing(app, coach, make_coach, moderator):
    topic = lounge.start_topic(coach, TITLE, BODY)
    lounge.report(topic.id, make_coach("Ali"))
    before = len(notifications.recent(coach))
    moderation.approve(_open_items()[0].id, moderator)
    assert topic.is_published and len(notifications.recent(coach)) == before


def test_a_rejected_post_is_hidden_from_all_but_its_author(app, coach, make_coach, moderator):
    topic = lounge.start_topic(coach, TITLE, BODY)
    ali = make_coach("Ali")
    reply = lounge.reply(ali, topic.id, "Something unkind about a young person.")
    lounge.report(reply.id, coach)
    decisions.reject(_open_items()[0].id, moderator, "hurtful")
    commit_unit_of_work()
    assert lounge.topic_page(topic.id, coach).replies == []
    assert [r.id for r in lounge.topic_page(topic.id, ali).replies] == [reply.id]
    assert db.session.get(LoungePost, topic.id).reply_count == 0
    told = notifications.recent(ali)[0]
    assert told.url.endswith(f"/coaches/lounge/posts/{reply.id}") and "unkind" not in repr(told)
    with pytest.raises(NotFound):
        lounge.report(reply.id, coach)  # hidden: nothing left to report
