"""Assist rings on a synthetic ledger: 5 puppets x 20 "this helped" marks to one author,
among 1,000 organic marks."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from community.accounts.models import AgeBand, Role, User
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions.topics import Topic
from community.reputation import ledger, rebuild, rings, standings
from community.reputation.models import ReputationEvent, RingReport, RingStatus
from community.reputation.rules import EventKind
from moderation import api as moderation
from moderation import decisions
from moderation.models import QueueItem, QueueState
from tests.reputation.conftest import board_rows, ledger_rows

PUPPETS, PUPPET_MARKS, ORGANIC_MARKS = 5, 20, 1000


def _people(prefix: str, count: int) -> list[int]:
    rows = [
        {
            "pseudonym": f"{prefix}{n}",
            "password_hash": "-",
            "role": Role.YOUTH,
            "age_band": AgeBand.AGE_16_17,
            "session_version": 1,
            "is_active": True,
            "created_at": utcnow(),
        }
        for n in range(count)
    ]
    db.session.execute(insert(User), rows)
    return list(
        db.session.scalars(
            select(User.id).where(User.pseudonym.like(f"{prefix}%")).order_by(User.id)
        )
    )


def _help(asker: int, author: int, n: str, when, topic: Topic) -> list[dict]:
    """An assist's two events: published (2 points) and marked helpful (10 points)."""
    return [
        {
            "key": f"{kind.value}:{n}",
            "user_id": author,
            "kind": kind,
            "points": points,
            "asker_id": asker,
            "topic": topic,
            "counted_at": when,
            "created_at": when,
        }
        for kind, points in ((EventKind.ASSIST_PUBLISHED, 2), (EventKind.ASSIST_HELPFUL, 10))
    ]


@pytest.fixture
def ring_ledger(app):
    """The synthetic ledger, with every board built from it."""
    rng = random.Random(2026)
    askers = _people("Asker", 400)
    helpers = _people("Helper", 150)
    puppets = _people("Puppet", PUPPETS)
    [target] = _people("Target", 1)
    # Popular helpers get many more marks than others (a long tail), as on any forum.
    authors = helpers + [target]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(authors))]
    rng.shuffle(weights)
    now = utcnow()
    events = []
    for n in range(ORGANIC_MARKS):
        when = now - timedelta(days=rng.randint(0, 60), seconds=rng.randint(0, 86_000))
        author = rng.choices(authors, weights)[0]
        events += _help(rng.choice(askers), author, f"o{n}", when, rng.choice(list(Topic)))
    for p, puppet in enumerate(puppets):
        for n in range(PUPPET_MARKS):
            when = now - timedelta(days=rng.randint(0, 30), seconds=rng.randint(0, 86_000))
            events += _help(puppet, target, f"p{p}.{n}", when, Topic.FEELINGS)
    db.session.execute(insert(ReputationEvent), events)
    rebuild.rebuild()
    commit_unit_of_work()
    return {"puppets": set(puppets), "target": target, "askers": askers}


def _events():
    db.session.expire_all()
    return db.session.scalars(select(ReputationEvent).order_by(ReputationEvent.id)).all()


def _credited():
    """Original event id -> whether its points count now."""
    originals = [e for e in _events() if e.compensates_id is None]
    return {chain.original.id: chain.credited for chain in ledger.chains(originals)}


def test_ring_check_takes_back_every_puppet_point_and_spares_organic_help(app, ring_ledger):
    puppets, target = ring_ledger["puppets"], ring_ledger["target"]
    organic_before = standings.points_of(target) - PUPPETS * PUPPET_MARKS * 12

    sweep = rings.detect_rings()
    commit_unit_of_work()

    credited = _credited()
    events = {e.id: e for e in _events()}
    puppet_events = [e for e in events.values() if e.asker_id in puppets and not e.compensates_id]
    organic = [e for e in events.values() if e.asker_id not in puppets and not e.compensates_id]
    assert len(puppet_events) == PUPPETS * PUPPET_MARKS * 2
    assert all(not credited[e.id] for e in puppet_events)  # every puppet point reversed
    touched = sum(e.points for e in organic if not credited[e.id])
    assert touched <= 0.01 * sum(e.points for e in organic)
    assert sweep.reversed >= len(puppet_events) and sweep.reports == 1

    # The target keeps exactly their organic points, on the ledger and on every board.
    assert standings.points_of(target) == organic_before
    assert standings.rank_of(db.session.get(User, target)).points == organic_before
    incremental = board_rows()
    rebuild.rebuild()
    commit_unit_of_work()
    assert board_rows() == incremental

    # One report, with the evidence, waiting for a moderator.
    report = db.session.scalar(select(RingReport))
    assert report.status is RingStatus.OPEN
    item = db.session.scalar(select(QueueItem).where(QueueItem.content_type == "ring_report"))
    assert (item.content_id, item.state) == (report.id, QueueState.OPEN)
    # Filed by the ring check itself: nobody under suspicion is told about it.
    reporter = db.session.get(User, item.author_id)
    assert (reporter.pseudonym, reporter.is_active) == (rings.REPORTER, False)
    assert reporter.is_staff and reporter.id not in puppets | {target}


def test_the_ring_check_is_idempotent(app, ring_ledger):
    first = rings.detect_rings()
    commit_unit_of_work()
    before = ledger_rows(), board_rows()
    again = rings.detect_rings()
    commit_unit_of_work()
    assert (again.pairs, again.reports, again.reversed) == (first.pairs, 0, 0)
    assert (ledger_rows(), board_rows()) == before
    assert db.session.scalar(select(func.count()).select_from(RingReport)) == 1


def test_moderators_see_the_evidence(app, client, ring_ledger, moderator, login):
    rings.detect_rings()
    commit_unit_of_work()
    login(moderator)
    page = client.get("/moderation/").text
    assert "Possible assist ring: 6 accounts" in page
    assert "Puppet0 marked assists by Target0 as helpful 20 times (100% of all their marks)" in page
    assert "Points taken back until you decide: 1200." in page
    assert "by Assist ring check" in page
    item = db.session.scalar(select(QueueItem).where(QueueItem.content_type == "ring_report"))
    review = client.get(f"/moderation/items/{item.id}")
    assert review.status_code == 200 and "Puppet4 marked assists by Target0" in review.text


def _decide(moderator, approve: bool):
    item = db.session.scalar(select(QueueItem).where(QueueItem.content_type == "ring_report"))
    if approve:
        moderation.approve(item.id, moderator)
    else:
        decisions.reject(item.id, moderator, "other", "These are classmates helping for real.")
    commit_unit_of_work()


def test_dismissing_a_report_gives_the_points_back_for_good(app, ring_ledger, moderator):
    target = ring_ledger["target"]
    before = standings.points_of(target)
    rings.detect_rings()
    commit_unit_of_work()
    assert standings.points_of(target) < before
    _decide(moderator, approve=False)
    assert db.session.scalar(select(RingReport)).status is RingStatus.DISMISSED
    assert standings.points_of(target) == before
    assert standings.rank_of(db.session.get(User, target)).points == before
    kinds = {e.kind for e in _events() if e.compensates_id}
    assert kinds == {EventKind.RING_REVERSAL, EventKind.RING_RESTORED}
    # A dismissed pair is never reported or reversed again; restoring twice does nothing.
    again = rings.detect_rings()
    commit_unit_of_work()
    assert (again.reports, again.reversed) == (0, 0)
    report_id = db.session.scalar(select(RingReport.id))
    assert rings.restore_ring_points(report_id) == 0
    assert standings.points_of(target) == before


def test_a_confirmed_ring_stays_reversed_and_new_marks_follow(app, ring_ledger, moderator):
    target = ring_ledger["target"]
    rings.detect_rings()
    commit_unit_of_work()
    _decide(moderator, approve=True)
    assert db.session.scalar(select(RingReport)).status is RingStatus.CONFIRMED
    after = standings.points_of(target)
    # The puppets keep going: the next nightly run takes those points back too.
    puppet = min(ring_ledger["puppets"])
    db.session.execute(
        insert(ReputationEvent), _help(puppet, target, "late", utcnow(), Topic.FEELINGS)
    )
    commit_unit_of_work()
    sweep = rings.detect_rings()
    commit_unit_of_work()
    assert (sweep.reports, sweep.reversed) == (0, 2)
    assert standings.points_of(target) == after
    assert rings.restore_ring_points(db.session.scalar(select(RingReport.id))) == 0


def test_the_cli_runs_the_check(app, ring_ledger, runner):
    result = runner.invoke(args=["leaderboard", "detect-rings"])
    assert result.exit_code == 0, result.output
    assert "Ring pairs: 5. New reports: 1." in result.output


def test_mutual_pairs_are_one_group(app):
    a, b = _people("Mutual", 2)
    filler = _people("Filler", 40)
    now = utcnow()
    events = []
    for n in range(8):
        events += _help(a, b, f"ab{n}", now, Topic.LOVE) + _help(b, a, f"ba{n}", now, Topic.LOVE)
    rng = random.Random(7)
    for n in range(300):
        asker, author = rng.sample(filler, 2)
        events += _help(asker, author, f"f{n}", now, Topic.SCHOOL)
    db.session.execute(insert(ReputationEvent), events)
    commit_unit_of_work()
    sweep = rings.detect_rings()
    commit_unit_of_work()
    assert (sweep.pairs, sweep.reports) == (2, 1)
    assert standings.points_of(a) == standings.points_of(b) == 0
