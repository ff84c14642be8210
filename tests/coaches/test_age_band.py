"""The coach the asker chose (asked or attached) sees the asker's age band; nobody else does."""

from community.coaches import thread_requests
from community.core.database import commit_unit_of_work

SHOWN = "The asker's age: 13 to 15"


def test_the_chosen_coach_sees_the_askers_age_band(
    client, create_user, make_coach, coach, ask, profile_of, login
):
    young = create_user(age_band="13-15")
    question = ask(young)
    request = thread_requests.request_coach(young, question.id, profile_of(coach).id)
    commit_unit_of_work()
    login(coach)
    assert SHOWN in client.get(f"/questions/{question.id}").text  # asked: deciding to join
    assert SHOWN in client.get("/coaches/me/threads").text
    thread_requests.respond(request.id, coach, accept=True)
    commit_unit_of_work()
    assert SHOWN in client.get(f"/questions/{question.id}").text  # attached
    assert SHOWN in client.get("/coaches/me/threads").text
    client.post("/log-out")

    other_coach = make_coach("Ali")
    for person in (None, young, create_user(age_band="18-25"), other_coach):
        if person is not None:
            login(person)
        page = client.get(f"/questions/{question.id}")
        assert page.status_code == 200
        assert "The asker's age" not in page.text and "13 to 15" not in page.text
        client.post("/log-out")
