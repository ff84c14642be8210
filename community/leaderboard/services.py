"""Reputation: write ledger events (idempotent jobs that take ids), correct them with
compensating events, say who appears on the boards, and read standings, levels and badges.

The ledger is append-only: nothing here updates or deletes a :class:`ReputationEvent`.
Every write locks the receiving user's row first (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite has one writer anyway), so the daily cap and the board totals can't race.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from community.accounts.models import AgeBand, Role, User
from community.assists.models import Assist
from community.clock import utcnow
from community.errors import NotAllowed, NotFound
from community.extensions import db
from community.jobs import job
from community.leaderboard import addresses, boards, rules
from community.leaderboard.boards import Board, Period
from community.leaderboard.models import (
    BoardDayCount,
    BoardPointCount,
    BoardStanding,
    LeaderboardChoice,
    ReputationEvent,
)
from community.posts import ContentStatus
from community.questions.topics import Topic


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


# -- who appears on the boards -----------------------------------------------------------------


def appears_by_default(age_band: AgeBand | None) -> bool:
    """Young teens (13-15) stay off the boards unless they choose to appear; 16+ appear."""
    return age_band is not AgeBand.AGE_13_15


def _listed(role: Role, is_active: bool, age_band: AgeBand | None, appear: bool | None) -> bool:
    if role is not Role.YOUTH or not is_active:
        return False
    return appears_by_default(age_band) if appear is None else appear


def choice_of(user_id: int) -> LeaderboardChoice | None:
    return db.session.get(LeaderboardChoice, user_id)


def appears_on_boards(user: User) -> bool:
    """Whether *user*'s pseudonym and points are shown on the boards."""
    choice = choice_of(user.id)
    return _listed(user.role, user.is_active, user.age_band, choice.appear if choice else None)


def needs_asking(user: User | None) -> bool:
    """A young person who hasn't told us yet whether they want to appear."""
    return user is not None and user.is_ranked and choice_of(user.id) is None


def check_can_choose(user: User | None) -> User:
    if user is None:
        raise NotAllowed()
    if not user.is_ranked:
        raise NotAllowed(_l("Staff and coaches are never on the leaderboard."))
    return user


def choose(user: User, appear: bool) -> LeaderboardChoice:
    """Record whether *user* wants to appear, and show or hide them on every board at once."""
    check_can_choose(user)
    _lock_user(user.id)  # the same order as the ledger jobs: the person first, then boards
    choice = choice_of(user.id)
    if choice is None:
        choice = LeaderboardChoice(user_id=user.id, appear=appear)
        db.session.add(choice)
    else:
        choice.appear = appear
        choice.chosen_at = utcnow()
    db.session.flush()
    boards.set_listed(user.id, _listed(user.role, user.is_active, user.age_band, appear))
    return choice


@job("leaderboard.refresh_listing")
def refresh_listing(user_id: int) -> bool:
    """Show or hide a user on the boards after their role or account changed (idempotent)."""
    user = _lock_user(user_id)
    if user is None:
        return False
    forget_pseudonym(user.id)
    boards.set_listed(user.id, appears_on_boards(user))
    return True


# -- writing the ledger (jobs: idempotent, take ids) -------------------------------------------


def _lock_user(user_id: int) -> User | None:
    return db.session.scalar(select(User).where(User.id == user_id).with_for_update())


def lock_users(user_ids) -> None:
    """Lock several people's rows up front, in id order, before changing their points: a
    job that then waits for one of them holds nothing another writer needs (no deadlock)."""
    if user_ids:
        db.session.scalars(
            select(User.id).where(User.id.in_(sorted(user_ids))).order_by(User.id).with_for_update()
        ).all()


def _exists(key: str) -> bool:
    found = db.session.scalar(select(ReputationEvent.id).where(ReputationEvent.key == key))
    return found is not None


def _earned_today(user_id: int, now: datetime) -> int:
    midnight = datetime(now.year, now.month, now.day)
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(ReputationEvent.points), 0)).where(
                ReputationEvent.user_id == user_id,
                ReputationEvent.compensates_id.is_(None),
                ReputationEvent.created_at >= midnight,
            )
        )
        or 0
    )


def _write(event: ReputationEvent, user: User) -> ReputationEvent | None:
    """Insert *event* (once: its key is unique) and add its points to the user's boards."""
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except IntegrityError:
        return None  # a concurrent delivery of the same job wrote it first
    if event.points:
        boards.add_points(
            user.id,
            boards.keys_for(event.counted_at, event.topic),
            event.points,
            event.created_at,
            appears_on_boards(user),
        )
    return event


def _award(
    kind: rules.EventKind,
    *,
    user_id: int,
    key: str,
    counterpart_id: int,
    asker_id: int,
    topic: Topic | None,
    assist_id: int | None,
    own_thread: bool,
) -> ReputationEvent | None:
    user = _lock_user(user_id)
    if user is None or not user.is_ranked or _exists(key):
        return None
    now = utcnow()
    shared = not own_thread and addresses.share_address(user_id, counterpart_id, now)
    decision = rules.award(
        kind,
        own_thread=own_thread,
        shared_address=shared,
        earned_today=_earned_today(user_id, now),
        daily_cap=current_app.config["LEADERBOARD_DAILY_CAP"],
    )
    return _write(
        ReputationEvent(
            key=key,
            user_id=user_id,
            kind=kind,
            points=decision.points,
            withheld=decision.withheld,
            assist_id=assist_id,
            asker_id=asker_id,
            topic=topic,
            counted_at=now,
            created_at=now,
        ),
        user,
    )


def _load_assist(assist_id: int) -> Assist | None:
    return db.session.scalar(
        select(Assist)
        .options(joinedload(Assist.author), joinedload(Assist.question))
        .where(Assist.id == assist_id)
    )


def _is_coach_reply(assist: Assist) -> bool:
    """A reply by the coach the asker chose for the thread (the coaches feature marks them)."""
    return assist.is_coach_reply and assist.author.role is Role.COACH


@job("leaderboard.record_assist_published")
def record_assist_published(assist_id: int) -> bool:
    """Award the points for a published assist, once. Returns whether an event was written."""
    assist = _load_assist(assist_id)
    if assist is None or assist.status is not ContentStatus.PUBLISHED:
        return False
    return _assist_event(assist, rules.EventKind.ASSIST_PUBLISHED)


@job("leaderboard.record_assist_helpful")
def record_assist_helpful(assist_id: int) -> bool:
    """Award the points for an assist the asker marked helpful, once; when the assist is the
    attached coach's reply, the asker's thanks (``coach_thanked``) instead."""
    assist = _load_assist(assist_id)
    if assist is None or assist.helpful_at is None:
        return False
    if _is_coach_reply(assist):
        return record_coach_thanked(assist)
    return _assist_event(assist, rules.EventKind.ASSIST_HELPFUL)


def _assist_event(assist: Assist, kind: rules.EventKind) -> bool:
    if not assist.author.is_ranked:
        return False  # staff and coaches earn no standing
    asker_id = assist.question.author_id
    event = _award(
        kind,
        user_id=assist.author_id,
        key=f"{kind.value}:{assist.id}",
        counterpart_id=asker_id,
        asker_id=asker_id,
        topic=assist.question.topic,
        assist_id=assist.id,
        own_thread=not rules.earns_standing(True, assist.author_id, asker_id),
    )
    return event is not None


def record_coach_thanked(assist: Assist) -> bool:
    """The asker said their coach's reply helped: the asker's points, once per thread."""
    question = assist.question
    event = _award(
        rules.EventKind.COACH_THANKED,
        user_id=question.author_id,
        key=f"{rules.EventKind.COACH_THANKED.value}:q{question.id}",
        counterpart_id=assist.author_id,
        asker_id=question.author_id,
        topic=question.topic,
        assist_id=assist.id,
        own_thread=False,
    )
    return event is not None


# -- corrections (compensating events) ---------------------------------------------------------


@dataclass
class Chain:
    """An original event and the corrections written for it, oldest first."""

    original: ReputationEvent
    corrections: list[ReputationEvent]

    @property
    def credited(self) -> bool:
        return rules.is_credited([c.kind for c in self.corrections])

    @property
    def last(self) -> ReputationEvent:
        return self.corrections[-1] if self.corrections else self.original


def chains(originals: Sequence[ReputationEvent]) -> list[Chain]:
    """The correction chains of *originals* (one query for all their corrections)."""
    if not originals:
        return []
    found: dict[int, list[ReputationEvent]] = {e.id: [] for e in originals}
    for correction in db.session.scalars(
        select(ReputationEvent)
        .where(ReputationEvent.compensates_id.in_(list(found)))
        .order_by(ReputationEvent.id)
    ):
        found[correction.compensates_id].append(correction)  # type: ignore[index]
    return [Chain(e, found[e.id]) for e in originals]


def compensate(
    chain: Chain, kind: rules.EventKind, *, ring_report_id: int | None = None
) -> ReputationEvent | None:
    """Append the correction of *kind* to *chain*, unless the chain is already in that state.

    The event takes back (or gives back) exactly what the original earned, on the boards
    the original counted on. Its key names the chain and the step, so it is written once.
    """
    taking_back = kind in rules.REVERSALS
    if chain.credited != taking_back:
        return None
    original = chain.original
    user = _lock_user(original.user_id)
    if user is None:
        return None
    now = utcnow()
    event = _write(
        ReputationEvent(
            key=f"c:{original.id}:{len(chain.corrections) + 1}",
            user_id=original.user_id,
            kind=kind,
            points=rules.compensation(kind, original.points),
            withheld=None,
            assist_id=original.assist_id,
            asker_id=original.asker_id,
            topic=original.topic,
            counted_at=original.counted_at,
            compensates_id=original.id,
            ring_report_id=ring_report_id,
            created_at=now,
        ),
        user,
    )
    if event is not None:
        chain.corrections.append(event)
    return event


@job("leaderboard.record_assist_removed")
def record_assist_removed(assist_id: int) -> int:
    """Take back every point a removed assist earned its author; returns events written.

    Meant for an assist taken down after a flag: connect it to the signal moderation or
    assists sends then. Safe to run again (a chain already taken back is left alone).
    """
    assist = db.session.get(Assist, assist_id)
    if assist is None:
        return 0
    originals = db.session.scalars(
        select(ReputationEvent)
        .where(
            ReputationEvent.assist_id == assist_id,
            ReputationEvent.user_id == assist.author_id,
            ReputationEvent.compensates_id.is_(None),
        )
        .order_by(ReputationEvent.id)
    ).all()
    written = [compensate(chain, rules.EventKind.ASSIST_REMOVED) for chain in chains(originals)]
    return sum(1 for event in written if event is not None)


# -- reading: boards ---------------------------------------------------------------------------


def current_board(period: Period = Period.ALL, topic: Topic | None = None) -> Board:
    return boards.board_for(period, topic)


def top(limit: int = 50, board: Board | None = None) -> list[Row]:
    """The best *limit* listed young people on *board* (default: all time), with pseudonyms.

    The board comes from one index range (SQL) or one ``ZRANGE`` (Redis); pseudonyms from
    a short-lived per-process cache, or one query for those it lacks. Ranks follow the
    tie-break in :mod:`~community.leaderboard.rules`.
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


NAMES_TTL = 300.0  # seconds a pseudonym is trusted without asking the database again
NAMES_MAX = 20_000


def _pseudonyms(user_ids: Sequence[int]) -> dict[int, str]:
    """Pseudonyms of the listed young people among *user_ids* (staff and closed accounts
    are left out). Cached per app and process for a few minutes: the top of a board is
    read on every page view and changes rarely; a renamed or closed account drops out
    of the cache within NAMES_TTL."""
    if not user_ids:
        return {}
    cache = current_app.extensions.setdefault("assist.leaderboard", {}).setdefault("names", {})
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
    current_app.extensions.get("assist.leaderboard", {}).get("names", {}).pop(user_id, None)


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


# -- reading: levels, badges, profiles ---------------------------------------------------------


def record_of(user_id: int) -> rules.Record:
    """What a user's credited help adds up to (one query): the input for badges."""
    corrections = (
        select(ReputationEvent.compensates_id, func.count().label("n"))
        .where(ReputationEvent.user_id == user_id, ReputationEvent.compensates_id.is_not(None))
        .group_by(ReputationEvent.compensates_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ReputationEvent.kind, ReputationEvent.withheld, ReputationEvent.topic, func.count())
        .outerjoin(corrections, corrections.c.compensates_id == ReputationEvent.id)
        .where(
            ReputationEvent.user_id == user_id,
            ReputationEvent.compensates_id.is_(None),
            # Corrections alternate (taken back, given back …): an even count is credited.
            func.coalesce(corrections.c.n, 0) % 2 == 0,
        )
        .group_by(ReputationEvent.kind, ReputationEvent.withheld, ReputationEvent.topic)
    ).all()
    published = helpful = 0
    topics: set[str] = set()
    for kind, withheld, topic, count in rows:
        if not rules.counts_for_badges(kind, withheld):
            continue
        if kind is rules.EventKind.ASSIST_PUBLISHED:
            published += count
        elif kind is rules.EventKind.ASSIST_HELPFUL:
            helpful += count
            if topic is not None:
                topics.add(topic.value)
    return rules.Record(published=published, helpful=helpful, helpful_topics=frozenset(topics))


@dataclass(frozen=True)
class Profile:
    user_id: int
    pseudonym: str
    points: int
    level: rules.Level
    next_level: rules.Level | None
    badges: list[rules.Badge]
    helpful_assists: int


def profile(pseudonym: str) -> Profile:
    """A young person's public reputation: level, badges, helpful assists. Nothing else."""
    user = db.session.scalar(select(User).where(User.pseudonym == (pseudonym or "").strip()))
    if user is None or not user.is_ranked or not user.is_active:
        raise NotFound()
    points = max(points_of(user.id), 0)
    record = record_of(user.id)
    return Profile(
        user_id=user.id,
        pseudonym=user.pseudonym,
        points=points,
        level=rules.level_for(points),
        next_level=rules.next_level(points),
        badges=rules.badges_for(record),
        helpful_assists=record.helpful,
    )


# -- rebuilding from the ledger ----------------------------------------------------------------


def _periods(first: datetime, last: datetime) -> Iterator[Board]:
    week = boards.board_for(Period.WEEK, None, first)
    while week.start is not None and week.start <= last.date():
        yield week
        week = Board(Period.WEEK, week.start + timedelta(days=7))
    month = boards.board_for(Period.MONTH, None, first)
    while month.start is not None and month.start <= last.date():
        yield month
        ends = month.ends_at or last
        month = Board(Period.MONTH, date(ends.year, ends.month, 1))


def _standings(board: Board) -> Iterator[dict]:
    """Rows of ``board_standings`` for one period (all time when the board has no start):
    overall and per topic, for young people only. Two grouped queries, streamed."""
    person = (User.role, User.is_active, User.age_band, LeaderboardChoice.appear)
    reached = func.max(case((ReputationEvent.points != 0, ReputationEvent.created_at)))
    where = [User.role == Role.YOUTH]
    if board.start is not None:
        start = datetime(board.start.year, board.start.month, board.start.day)
        where += [ReputationEvent.counted_at >= start, ReputationEvent.counted_at < board.ends_at]

    def grouped(*by):
        return db.session.execute(
            select(*by, func.sum(ReputationEvent.points), reached, *person)
            .join(User, User.id == ReputationEvent.user_id)
            .outerjoin(LeaderboardChoice, LeaderboardChoice.user_id == User.id)
            .where(*where)
            .group_by(*by, *person)
            .execution_options(yield_per=boards.BATCH)
        )

    def row(key: str, user_id: int, points, latest: datetime | None, listed: bool) -> dict:
        points, latest = int(points or 0), latest or datetime(1970, 1, 1)
        return {
            "board": key,
            "user_id": user_id,
            "points": points,
            "reached_at": latest,
            "order_key": rules.order_key(points, latest),
            "listed": listed,
        }

    overall = Board(board.period, board.start).key
    for user_id, points, latest, *who in grouped(ReputationEvent.user_id):
        yield row(overall, user_id, points, latest, _listed(*who))
    topical = grouped(ReputationEvent.user_id, ReputationEvent.topic)
    for user_id, topic, points, latest, *who in topical:
        if topic is not None:
            key = Board(board.period, board.start, topic).key
            yield row(key, user_id, points, latest, _listed(*who))


def rebuild() -> int:
    """Recompute every board (all time, every week and month, overall and per topic) from the
    ledger, in SQL and, after the commit, in Redis. Returns how many people have standing."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Every row is read: plan for the whole result, not the first few (server-side
        # cursors otherwise favour plans that are fast to start and slow to finish).
        db.session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
    db.session.execute(delete(BoardPointCount))
    db.session.execute(delete(BoardDayCount))
    db.session.execute(delete(BoardStanding))
    span = db.session.execute(
        select(func.min(ReputationEvent.counted_at), func.max(ReputationEvent.counted_at))
    ).one()
    stager = boards.RedisStager()
    days: Counter[tuple[str, int, date]] = Counter()
    ranked = 0
    periods = [Board(Period.ALL)]
    if span[0] is not None:
        periods += list(_periods(span[0], span[1]))
    for board in periods:
        batch: list[dict] = []
        for row in _standings(board):
            if board.period is Period.ALL and ":" not in row["board"]:
                ranked += 1
            batch.append(row)
            if row["listed"] and row["points"] > 0:
                days[(row["board"], row["points"], row["reached_at"].date())] += 1
            if len(batch) >= boards.BATCH:
                _insert(batch, stager)
                batch = []
        _insert(batch, stager)
    db.session.execute(
        insert(BoardPointCount).from_select(
            ["board", "points", "people"],
            select(BoardStanding.board, BoardStanding.points, func.count())
            .where(BoardStanding.listed.is_(True), BoardStanding.points > 0)
            .group_by(BoardStanding.board, BoardStanding.points),
        )
    )
    day_rows = [
        {"board": board, "points": points, "day": day, "people": people}
        for (board, points, day), people in days.items()
    ]
    for start in range(0, len(day_rows), boards.BATCH):
        db.session.execute(insert(BoardDayCount), day_rows[start : start + boards.BATCH])
    stager.finish()
    return ranked


def _insert(rows: list[dict], stager: boards.RedisStager) -> None:
    if rows:
        db.session.execute(insert(BoardStanding), rows)
        stager.add(rows)
