"""The point rules, levels, badges and the ring statistic: pure functions, no database."""

import random
from datetime import datetime, timedelta

import pytest

from community.reputation import rules
from community.reputation.rules import EventKind, Withheld

AWARD_TABLE = [
    (EventKind.ASSIST_PUBLISHED, "assist published", 2),
    (EventKind.ASSIST_HELPFUL, "assist marked helpful", 10),
    (EventKind.COACH_THANKED, "coach thanked", 3),
]


@pytest.mark.parametrize(("kind", "row", "points"), AWARD_TABLE)
def test_every_award_rule_is_in_the_docstring_table(kind, row, points):
    assert rules.points_for(kind) == points
    line = next(line for line in rules.__doc__.splitlines() if line.startswith(row))
    assert f" {points} " in f" {line} "


COMPENSATION_ROWS = {
    EventKind.ASSIST_REMOVED: "assist removed",
    EventKind.RING_REVERSAL: "ring reversal",
    EventKind.RING_RESTORED: "ring restored",
}


def test_the_table_has_every_kind():
    rows = {kind: row for kind, row, _ in AWARD_TABLE} | COMPENSATION_ROWS
    assert set(rows) == set(EventKind)
    table_lines = [line for line in rules.__doc__.splitlines() if line[:1].isalpha()]
    for row in rows.values():
        assert any(line.startswith(row + " ") for line in table_lines), row
    assert set(rules.POINTS) == {kind for kind, _, _ in AWARD_TABLE}
    assert rules.COMPENSATIONS == set(COMPENSATION_ROWS)


def test_helpful_is_worth_far_more_than_published():
    assert rules.points_for(EventKind.ASSIST_HELPFUL) >= 5 * rules.points_for(
        EventKind.ASSIST_PUBLISHED
    )


@pytest.mark.parametrize(
    ("kwargs", "points", "withheld"),
    [
        ({}, 10, None),
        ({"own_thread": True}, 0, Withheld.OWN_THREAD),
        ({"shared_address": True}, 0, Withheld.SHARED_ADDRESS),
        ({"earned_today": 45}, 5, Withheld.DAILY_CAP),  # what still fits
        ({"earned_today": 40}, 10, None),  # exactly fits
        ({"earned_today": 50}, 0, Withheld.DAILY_CAP),
        ({"earned_today": 80}, 0, Withheld.DAILY_CAP),
        # Precedence: own thread, then shared address, then the cap.
        ({"own_thread": True, "shared_address": True, "earned_today": 50}, 0, Withheld.OWN_THREAD),
        ({"shared_address": True, "earned_today": 50}, 0, Withheld.SHARED_ADDRESS),
        ({"earned_today": 0, "daily_cap": 4}, 4, Withheld.DAILY_CAP),
    ],
)
def test_limits(kwargs, points, withheld):
    assert rules.award(EventKind.ASSIST_HELPFUL, **kwargs) == rules.Award(points, withheld)


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


@pytest.mark.parametrize(
    ("kind", "original", "points"),
    [
        (EventKind.ASSIST_REMOVED, 10, -10),
        (EventKind.RING_REVERSAL, 2, -2),
        (EventKind.RING_REVERSAL, 5, -5),  # a capped award: only what it earned
        (EventKind.RING_RESTORED, 10, 10),
    ],
)
def test_compensations_mirror_what_the_original_earned(kind, original, points):
    assert rules.compensation(kind, original) == points


def test_awards_are_not_compensations():
    with pytest.raises(ValueError):
        rules.compensation(EventKind.ASSIST_HELPFUL, 10)


@pytest.mark.parametrize(
    ("corrections", "credited"),
    [
        ([], True),
        ([EventKind.RING_REVERSAL], False),
        ([EventKind.RING_REVERSAL, EventKind.RING_RESTORED], True),
        ([EventKind.RING_REVERSAL, EventKind.RING_RESTORED, EventKind.ASSIST_REMOVED], False),
        ([EventKind.ASSIST_REMOVED], False),
    ],
)
def test_the_last_correction_decides(corrections, credited):
    assert rules.is_credited(corrections) is credited


def test_tie_break_prefers_who_got_there_first_then_older_account():
    early, late = datetime(2026, 1, 1), datetime(2026, 1, 2)
    keys = [
        rules.ranking_key(10, late, 1),
        rules.ranking_key(12, late, 9),
        rules.ranking_key(10, early, 5),
        rules.ranking_key(10, early, 3),
    ]
    assert sorted(keys) == [keys[1], keys[3], keys[2], keys[0]]


def test_order_key_sorts_like_the_ranking_key():
    rng = random.Random(5)
    start = datetime(2026, 3, 1)
    standings = [
        (rng.randint(1, 40), start + timedelta(seconds=rng.randint(0, 50)), user_id)
        for user_id in range(1, 400)
    ]
    by_rule = sorted(standings, key=lambda s: rules.ranking_key(*s))
    by_key = sorted(standings, key=lambda s: (rules.order_key(s[0], s[1]), s[2]))
    assert by_rule == by_key
    for points, reached, _ in standings:
        key = rules.order_key(points, reached)
        assert key < 0 and rules.points_from_order_key(key) == points
    assert rules.order_key(0, start) >= 0  # no points: never on a board


def test_order_keys_are_exact_as_redis_scores():
    key = rules.order_key(rules.MAX_POINTS, datetime(2105, 12, 31))
    assert float(key) == key and rules.points_from_order_key(int(float(key))) == rules.MAX_POINTS


@pytest.mark.parametrize(
    ("points", "level", "following"),
    [
        (0, "Newcomer", "Helper"),
        (9, "Newcomer", "Helper"),
        (10, "Helper", "Trusted helper"),
        (60, "Trusted helper", "Guide"),
        (200, "Guide", "Lighthouse"),
        (10_000, "Lighthouse", None),
    ],
)
def test_levels(points, level, following):
    assert str(rules.level_for(points).name) == level
    upcoming = rules.next_level(points)
    assert (str(upcoming.name) if upcoming else None) == following


def test_levels_climb():
    thresholds = [level.min_points for level in rules.LEVELS]
    assert thresholds == sorted(thresholds) and thresholds[0] == 0
    assert [level.number for level in rules.LEVELS] == list(range(1, len(rules.LEVELS) + 1))


@pytest.mark.parametrize(
    ("record", "badges"),
    [
        (rules.Record(), []),
        (rules.Record(published=1), ["first_assist"]),
        (
            rules.Record(published=3, helpful=1, helpful_topics=frozenset({"love"})),
            ["first_assist", "first_helpful"],
        ),
        (
            rules.Record(published=12, helpful=10, helpful_topics=frozenset({"a", "b", "c"})),
            ["first_assist", "first_helpful", "helpful_10", "helpful_topics_3"],
        ),
        (
            rules.Record(published=60, helpful=50, helpful_topics=frozenset({"a", "b"})),
            ["first_assist", "first_helpful", "helpful_10", "helpful_50"],
        ),
    ],
)
def test_badges(record, badges):
    assert [badge.key for badge in rules.badges_for(record)] == badges


def test_no_badge_rewards_coming_back_on_certain_days():
    words = " ".join(f"{b.key} {b.name} {b.description}" for b in rules.BADGES).lower()
    assert not any(word in words for word in ("streak", "daily", "in a row", "every day"))


@pytest.mark.parametrize(
    ("kind", "withheld", "counts"),
    [
        (EventKind.ASSIST_HELPFUL, None, True),
        (EventKind.ASSIST_HELPFUL, Withheld.DAILY_CAP, True),  # real help, just capped
        (EventKind.ASSIST_HELPFUL, Withheld.SHARED_ADDRESS, False),
        (EventKind.ASSIST_HELPFUL, Withheld.OWN_THREAD, False),
        (EventKind.RING_REVERSAL, None, False),
    ],
)
def test_what_counts_for_badges(kind, withheld, counts):
    assert rules.counts_for_badges(kind, withheld) is counts


def test_binomial_tail():
    assert rules.binomial_tail(0, 10, 0.3) == 1.0
    assert rules.binomial_tail(11, 10, 0.3) == 0.0
    assert rules.binomial_tail(1, 1, 0.25) == pytest.approx(0.25)
    assert rules.binomial_tail(2, 3, 0.5) == pytest.approx(0.5)
    assert rules.binomial_tail(20, 20, 0.1) == pytest.approx(1e-20)
    assert rules.binomial_tail(3, 5, 0.0) == 0.0


@pytest.mark.parametrize(
    ("marks", "given", "received", "total", "ring"),
    [
        (20, 20, 100, 1100, True),  # a puppet: all its marks on one author
        (20, 20, 420, 1100, True),  # even when the author is popular for real
        (2, 2, 2, 1000, False),  # too few marks to call anything
        (5, 10, 300, 1000, False),  # a popular helper helping someone often
        (6, 6, 6, 1000, True),  # six marks for someone nobody else ever marks
    ],
)
def test_pair_assessment(marks, given, received, total, ring):
    assert rules.assess_pair(marks, given, received, total).is_ring is ring


def test_groups_join_connected_accounts():
    pairs = [(1, 9), (2, 9), (3, 4), (4, 3), (5, 6)]
    assert rules.groups(pairs) == [[(1, 9), (2, 9)], [(3, 4), (4, 3)], [(5, 6)]]
