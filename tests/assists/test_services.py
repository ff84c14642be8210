import pytest
from sqlalchemy import select

from community.assists import services
from community.core.errors import NotAllowed, NotFound
from community.core.posts import ContentStatus
from community.extensions import db
from community.questions import services as questions
from community.reputation.models import ReputationEvent
from tests.conftest import approve_open

BODY = "Try talking to him when he's calm, maybe on a walk. It's easier side by side."


def test_anyone_but_the_asker_can_assist(app, published_question, youth, other_youth):
    assist = services.write(other_youth, published_question.id, BODY)
    assert assist.status is ContentStatus.PENDING
    with pytest.raises(NotAllowed, match="own question"):
        services.write(youth, published_question.id, BODY)


def test_no_assists_on_unpublished_questions(app, youth, other_youth):
    pending = questions.ask(
        youth,
        questions.QuestionDraft(
            "Is it okay to skip a party?", "I don't feel like going. Is that okay to say?", "family"
        ),
    )
    with pytest.raises(NotFound):
        services.write(other_youth, pending.id, BODY)


def test_publication_counts_toward_answered(app, published_question, other_youth, moderator):
    services.write(other_youth, published_question.id, BODY)
    approve_open(moderator)
    assert published_question.published_assist_count == 1
    assert questions.list_published(unanswered=True).items == []


def test_only_the_asker_marks_helpful_and_only_published_assists(
    app, published_question, youth, other_youth, moderator, create_user
):
    assist = services.write(other_youth, published_question.id, BODY)
    with pytest.raises(NotFound):  # still pending
        services.mark_helpful(assist.id, youth)
    approve_open(moderator)
    bystander = create_user()
    for someone in (other_youth, bystander, moderator):
        with pytest.raises(NotAllowed):
            services.mark_helpful(assist.id, someone)
    services.mark_helpful(assist.id, youth)
    services.mark_helpful(assist.id, youth)  # twice is harmless
    assert assist.helpful_at is not None


def test_thread_shows_published_assists_and_only_my_own_pending(
    app, published_question, other_youth, create_user, moderator
):
    third = create_user()
    mine = services.write(other_youth, published_question.id, BODY)
    theirs = services.write(third, published_question.id, BODY + " Also this.")
    assert services.for_thread(published_question.id, other_youth) == [mine]
    assert services.for_thread(published_question.id, None) == []
    approve_open(moderator)
    assert {a.id for a in services.for_thread(published_question.id, None)} == {mine.id, theirs.id}


def test_approval_and_helpful_mark_reach_the_ledger_through_jobs(
    app, published_question, youth, other_youth, moderator
):
    assist = services.write(other_youth, published_question.id, BODY)
    approve_open(moderator)
    services.mark_helpful(assist.id, youth)
    from community.core.database import commit_unit_of_work

    commit_unit_of_work()
    kinds = db.session.scalars(select(ReputationEvent.kind)).all()
    assert sorted(k.value for k in kinds) == ["assist_helpful", "assist_published"]
