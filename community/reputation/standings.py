"""Reading the boards: the top of a board with pseudonyms, a person's own place, and a
person's total from the ledger."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.core.registry import app_state
from community.extensions import db
from community.questions.topics import Topic
from community.reputation import boards
from community.reputation.boards import Board, Period
from community.reputation.models import ReputationEvent

NAMES_TTL = 300.0  # seconds a pseudonym is trusted without asking the database again
NAMES_MAX = 20_000
NAMES_CACHE = "assist.leaderboard"  # in app.extensions: this process's pseudonym cache


@dataclass(frozen=True)
class Row:
    rank: int
    pseudonym: str
    points: int
    user_id: int


@dataclass(frozen=True)
class OwnRank:
    rank: int  # where they are, or would be if they appeared
    points: int
    listed: bool
    user_id: int
    pseudonym: str


def current_board(period: Period = Period.ALL, topic: Topic | None = None) -> Board:
    return boards.board_for(period, topic)


def top(limit: int = 50, board: Board | None = None) -> list[Row]:
    """The best *limit* listed young people on *board* (default: all time), with pseudonyms.

    The board comes from one index range (SQL) or one ``ZRANGE`` (Redis); pseudonyms from
    a short-lived per-process cache, or one query for those it lacks. Ranks follow the
    tie-break in :mod:`~community.reputation.rules`.
    """
    board = board or current_board()
    # A little extra in case someone became staff since the board was written.
    entries = boards.top(board.key, limit + 5)
    names = _pseudonyms([user_id for user_id, _ in entries])
    kept = [(user_id, points) for user_id, points in entries if user_id in names][:limit]
    return [
        Row(rank=i, pseudonym=names[user_id], points=points, user_id=user_id)
        for i, (user_id, points) in enumerate(kept, start=1)
    ]


def _pseudonyms(user_ids: Sequence[int]) -> dict[int, str]:
    """Pseudonyms of the listed young people among *user_ids* (staff and closed accounts
    are left out). Cached per app and process for a few minutes: the top of a board is
    read on every page view and changes rarely; a renamed or closed account drops out
    of the cache within NAMES_TTL."""
    if not user_ids:
        return {}
    cache = app_state(NAMES_CACHE).setdefault("names", {})
    now = time.monotonic()
    found = {}
    for user_id in user_ids:
        hit = cache.get(user_id)
        if hit is not None and hit[1] > now:
            found[user_id] = hit[0]
    missing = [user_id for user_id in user_ids if user_id not in found]
    if missing:
        if len(cache) > NAMES_MAX:
            cache.clear()
        for user_id, pseudonym in db.session.execute(
            select(User.id, User.pseudonym).where(
                User.id.in_(missing), User.role == Role.YOUTH, User.is_active.is_(True)
            )
        ):
            cache[user_id] = (pseudonym, now + NAMES_TTL)
            found[user_id] = pseudonym
    return found


def forget_pseudonym(user_id: int) -> None:
    """Drop a cached pseudonym at once (a rename or a closed account, in this process)."""
    app_state(NAMES_CACHE).get("names", {}).pop(user_id, None)


def rank_of(user: User | None, board: Board | None = None) -> OwnRank | None:
    """The user's own rank and points on *board*, also when they chose not to appear
    (then: where they would be). ``None`` for staff, or without points there yet."""
    if user is None or not user.is_ranked:
        return None
    position = boards.position((board or current_board()).key, user.id)
    if position is None:
        return None
    return OwnRank(
        rank=position.rank,
        points=position.points,
        listed=position.listed,
        user_id=user.id,
        pseudonym=user.pseudonym,
    )


def points_of(user_id: int) -> int:
    """A user's total from the ledger itself (the source of truth)."""
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(ReputationEvent.points), 0)).where(
                ReputationEvent.user_id == user_id
            )
        )
        or 0
    )
