"""The topic filter above each list (one macro: ``templates/_macros/filters.html``)."""

import pytest


@pytest.mark.parametrize(
    ("path", "select_id"),
    [("/questions/", "topic"), ("/coaches/", "coach-topic"), ("/leaderboard/", "topic")],
)
def test_the_topic_filter_shows_the_chosen_topic(client, path, select_id):
    page = client.get(f"{path}?topic=family").text
    assert f'<label for="{select_id}">Topic</label>' in page
    assert f'<select id="{select_id}" name="topic">' in page
    assert '<option value="">All topics</option>' in page
    assert '<option value="family" selected>' in page
    assert '<option value="school" selected>' not in page
    assert '<option value="family" selected>' not in client.get(path).text
