import pytest

from community.core.errors import DomainError, NotAllowed, NotFound
from community.core.posts import ContentStatus
from community.questions import services
from tests.conftest import approve_open

DRAFT = services.QuestionDraft(
    "How do I make new friends at a new school?",
    "I moved this summer and I don't know anyone. How do people start talking?",
    "school",
)


def test_a_new_question_waits_for_moderation(app, youth):
    question = services.ask(youth, DRAFT)
    assert question.status is ContentStatus.PENDING
    assert services.list_published().items == []


def test_markdown_is_rendered_at_write_time_and_raw_html_is_not_kept(app, youth):
    question = services.ask(
        youth,
        services.QuestionDraft(
            "Is this **too** much html?",
            "Some **bold** and <script>alert(1)</script> and "
            "[a link](javascript:alert(1)) [ok](https://example.org)",
            "other",
        ),
    )
    assert "<strong>bold</strong>" in question.body_html
    assert "<script" not in question.body_html
    assert 'href="javascript' not in question.body_html  # shown as text, not a link
    assert 'href="https://example.org"' in question.body_html
    assert question.body_source.startswith("Some **bold**")


@pytest.mark.parametrize(
    ("field", "draft"),
    [
        ("title", services.QuestionDraft("short", DRAFT.body, "school")),
        ("title", services.QuestionDraft("x" * 151, DRAFT.body, "school")),
        ("body", services.QuestionDraft(DRAFT.title, "too short", "school")),
        ("body", services.QuestionDraft(DRAFT.title, "y" * 5001, "school")),
        ("topic", services.QuestionDraft(DRAFT.title, DRAFT.body, "astrology")),
    ],
)
def test_limits_name_the_field(app, youth, field, draft):
    with pytest.raises(DomainError) as caught:
        services.ask(youth, draft)
    assert caught.value.field == field


def test_pending_question_is_hidden_from_everyone_but_author_and_moderators(
    app, youth, other_youth, moderator
):
    question = services.ask(youth, DRAFT)
    assert services.get_visible(question.id, youth) is question
    assert services.get_visible(question.id, moderator) is question
    for viewer in (None, other_youth):
        with pytest.raises(NotFound):
            services.get_visible(question.id, viewer)


def test_only_the_author_edits_and_only_before_publication(app, youth, other_youth, moderator):
    question = services.ask(youth, DRAFT)
    with pytest.raises(NotFound):
        services.edit(question.id, other_youth, DRAFT)
    services.edit(
        question.id, youth, services.QuestionDraft(DRAFT.title, DRAFT.body + "!", "family")
    )
    approve_open(moderator)
    with pytest.raises(NotAllowed):
        services.edit(question.id, youth, DRAFT)


def test_list_pages_by_keyset_without_repeating(app, youth, moderator):
    for i in range(5):
        services.ask(
            youth,
            services.QuestionDraft(
                f"Question number {i} here?", DRAFT.body, "school" if i % 2 else "love"
            ),
        )
    approve_open(moderator)
    first = services.list_published(limit=2)
    second = services.list_published(limit=2, after=first.next_cursor)
    third = services.list_published(limit=2, after=second.next_cursor)
    seen = [q.id for q in first.items + second.items + third.items]
    assert len(seen) == len(set(seen)) == 5
    assert third.next_cursor is None
    assert seen == sorted(seen, reverse=True)
    assert {q.topic.value for q in services.list_published(topic="love").items} == {"love"}
    assert services.list_published(after="garbage~x").items  # odd cursors show page one
    assert len(services.list_published(unanswered=True).items) == 5
