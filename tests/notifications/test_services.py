import pytest
from sqlalchemy import select

from community.extensions import db
from community.notifications import services
from community.notifications.models import Notification
from community.questions import services as questions
from moderation import api as moderation
from moderation import decisions
from moderation.models import QueueItem, QueueState

DRAFT = questions.QuestionDraft(
    "How do I say no to my best friend?",
    "She always wants to copy my homework and I feel bad saying no.",
    "family",
)


def _open_item():
    return db.session.scalar(select(QueueItem).where(QueueItem.state == QueueState.OPEN))


def test_a_moderation_decision_tells_the_author_without_any_post_text(app, youth, moderator):
    questions.ask(youth, DRAFT)
    moderation.approve(_open_item().id, moderator)
    questions.ask(youth, DRAFT)
    decisions.reject(_open_item().id, moderator, "identifying", "Leave out her name.")
    items = services.recent(youth)
    assert [i.message for i in items] == [
        "A moderator couldn't publish your post. See why and try again.",
        "A moderator approved your post. Everyone can see it now.",
    ]
    assert {i.detail for i in items} == {"Question"}
    assert all(i.url.endswith("/me/posts") and i.is_unread for i in items)
    for item in items:
        text = repr(item)
        assert DRAFT.title not in text and DRAFT.body not in text and "her name" not in text
    assert services.recent(moderator) == []  # nobody else is told


def test_a_rolled_back_decision_tells_nobody(app, youth, moderator):
    from community.core.database import commit_unit_of_work, rollback_unit_of_work

    questions.ask(youth, DRAFT)
    commit_unit_of_work()
    moderation.approve(_open_item().id, moderator)
    rollback_unit_of_work()
    assert services.unread_count(youth.id) == 0


def test_unread_count_and_marking_read(app, youth, other_youth):
    for n in range(3):
        services.notify(youth.id, "moderation.approved", "question", n + 1)
    services.notify(other_youth.id, "moderation.approved", "question", 9)
    db.session.flush()
    assert services.unread_count(youth.id) == 3
    first = services.recent(youth)[-1]
    assert services.open_one(first.id, youth).endswith("/me/posts")
    assert services.unread_count(youth.id) == 2
    services.open_one(first.id, youth)  # again: still read, no error
    assert services.mark_all_read(youth) == 2
    assert services.unread_count(youth.id) == 0
    assert services.unread_count(other_youth.id) == 1


def test_nobody_opens_someone_elses_notification(app, youth, other_youth):
    from community.core.errors import NotFound

    mine = services.notify(youth.id, "moderation.approved", "question", 1)
    db.session.flush()
    with pytest.raises(NotFound):
        services.open_one(mine.id, other_youth)
    with pytest.raises(NotFound):
        services.open_one(mine.id + 100, youth)
    assert db.session.get(Notification, mine.id).read_at is None


def test_unknown_kinds_fail_loudly(app, youth):
    with pytest.raises(KeyError):
        services.notify(youth.id, "no.such.kind", "question", 1)


def test_the_bell_stops_counting_at_its_cap(app, youth):
    for n in range(services.BELL_MAX + 5):
        services.notify(youth.id, "moderation.approved", "question", n)
    db.session.flush()
    assert services.unread_count(youth.id) == services.BELL_MAX + 1
