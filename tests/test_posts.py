"""The moderated-post lifecycle (``community.core.posts.PostType``), apart from any feature."""

import pytest
from flask_babel import lazy_gettext as _l

from community.core.errors import NotAllowed, NotFound
from community.core.posts import ContentStatus, PostType
from community.questions.models import Question
from community.questions.topics import Topic


@pytest.fixture
def sent():
    """What the post type handed to its ``submit``: (content type, content id, author id)."""
    return []


@pytest.fixture
def posts(sent):
    """Questions as a post type whose ``submit`` only records what it was given."""
    return PostType("question", Question, _l("Question"), lambda *args: sent.append(args))


def _question(author_id: int) -> Question:
    question = Question(author_id=author_id, title="How do I start?", topic=Topic.SCHOOL)
    question.write_body("Some **text** that is long enough to be a question.")
    return question


def test_a_new_post_is_saved_pending_and_submitted(app, youth, posts, sent):
    question = posts.add(_question(youth.id), youth.id)
    assert question.id is not None
    assert question.status is ContentStatus.PENDING
    assert sent == [("question", question.id, youth.id)]


def test_a_new_post_can_be_sent_elsewhere(app, youth, posts, sent):
    approved = []
    question = posts.add(_question(youth.id), youth.id, send=lambda *args: approved.append(args))
    assert approved == [("question", question.id, youth.id)]
    assert sent == []


def test_only_the_author_finds_their_post_to_edit(app, youth, other_youth, posts):
    question = posts.add(_question(youth.id), youth.id)
    assert posts.own_editable(question.id, youth, "refused") is question
    for editor in (other_youth, None):
        with pytest.raises(NotFound):
            posts.own_editable(question.id, editor, "refused")
    with pytest.raises(NotFound):
        posts.own_editable(question.id + 1000, youth, "refused")


def test_a_published_post_is_refused_with_the_features_words(app, youth, posts):
    question = posts.add(_question(youth.id), youth.id)
    question.apply_status(ContentStatus.PUBLISHED)
    with pytest.raises(NotAllowed) as caught:
        posts.own_editable(question.id, youth, "A published question can't be changed.")
    assert str(caught.value.message) == "A published question can't be changed."


def test_an_edit_goes_back_to_the_queue(app, youth, posts, sent):
    question = posts.add(_question(youth.id), youth.id)
    question.apply_status(ContentStatus.REJECTED)
    question.write_body("A new version of the text, long enough to be a question.")
    posts.resubmit(question, youth.id)
    assert question.status is ContentStatus.PENDING
    assert sent == [("question", question.id, youth.id)] * 2


def test_a_decision_is_applied_by_id_and_an_unknown_id_is_not_found(app, youth, posts):
    question = posts.add(_question(youth.id), youth.id)
    applied = []
    apply_status = posts.status_applier(lambda row, status: applied.append((row, status)))
    apply_status(question.id, ContentStatus.PUBLISHED)
    assert applied == [(question, ContentStatus.PUBLISHED)]
    with pytest.raises(NotFound):
        apply_status(question.id + 1000, ContentStatus.PUBLISHED)


def test_a_redaction_changes_the_text_but_not_the_status(app, youth, posts):
    question = posts.add(_question(youth.id), youth.id)
    question.apply_status(ContentStatus.PUBLISHED)
    question.write_redaction("The text without the part that [removed] could show who I am.")
    assert question.status is ContentStatus.PUBLISHED
    assert "[removed]" in question.body_html
