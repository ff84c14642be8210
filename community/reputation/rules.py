"""Reputation rules: pure functions, no database, no clock, no request.

Every point Assist gives or takes back is decided here; the ledger
(:class:`~community.reputation.models.ReputationEvent`) records each decision, and boards,
levels and badges are computed from the ledger alone.

Events that award points (to young people only; staff and coaches get no events)

=====================  ======  ===============================================================
event                  points  who gets them, and why
=====================  ======  ===============================================================
assist published            2  the assist's author: a moderator found it fit to help someone
assist marked helpful      10  the assist's author: the asker said "this helped" -- the help we
                               value most, because the person who was helped confirmed it
coach thanked               3  the asker, when they say the reply of the coach attached to
                               their thread helped: asking an adult for help and closing the
                               loop (once per thread)
=====================  ======  ===============================================================

Compensating events (the ledger is never edited: a correction is a new event that points at
the original it corrects, and counts on the same boards -- same topic, same week and month)

=====================  ======  ===============================================================
event                  points  when
=====================  ======  ===============================================================
assist removed         -earned a published assist was taken down (e.g. after a flag): every
                               point it earned is taken back
ring reversal          -earned the ring check found "this helped" marks far beyond chance
                               between two accounts: the points between them are taken back
ring restored          +earned a moderator dismissed the ring report: the points come back
=====================  ======  ===============================================================

Limits against farming, checked in this order (the first that applies wins)

1. **Own thread**: nothing is earned on a thread you asked yourself (``own_thread``).
2. **Shared address**: nothing is earned between two accounts seen at the same hashed network
   address in the same week, within the address window (``shared_address``).
3. **Daily cap**: at most :data:`DAILY_CAP` points a day (UTC) from awarding events; an event
   past the cap keeps only what still fits, possibly 0 (``daily_cap``).

A limited event is still written, with the points it kept and the reason, so the decision is
on record and a second delivery of the same job finds it and changes nothing.

Tie-break (:func:`ranking_key`, :func:`order_key`): more points first; on equal points,
whoever reached that score *earlier* (to the second) ranks higher; then the lower user id
(the older account).
"""

from __future__ import annotations

import enum
import math
from calendar import timegm
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l


class EventKind(enum.Enum):
    ASSIST_PUBLISHED = "assist_published"
    ASSIST_HELPFUL = "assist_helpful"
    COACH_THANKED = "coach_thanked"
    # Compensating kinds: they always point at the original event they correct.
    ASSIST_REMOVED = "assist_removed"
    RING_REVERSAL = "ring_reversal"
    RING_RESTORED = "ring_restored"

    @property
    def is_compensation(self) -> bool:
        return self in COMPENSATIONS


class Withheld(enum.Enum):
    """Why an awarding event kept fewer points than its rule says."""

    OWN_THREAD = "own_thread"
    SHARED_ADDRESS = "shared_address"
    DAILY_CAP = "daily_cap"


POINTS = {
    EventKind.ASSIST_PUBLISHED: 2,
    EventKind.ASSIST_HELPFUL: 10,
    EventKind.COACH_THANKED: 3,
}
AWARDS = frozenset(POINTS)
# Compensations that take points back, and the one that gives them back.
REVERSALS = frozenset({EventKind.ASSIST_REMOVED, EventKind.RING_REVERSAL})
RESTORES = frozenset({EventKind.RING_RESTORED})
COMPENSATIONS = REVERSALS | RESTORES

DAILY_CAP = 50  # points a day; LEADERBOARD_DAILY_CAP overrides it


def points_for(kind: EventKind) -> int:
    """Points one awarding event of *kind* is worth before any limit (table above)."""
    return POINTS[kind]


def earns_standing(is_ranked_author: bool, author_id: int, asker_id: int) -> bool:
    """Whether an assist's author can gain standing at all: ranked, and not their own thread."""
    return is_ranked_author and author_id != asker_id


@dataclass(frozen=True)
class Award:
    points: int
    withheld: Withheld | None = None


def award(
    kind: EventKind,
    *,
    own_thread: bool = False,
    shared_address: bool = False,
    earned_today: int = 0,
    daily_cap: int = DAILY_CAP,
) -> Award:
    """The points an awarding event keeps after the limits, and which limit (if any) applied."""
    nominal = points_for(kind)
    if own_thread:
        return Award(0, Withheld.OWN_THREAD)
    if shared_address:
        return Award(0, Withheld.SHARED_ADDRESS)
    room = max(daily_cap - max(earned_today, 0), 0)
    if nominal > room:
        return Award(room, Withheld.DAILY_CAP)
    return Award(nominal)


def compensation(kind: EventKind, original_points: int) -> int:
    """Points of a compensating event of *kind* correcting an original worth *original_points*."""
    if kind in REVERSALS:
        return -original_points
    if kind in RESTORES:
        return original_points
    raise ValueError(f"{kind} is not a compensating kind")


def is_credited(compensations: Sequence[EventKind]) -> bool:
    """Whether an original event counts now, given its compensations in the order written.

    Corrections alternate (taken back, given back, taken back…), so the last one decides.
    """
    return not compensations or compensations[-1] in RESTORES


# -- ranking -----------------------------------------------------------------------------------

SCORE_SHIFT = 2**32  # seconds since 1970 fit below this until 2106
MAX_POINTS = 2**21 - 1  # points * 2**32 must stay exact in a Redis score (a double: 53 bits)


def epoch_seconds(moment: datetime) -> int:
    """Whole seconds since 1970 for a naive UTC datetime."""
    return timegm(moment.utctimetuple())


def ranking_key(points: int, reached_at: datetime, user_id: int) -> tuple:
    """Sort key for standings, best first: points desc, reached_at asc, user id asc."""
    return (-points, epoch_seconds(reached_at), user_id)


def order_key(points: int, reached_at: datetime) -> int:
    """One integer that sorts standings best first (ascending), ties aside.

    ``seconds(reached_at) - points * 2**32``: more points is always smaller; on equal
    points the earlier second is smaller. Equal keys fall back to the user id, ascending
    (SQL orders by ``(order_key, user_id)``; Redis orders equal scores by the zero-padded
    member). Positive points give a negative key, so "has points" is ``order_key < 0``.
    """
    points = max(min(points, MAX_POINTS), -MAX_POINTS)
    return epoch_seconds(reached_at) - points * SCORE_SHIFT


def points_from_order_key(key: int) -> int:
    """The points encoded in an :func:`order_key`."""
    return -(key // SCORE_SHIFT)


# -- levels ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    number: int
    name: object  # a lazy string
    min_points: int


LEVELS = (
    Level(1, _l("Newcomer"), 0),
    Level(2, _l("Helper"), 10),
    Level(3, _l("Trusted helper"), 60),
    Level(4, _l("Guide"), 200),
    Level(5, _l("Lighthouse"), 500),
)


def level_for(points: int) -> Level:
    """The level a total of *points* (all time) reaches."""
    reached = LEVELS[0]
    for level in LEVELS:
        if points >= level.min_points:
            reached = level
    return reached


def next_level(points: int) -> Level | None:
    """The next level up, or ``None`` at the top."""
    return next((level for level in LEVELS if level.min_points > points), None)


# -- badges (no streaks: nothing here rewards coming back on a given day) ----------------------


@dataclass(frozen=True)
class Badge:
    key: str
    name: object  # lazy strings
    description: object


BADGES = (
    Badge("first_assist", _l("First assist"), _l("Get your first assist published.")),
    Badge(
        "first_helpful",
        _l("First helpful assist"),
        _l("Write an assist that the asker says helped them."),
    ),
    Badge(
        "helpful_10",
        _l("10 helpful assists"),
        _l("Write 10 assists that helped, as the askers said."),
    ),
    Badge(
        "helpful_topics_3",
        _l("Helpful in 3 topics"),
        _l("Help people with 3 different topics."),
    ),
    Badge(
        "helpful_50",
        _l("50 helpful assists"),
        _l("Write 50 assists that helped, as the askers said."),
    ),
)


@dataclass(frozen=True)
class Record:
    """What someone's credited events add up to: the input of :func:`badges_for`."""

    published: int = 0
    helpful: int = 0
    helpful_topics: frozenset[str] = frozenset()


def badges_for(record: Record) -> list[Badge]:
    """The badges a record has earned, in the order of :data:`BADGES`."""
    earned = {
        "first_assist": record.published >= 1,
        "first_helpful": record.helpful >= 1,
        "helpful_10": record.helpful >= 10,
        "helpful_topics_3": len(record.helpful_topics) >= 3,
        "helpful_50": record.helpful >= 50,
    }
    return [badge for badge in BADGES if earned[badge.key]]


def counts_for_badges(kind: EventKind, withheld: Withheld | None) -> bool:
    """Capped help still counts for badges; help withheld as farming does not."""
    return kind in AWARDS and withheld in (None, Withheld.DAILY_CAP)


# -- assist rings ------------------------------------------------------------------------------

RING_MIN_MARKS = 5  # fewer marks between two accounts are never called a ring
RING_MAX_P = 1e-6  # "far more than chance": less likely than one in a million


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k, n + 1):
        log_term = (
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + i * log_p
            + (n - i) * log_q
        )
        total += math.exp(log_term)
    return min(total, 1.0)


@dataclass(frozen=True)
class PairTest:
    marks: int  # "this helped" marks the asker gave this author
    given: int  # marks the asker gave anyone
    expected: float  # marks this author would get from the asker by chance
    p_value: float
    is_ring: bool


def assess_pair(
    marks: int,
    given: int,
    received: int,
    total: int,
    *,
    min_marks: int = RING_MIN_MARKS,
    max_p: float = RING_MAX_P,
) -> PairTest:
    """Are an asker's "this helped" marks for one author far more than chance?

    The statistic: if this asker spread their *given* marks the way everyone else spreads
    theirs, each mark would land on this author with probability ``p`` = the author's share
    of all *other* askers' marks (``(received - marks) / (total - given)``), so the count is
    Binomial(given, p). The pair is a ring pair when it has at least *min_marks* marks and
    seeing that many or more by chance is less likely than *max_p*. Leaving the asker's own
    marks out of ``p`` stops a puppet from making its target look popular.
    """
    others_total = total - given
    share = (received - marks) / others_total if others_total > 0 else 0.0
    p_value = binomial_tail(marks, given, share)
    return PairTest(
        marks=marks,
        given=given,
        expected=given * share,
        p_value=p_value,
        is_ring=marks >= min_marks and p_value < max_p,
    )


def groups(pairs: Iterable[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Split (asker, author) pairs into groups of accounts connected by any pair."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs = list(pairs)
    for a, b in pairs:
        parent[find(a)] = find(b)
    by_root: dict[int, list[tuple[int, int]]] = {}
    for pair in pairs:
        by_root.setdefault(find(pair[0]), []).append(pair)
    return sorted((sorted(group) for group in by_root.values()), key=lambda g: g[0])
