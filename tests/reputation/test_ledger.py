"""The ledger and the boards: jobs, limits against farming, corrections, rebuilds."""

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from community.accounts.models import AgeBand, Role
from community.assists import services as assists
from community.assists.models import Assist
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.posts import ContentStatus
from community.extensions import db
from community.questions.topics import Topic
from community.reputation import addresses, boards, ledger, listing, rebuild, rules, standings
from community.reputation.boards import Period
from community.reputation.models import BoardStanding, ReputationEvent
from community.reputation.rules import EventKind, Withheld
from moderation import api as moderation
from moderation import decisions
from moderation.models import QueueItem, QueueState
from tests.reputation.conftest import board_rows, ledger_rows


def _events(user_id=None):
    query = select(ReputationEvent).order_by(ReputationEvent.id)
    if user_id is not None:
        query = query.where(ReputationEvent.user_id == user_id)
    return db.session.scalars(query).all()


@pytest.fixture
def no_ledger_edits(app):
    """Fails the test if anything UPDATEs or DELETEs a ledger row."""
    seen = []

    def record(conn, cursor, statement, *args):
        text = " ".join(statement.split()).upper()
        if text.startswith(("UPDATE REPUTATION_EVENTS", "DELETE FROM REPUTATION_EVENTS")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield
    event.remove(db.engine, "before_cursor_execute", record)
    assert seen == []


def test_published_and_helpful_points_follow_the_table(app, youth, other_youth, ask, assist_on):
    question = ask(youth)
    assist_on(other_youth, question, helpful=True)
    kinds = [(e.kind, e.points, e.withheld) for e in _events(other_youth.id)]
    assert kinds == [(EventKind.ASSIST_PUBLISHED, 2, None), (EventKind.ASSIST_HELPFUL, 10, None)]
    assert standings.points_of(other_youth.id) == 12
    first = _events(other_youth.id)[0]
    assert first.asker_id == youth.id and first.topic is Topic.SCHOOL
    assert first.counted_at == first.created_at


def test_jobs_are_idempotent(app, youth, other_youth, ask, assist_on, no_ledger_edits):
    assist = assist_on(other_youth, ask(youth), helpful=True)
    before = ledger_rows(), board_rows()
    # RQ (and the outbox sweeper) deliver at least once: running the jobs again changes nothing.
    assert ledger.record_assist_published(assist.id) is False
    assert ledger.record_assist_helpful(assist.id) is False
    commit_unit_of_work()
    assert (ledger_rows(), board_rows()) == before
    assert standings.points_of(other_youth.id) == 12


def test_a_job_only_records_what_happened(app, youth, other_youth, ask):
    question = ask(youth)
    pending = assists.write(other_youth, question.id, "A kind and useful assist, pending.")
    commit_unit_of_work()
    assert ledger.record_assist_published(pending.id) is False  # not published
    assert ledger.record_assist_helpful(pending.id) is False  # nobody said it helped
    assert ledger.record_assist_published(10_000) is False  # gone
    assert _events() == []


def test_staff_and_coaches_never_earn_standing(app, youth, create_user, moderator, ask):
    coach = create_user(role=Role.COACH)
    question = ask(youth)
    for staff in (coach, moderator):
        written = _published(question, staff, helpful=True)
        assert ledger.record_assist_published(written.id) is False
        assert ledger.record_assist_helpful(written.id) is False
    commit_unit_of_work()
    assert _events() == []
    assert standings.top() == [] and standings.rank_of(coach) is None


def test_no_points_on_your_own_thread(app, youth, ask):
    question = ask(youth)
    # The assists feature doesn't let anyone answer their own question; should one slip
    # through (an import, a future feature), the ledger still gives nothing for it.
    own = Assist(question_id=question.id, author_id=youth.id, status=ContentStatus.PUBLISHED)
    own.write_body("Answering myself, which should earn nothing.")
    db.session.add(own)
    db.session.flush()
    assert ledger.record_assist_published(own.id) is True
    commit_unit_of_work()
    [only] = _events(youth.id)
    assert (only.points, only.withheld) == (0, Withheld.OWN_THREAD)
    assert standings.points_of(youth.id) == 0 and standings.rank_of(youth) is None


def test_the_daily_cap(app, create_user, ask, assist_on, monkeypatch):
    helper = create_user()
    askers = [create_user() for _ in range(6)]
    for n, asker in enumerate(askers[:5]):
        assist_on(helper, ask(asker, n=n), helpful=True)
    # 5 published (10) + 4 helpful (40) = 50, the cap; the fifth "helpful" keeps nothing.
    assert standings.points_of(helper.id) == 50
    last = _events(helper.id)[-1]
    assert (last.kind, last.points, last.withheld) == (
        EventKind.ASSIST_HELPFUL,
        0,
        Withheld.DAILY_CAP,
    )
    # Tomorrow is a new day.
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(ledger, "utcnow", lambda: tomorrow)
    assist_on(helper, ask(askers[5], n=5), helpful=True)
    assert standings.points_of(helper.id) == 62


def test_the_cap_keeps_what_still_fits(app, create_user, ask, assist_on):
    app.config["LEADERBOARD_DAILY_CAP"] = 15
    helper, asker = create_user(), create_user()
    assist_on(helper, ask(asker), helpful=True)
    assert [(e.points, e.withheld) for e in _events(helper.id)] == [
        (2, None),
        (10, None),
    ]
    assist_on(helper, ask(asker, n=1), helpful=True)
    assert [(e.points, e.withheld) for e in _events(helper.id)][2:] == [
        (2, None),
        (1, Withheld.DAILY_CAP),
    ]
    assert standings.points_of(helper.id) == 15


def test_no_points_between_accounts_that_share_an_address(
    app, youth, other_youth, create_user, ask, assist_on
):
    stranger = create_user()
    addresses.record_sighting(youth.id, "203.0.113.9")
    addresses.record_sighting(other_youth.id, "203.0.113.9")
    addresses.record_sighting(stranger.id, "198.51.100.4")
    commit_unit_of_work()
    question = ask(youth)
    assist_on(other_youth, question, helpful=True)
    assist_on(stranger, question, helpful=True)
    assert [(e.points, e.withheld) for e in _events(other_youth.id)] == [
        (0, Withheld.SHARED_ADDRESS),
        (0, Withheld.SHARED_ADDRESS),
    ]
    assert standings.points_of(stranger.id) == 12
    assert [r.pseudonym for r in standings.top()] == [stranger.pseudonym]


def test_shared_addresses_only_count_within_the_window(app, youth, other_youth, ask, assist_on):
    long_ago = utcnow() - timedelta(days=app.config["ADDRESS_WINDOW_DAYS"] + 1)
    addresses.record_sighting(youth.id, "203.0.113.9", when=long_ago)
    addresses.record_sighting(other_youth.id, "203.0.113.9", when=long_ago)
    commit_unit_of_work()
    assist_on(other_youth, ask(youth), helpful=True)
    assert standings.points_of(other_youth.id) == 12


def test_removing_an_assist_takes_its_points_back(
    app, youth, other_youth, ask, assist_on, no_ledger_edits
):
    question = ask(youth, topic="love")
    kept = assist_on(other_youth, question)
    removed = assist_on(other_youth, ask(youth, topic="love", n=1), helpful=True)
    originals = ledger_rows()
    assert standings.points_of(other_youth.id) == 14
    assert ledger.record_assist_removed(removed.id) == 2
    commit_unit_of_work()
    assert ledger_rows()[: len(originals)] == originals  # history untouched, corrections appended
    corrections = _events(other_youth.id)[3:]
    assert [(e.kind, e.points) for e in corrections] == [
        (EventKind.ASSIST_REMOVED, -2),
        (EventKind.ASSIST_REMOVED, -10),
    ]
    assert all(e.compensates_id and e.topic is Topic.LOVE for e in corrections)
    assert standings.points_of(other_youth.id) == 2
    for period in Period:
        for topic in (None, Topic.LOVE):
            board = standings.current_board(period, topic)
            assert standings.rank_of(other_youth, board).points == 2
    # Again: nothing more to take back.
    assert ledger.record_assist_removed(removed.id) == 0
    assert kept.id and standings.points_of(other_youth.id) == 2


def test_corrections_count_on_the_boards_of_the_original(
    app, youth, other_youth, ask, assist_on, monkeypatch
):
    last_month = utcnow().replace(day=1) - timedelta(days=3)
    monkeypatch.setattr(ledger, "utcnow", lambda: last_month)
    assist = assist_on(other_youth, ask(youth), helpful=True)
    monkeypatch.undo()
    month = boards.board_for(Period.MONTH, None, last_month)
    assert boards.position(month.key, other_youth.id).points == 12
    this_month = standings.current_board(Period.MONTH)
    assert standings.rank_of(other_youth, this_month) is None
    # Taken back today: last month's board loses the points; this month's isn't touched.
    ledger.record_assist_removed(assist.id)
    commit_unit_of_work()
    assert boards.position(month.key, other_youth.id) is None
    assert standings.rank_of(other_youth, this_month) is None
    assert db.session.get(BoardStanding, (this_month.key, other_youth.id)) is None


def test_top_and_own_rank_follow_the_ledger_and_tie_break(app, create_user, ask, assist_on):
    asker = create_user()
    helpers = [create_user() for _ in range(3)]
    question = ask(asker)
    written = [assist_on(h, question) for h in helpers]
    assists.mark_helpful(written[2].id, asker)
    commit_unit_of_work()
    top = standings.top()
    assert [r.pseudonym for r in top] == [helpers[2].pseudonym] + [
        h.pseudonym
        for h in sorted(
            helpers[:2],
            key=lambda h: rules.ranking_key(2, _events(h.id)[0].created_at, h.id),
        )
    ]
    assert [r.points for r in top] == [12, 2, 2]
    assert [r.rank for r in top] == [1, 2, 3]
    assert standings.rank_of(helpers[2]).rank == 1
    assert standings.rank_of(asker) is None


def test_boards_per_period_and_topic(app, youth, other_youth, create_user, ask, assist_on):
    third = create_user()
    assist_on(other_youth, ask(youth, topic="love"), helpful=True)
    assist_on(third, ask(youth, topic="school", n=1), helpful=True)
    assist_on(third, ask(youth, topic="school", n=2))
    for period in Period:
        overall = standings.top(board=standings.current_board(period))
        assert [(r.pseudonym, r.points) for r in overall] == [
            (third.pseudonym, 14),
            (other_youth.pseudonym, 12),
        ]
        love = standings.top(board=standings.current_board(period, Topic.LOVE))
        assert [(r.pseudonym, r.points) for r in love] == [(other_youth.pseudonym, 12)]
        assert standings.top(board=standings.current_board(period, Topic.BODY)) == []
        assert standings.rank_of(other_youth, standings.current_board(period, Topic.SCHOOL)) is None


def test_becoming_staff_leaves_the_boards(app, youth, other_youth, ask, assist_on):
    assist_on(other_youth, ask(youth), helpful=True)
    assert standings.top()[0].user_id == other_youth.id
    other_youth.role = Role.COACH
    commit_unit_of_work()
    assert standings.top() == []
    assert (
        db.session.scalar(
            select(func.count()).select_from(BoardStanding).where(BoardStanding.listed.is_(True))
        )
        == 0
    )
    other_youth.role = Role.YOUTH
    commit_unit_of_work()
    assert standings.top()[0].user_id == other_youth.id


def test_a_closed_account_leaves_the_boards(app, youth, other_youth, ask, assist_on):
    assist_on(other_youth, ask(youth), helpful=True)
    other_youth.is_active = False
    commit_unit_of_work()
    assert standings.top() == []


def test_rebuild_reproduces_every_board(app, create_user, ask, assist_on, no_ledger_edits):
    asker = create_user()
    young = create_user(age_band=AgeBand.AGE_13_15.value)
    helpers = [create_user() for _ in range(4)] + [young]
    topics = ["school", "love", "body"]
    for n, helper in enumerate(helpers):
        question = ask(asker, topic=topics[n % 3], n=n)
        assist_on(helper, question, helpful=n % 2 == 0)
    ledger.record_assist_removed(
        db.session.scalar(select(Assist.id).where(Assist.author_id == helpers[0].id))
    )
    listing.choose(helpers[1], appear=False)
    commit_unit_of_work()
    before_rows, before_top = board_rows(), standings.top()
    assert rebuild.rebuild() == 5
    commit_unit_of_work()
    assert board_rows() == before_rows
    assert standings.top() == before_top
    assert helpers[1].id not in {r.user_id for r in before_top}  # chose not to appear
    assert young.id not in {r.user_id for r in before_top}  # 13-15: off unless they choose


def test_rebuild_of_an_empty_ledger(app):
    assert rebuild.rebuild() == 0
    commit_unit_of_work()
    assert standings.top() == []


def test_an_assist_taken_down_by_a_moderator_loses_its_points(
    app, youth, other_youth, moderator, ask, assist_on
):
    assist = assist_on(other_youth, ask(youth), helpful=True)
    # A reader flags it; a moderator looks again and takes it down.
    item = moderation.submit("assist", assist.id, other_youth.id)
    decisions.reject(item.id, moderator, "hurtful")
    commit_unit_of_work()
    assert standings.points_of(other_youth.id) == 0
    assert standings.rank_of(other_youth) is None
    kinds = [e.kind for e in _events(other_youth.id)]
    assert kinds.count(EventKind.ASSIST_REMOVED) == 2


def test_turning_down_a_new_assist_takes_nothing(app, youth, other_youth, moderator, ask):
    question = ask(youth)
    assists.write(other_youth, question.id, "A first try at an assist, long enough.")
    commit_unit_of_work()
    item = db.session.scalar(select(QueueItem).where(QueueItem.state == QueueState.OPEN))
    decisions.reject(item.id, moderator, "unclear")
    commit_unit_of_work()
    assert _events() == []


def _published(question, author, helpful=False, coach_reply=False):
    """A published assist made directly (the assists feature has its own rules for who
    may write one; these tests are about what the ledger does with it)."""
    reply = Assist(
        question_id=question.id,
        author_id=author.id,
        status=ContentStatus.PUBLISHED,
        helpful_at=utcnow() if helpful else None,
        is_coach_reply=coach_reply,
    )
    reply.write_body("I went through the same at your age. Here is what helped me.")
    db.session.add(reply)
    db.session.flush()
    return reply


def test_thanking_your_coach_earns_the_asker_a_little(
    app, youth, create_user, ask, no_ledger_edits
):
    coach = create_user(role=Role.COACH)
    question = ask(youth)
    # Replies by the coach the asker chose (the coaches feature sets is_coach_reply).
    first = _published(question, coach, coach_reply=True)
    second = _published(question, coach, helpful=True, coach_reply=True)
    commit_unit_of_work()
    assists.mark_helpful(first.id, youth)  # "This helped me", as on the page
    commit_unit_of_work()
    assert ledger.record_assist_helpful(first.id) is False  # delivered again: nothing new
    assert ledger.record_assist_helpful(second.id) is False  # once per thread
    commit_unit_of_work()
    [thanks] = _events()
    assert (thanks.user_id, thanks.kind, thanks.points) == (youth.id, EventKind.COACH_THANKED, 3)
    assert standings.points_of(coach.id) == 0  # coaches are never ranked
    assert standings.rank_of(youth).points == 3
