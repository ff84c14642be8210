"""Moderators see the author's age band on queue items and item pages; readers never do."""

from community.accounts.models import Role
from tests.conftest import approve_open
from tests.moderation.conftest import open_item


def test_moderators_see_the_authors_age_band(client, create_user, moderator, login, ask):
    young = create_user(age_band="13-15")
    adult = create_user(age_band="18-25")
    first = open_item("question", ask(young, title="How do I get through the exams?").id)
    second = open_item("question", ask(adult, title="How do I find a summer job?").id)
    staff_item = open_item("question", ask(create_user(role=Role.MODERATOR)).id)
    login(moderator)
    queue = client.get("/moderation/").text
    assert queue.count("The author's age: 13 to 15") == 1
    assert queue.count("The author's age: 18 to 25") == 1
    assert queue.count("The author's age") == 2  # staff have no age band
    assert "The author's age: 13 to 15" in client.get(f"/moderation/items/{first.id}").text
    assert "The author's age: 18 to 25" in client.get(f"/moderation/items/{second.id}").text
    assert "The author's age" not in client.get(f"/moderation/items/{staff_item.id}").text


def test_readers_never_see_an_age_band(client, create_user, moderator, login, ask):
    young = create_user(age_band="13-15")
    question = ask(young, title="How do I get through the exams?")
    approve_open(moderator)
    for person in (None, young, create_user(), create_user(role=Role.COACH)):
        if person is not None:
            login(person)
        page = client.get(f"/questions/{question.id}")
        assert page.status_code == 200
        assert "13 to 15" not in page.text and "s age" not in page.text
        client.post("/log-out")
