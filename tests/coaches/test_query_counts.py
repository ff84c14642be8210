"""Coach pages issue a constant number of SQL statements, whatever the number of rows."""

from community.coaches import coach_replies, thread_requests
from community.coaches.lounge import services as lounge
from community.core.database import commit_unit_of_work
from tests.conftest import approve_open
from tests.test_query_counts import count_queries

REPLY = "I went through the same thing at 15. Writing my feelings down helped."


def _statements(client, url):
    client.get(url)  # warm caches so both counts measure the same work
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_directory_is_constant(client, make_coach, youth, ask, login):
    make_coach("Coach0")
    ask(youth)  # an asker with a question sees "ask to join" forms too
    login(youth)
    one = _statements(client, "/coaches/")
    for n in range(1, 8):
        make_coach(f"Coach{n}", topics=("family", "school"), languages=("da", "en", "ar"))
    assert _statements(client, "/coaches/") == one


def test_my_threads_is_constant(client, make_coach, create_user, ask, profile_of, login):
    sara = make_coach("Sara", capacity=10)

    def request_one(n):
        asker = create_user()
        question = ask(asker, f"Question number {n} for a coach, please?")
        request = thread_requests.request_coach(asker, question.id, profile_of(sara).id)
        if n % 2:
            thread_requests.respond(request.id, sara, accept=True)
        commit_unit_of_work()

    request_one(1)
    request_one(2)
    login(sara)
    two = _statements(client, "/coaches/me/threads")
    for n in range(3, 9):
        request_one(n)
    assert _statements(client, "/coaches/me/threads") == two


def test_thread_with_coach_replies_is_constant(client, attached, coach, moderator, youth, login):
    question, _ = attached
    coach_replies.reply(coach, question.id, REPLY)
    commit_unit_of_work()
    approve_open(moderator)
    login(youth)
    one = _statements(client, f"/questions/{question.id}")
    for n in range(5):
        coach_replies.reply(coach, question.id, f"{REPLY} ({n})")
    commit_unit_of_work()
    approve_open(moderator)
    assert _statements(client, f"/questions/{question.id}") == one


def test_lounge_pages_are_constant(client, coach, make_coach, login):
    others = [make_coach(f"Coach{n}") for n in range(5)]
    topic = lounge.start_topic(coach, "How do you end a thread well?", "Tell me, please.")
    lounge.reply(others[0], topic.id, "Kindly.")
    commit_unit_of_work()
    login(coach)
    index, page = (
        _statements(client, "/coaches/lounge/"),
        _statements(client, f"/coaches/lounge/{topic.id}"),
    )
    for n, other in enumerate(others[1:]):
        lounge.start_topic(other, f"Another topic number {n}", "Some words here.")
        lounge.reply(other, topic.id, f"Reply number {n}.")
    commit_unit_of_work()
    assert _statements(client, "/coaches/lounge/") == index
    assert _statements(client, f"/coaches/lounge/{topic.id}") == page


def test_applications_page_is_constant(client, create_user, moderator, login):
    from community.coaches import applications
    from tests.coaches.conftest import draft

    def apply(n):
        applications.apply(
            create_user(age_band="18-25"), draft(f"Sam{n}", topics=("family", "love"))
        )
        commit_unit_of_work()

    apply(0)
    login(moderator)
    one = _statements(client, "/coaches/applications")
    for n in range(1, 6):
        apply(n)
    assert _statements(client, "/coaches/applications") == one
