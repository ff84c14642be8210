from datetime import datetime

import pytest

from community.leaderboard import rules


@pytest.mark.parametrize(
    ("kind", "points"),
    [
        (rules.EventKind.ASSIST_PUBLISHED, 2),
        (rules.EventKind.ASSIST_HELPFUL, 10),
    ],
)
def test_points_table(kind, points):
    assert rules.points_for(kind) == points
    assert f"{points}" in rules.__doc__


@pytest.mark.parametrize(
    ("ranked", "author", "asker", "earns"),
    [
        (True, 1, 2, True),
        (True, 1, 1, False),  # no points from one's own thread
        (False, 1, 2, False),  # staff and coaches are not ranked
    ],
)
def test_who_earns_standing(ranked, author, asker, earns):
    assert rules.earns_standing(ranked, author, asker) is earns


def test_tie_break_prefers_who_got_there_first_then_older_account():
    early, late = datetime(2026, 1, 1), datetime(2026, 1, 2)
    keys = [
        rules.ranking_key(10, late, 1),
        rules.ranking_key(12, late, 9),
        rules.ranking_key(10, early, 5),
        rules.ranking_key(10, early, 3),
    ]
    assert sorted(keys) == [keys[1], keys[3], keys[2], keys[0]]
