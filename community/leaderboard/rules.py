"""Reputation point rules: pure functions, no database.

=======================  ======  ============================================================
event                    points  why
=======================  ======  ============================================================
assist published              2  a moderator found it fit to help someone
assist marked helpful        10  the asker confirmed it helped: the help we value most
=======================  ======  ============================================================

Only young people are ranked; staff and coaches earn no standing.

Tie-break (see :func:`ranking_key`): more points first; on equal points, whoever
reached that score *earlier* ranks higher; then the lower user id (the older account).
"""

from __future__ import annotations

import enum
from datetime import datetime


class EventKind(enum.Enum):
    ASSIST_PUBLISHED = "assist_published"
    ASSIST_HELPFUL = "assist_helpful"


POINTS = {EventKind.ASSIST_PUBLISHED: 2, EventKind.ASSIST_HELPFUL: 10}


def points_for(kind: EventKind) -> int:
    """Points one event of *kind* is worth (table above)."""
    return POINTS[kind]


def earns_standing(is_ranked_author: bool, author_id: int, asker_id: int) -> bool:
    """Whether an assist's author gains standing: ranked, and not on their own thread."""
    return is_ranked_author and author_id != asker_id


def ranking_key(points: int, reached_at: datetime, user_id: int) -> tuple:
    """Sort key for standings, best first: points desc, reached_at asc, user id asc."""
    return (-points, reached_at, user_id)
