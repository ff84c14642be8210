"""Pages issue a constant number of SQL statements, whatever the number of rows."""

from contextlib import contextmanager

from sqlalchemy import event

from community.assists import services as assists
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions import services as questions
from tests.conftest import approve_open


@contextmanager
def count_queries():
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _ask(author, n):
    return questions.ask(
        author,
        questions.QuestionDraft(
            f"Question {n}: how do I handle this?",
            "A long enough body for the question here.",
            "school",
        ),
    )


def _statements_for(client, url):
    client.get(url)  # warm caches so both counts measure the same work
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_question_list_is_constant(app, client, create_user, moderator, login):
    authors = [create_user() for _ in range(20)]
    reader = create_user()  # not an author: the identity map must not hide a query
    _ask(authors[0], 0)
    commit_unit_of_work()
    approve_open(moderator)
    login(reader)
    one = _statements_for(client, "/questions/")
    for n, author in enumerate(authors[1:], start=1):
        _ask(author, n)
    commit_unit_of_work()
    approve_open(moderator)
    twenty = _statements_for(client, "/questions/")
    assert one == twenty, (one, twenty)


def test_thread_is_constant(app, client, create_user, youth, moderator, login):
    question = _ask(youth, 1)
    commit_unit_of_work()
    approve_open(moderator)
    helpers = [create_user() for _ in range(30)]
    assists.write(helpers[0], question.id, "The first assist, long enough.")
    commit_unit_of_work()
    approve_open(moderator)
    login(youth)
    url = f"/questions/{question.id}"
    one = _statements_for(client, url)
    for n, helper in enumerate(helpers[1:], start=1):
        assists.write(helper, question.id, f"Assist number {n}, long enough.")
    commit_unit_of_work()
    approve_open(moderator)
    thirty = _statements_for(client, url)
    assert one == thirty


def test_queue_is_constant(app, client, create_user, moderator, login):
    authors = [create_user() for _ in range(10)]
    _ask(authors[0], 0)
    commit_unit_of_work()
    login(moderator)
    one = _statements_for(client, "/moderation/")
    for n, author in enumerate(authors[1:], start=1):
        _ask(author, n)
    commit_unit_of_work()
    assert _statements_for(client, "/moderation/") == one
