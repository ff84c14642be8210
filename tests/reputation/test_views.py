"""The board page, the leaderboard setting and public reputation pages."""

import re

from community.accounts.models import AgeBand, Role
from community.reputation import listing
from tests.test_query_counts import count_queries


def test_board_page_shows_points_and_own_rank(
    app, client, youth, other_youth, moderator, login, ask, assist_on
):
    assist_on(other_youth, ask(youth), helpful=True)
    page = client.get("/leaderboard/")
    assert other_youth.pseudonym in page.text and ">12<" in page.text
    assert f'href="/u/{other_youth.pseudonym}"' in page.text
    login(other_youth)
    assert "You are number 1 with 12 points." in client.get("/leaderboard/").text
    client.post("/log-out")
    login(moderator)
    page = client.get("/leaderboard/")
    assert "You are number" not in page.text
    assert "Staff and coaches are not on the leaderboard." in page.text


def test_board_page_per_period_and_topic(app, client, youth, other_youth, ask, assist_on):
    assist_on(other_youth, ask(youth, topic="love"), helpful=True)
    for period in ("week", "month", "all"):
        page = client.get(f"/leaderboard/?period={period}&topic=love")
        assert page.status_code == 200 and other_youth.pseudonym in page.text
        page = client.get(f"/leaderboard/?period={period}&topic=school")
        assert other_youth.pseudonym not in page.text and "Nobody has points here yet." in page.text
    # Nonsense in the address falls back to the whole board, all time.
    page = client.get("/leaderboard/?period=yesterday&topic=<script>")
    assert page.status_code == 200 and other_youth.pseudonym in page.text
    assert "<script>" not in page.text


def test_board_page_explains_the_rules(app, client):
    page = client.get("/leaderboard/").text
    assert "How points work" in page
    assert "The asker says your assist helped them: <strong>+10 points</strong>" in page
    assert "50 points a day" in page


def test_the_board_asks_once_whether_to_appear(app, client, create_user, login):
    young = create_user(age_band=AgeBand.AGE_13_15.value)
    login(young)
    page = client.get("/leaderboard/").text
    assert "Do you want to be on the leaderboard?" in page
    response = client.post(
        "/me/settings", data={"appear": "yes", "next": "/leaderboard/?period=week"}
    )
    assert response.status_code == 302 and response.location.endswith("/leaderboard/?period=week")
    assert listing.appears_on_boards(young)
    page = client.get("/leaderboard/").text
    assert "Do you want to be on the leaderboard?" not in page
    assert "Choose if you are shown on the leaderboard" in page


def test_settings_page_changes_the_choice_any_time(app, client, youth, login):
    login(youth)
    page = client.get("/me/settings")
    assert page.status_code == 200
    assert re.search(r'<input checked[^>]*value="yes"', page.text)  # 16-17: on by default
    response = client.post("/me/settings", data={"appear": "no"}, follow_redirects=True)
    assert "You are off the leaderboard." in response.text
    assert not listing.appears_on_boards(youth)
    client.post("/me/settings", data={"appear": "yes"})
    assert listing.appears_on_boards(youth)


def test_settings_refuse_nonsense_and_keep_the_old_choice(app, client, youth, login):
    login(youth)
    response = client.post("/me/settings", data={"appear": "maybe"})
    assert response.status_code == 422 and "Do you want to be on the leaderboard?" in response.text
    response = client.post("/me/settings", data={})
    assert response.status_code == 422 and "Choose yes or no." in response.text
    assert listing.choice_of(youth.id) is None
    # Redirects stay on this site.
    response = client.post("/me/settings", data={"appear": "no", "next": "https://evil.example/"})
    assert response.location.endswith("/me/settings")


def test_settings_need_a_login_and_are_not_for_staff(app, client, create_user, login):
    assert client.get("/me/settings").status_code == 302
    assert client.post("/me/settings", data={"appear": "yes"}).status_code == 302
    coach = create_user(role=Role.COACH)
    login(coach)
    page = client.get("/me/settings")
    assert page.status_code == 200 and "Staff and coaches are not on the leaderboard." in page.text
    assert client.post("/me/settings", data={"appear": "yes"}).status_code == 403
    assert listing.choice_of(coach.id) is None


def test_profile_shows_level_badges_and_helpful_count_only(
    app, client, youth, other_youth, ask, assist_on, login
):
    assist_on(other_youth, ask(youth, topic="love"), helpful=True)
    page = client.get(f"/u/{other_youth.pseudonym}")
    assert page.status_code == 200
    text = page.text
    assert other_youth.pseudonym in text
    assert "Level 2 of 5: Helper" in text and "12 points" in text
    assert "First assist" in text and "First helpful assist" in text
    assert "1 assist helped someone, they said." in text
    assert "16 or 17" not in text and "18 to 25" not in text  # never the age band
    assert "Badges you can still earn" not in text  # only for the person themselves
    login(other_youth)
    assert "Badges you can still earn" in client.get(f"/u/{other_youth.pseudonym}").text


def test_no_profile_for_staff_or_unknown_names(app, client, moderator, create_user):
    coach = create_user(role=Role.COACH)
    assert client.get(f"/u/{coach.pseudonym}").status_code == 404
    assert client.get(f"/u/{moderator.pseudonym}").status_code == 404
    assert client.get("/u/NobodyAtAll99").status_code == 404


def _statements(client, url):
    client.get(url)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_board_page_is_constant(app, client, create_user, ask, assist_on, login):
    asker = create_user()
    helpers = [create_user() for _ in range(12)]
    viewer = create_user()
    question = ask(asker)
    assist_on(helpers[0], question, helpful=True)
    login(viewer)
    url = "/leaderboard/?period=week"
    one = _statements(client, url)
    for helper in helpers[1:]:
        assist_on(helper, question)
    assert _statements(client, url) == one
    login(helpers[3])  # someone on the board, with their own rank
    assert _statements(client, url) == one


def test_profile_is_constant(app, client, create_user, ask, assist_on):
    helper = create_user()
    askers = [create_user() for _ in range(4)]
    assist_on(helper, ask(askers[0], topic="love"), helpful=True)
    url = f"/u/{helper.pseudonym}"
    one = _statements(client, url)
    topics = ["school", "body", "work"]
    for n, (asker, topic) in enumerate(zip(askers[1:], topics, strict=True), start=1):
        assist_on(helper, ask(asker, topic=topic, n=n), helpful=True)
    assert "Helpful in 3 topics" in client.get(url).text
    assert _statements(client, url) == one
