"""Hashed address sightings: recorded at sign-up, log-in and posting; never the address."""

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from community.accounts.models import User
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.privacy import weekly_address_hash
from community.extensions import db
from community.questions.models import Question
from community.reputation import addresses, standings
from community.reputation.models import AddressSighting, ReputationEvent
from community.reputation.rules import Withheld
from tests.conftest import PASSWORD, approve_open

HOME = {"REMOTE_ADDR": "203.0.113.20"}
SCHOOL = {"REMOTE_ADDR": "198.51.100.7"}


def _sightings(user_id):
    db.session.expire_all()
    return db.session.scalars(
        select(AddressSighting).where(AddressSighting.user_id == user_id)
    ).all()


def _log_in(client, user, where):
    return client.post(
        "/log-in",
        data={"pseudonym": user.pseudonym, "password": PASSWORD},
        environ_base=where,
    )


def test_sign_up_log_in_and_posting_leave_a_hashed_sighting(app, client, youth):
    page = client.get("/sign-up")
    name = re.search(r'id="pseudonym"[^>]*value="([^"]+)"', page.text)[1]
    client.post(
        "/sign-up",
        data={"pseudonym": name, "age_band": "16-17", "password": "my own long secret"},
        environ_base=HOME,
    )
    newcomer = db.session.scalar(select(User).where(User.pseudonym == name))
    [seen] = _sightings(newcomer.id)
    assert seen.address_hash == weekly_address_hash("203.0.113.20")
    assert "203.0.113.20" not in seen.address_hash and len(seen.address_hash) == 32
    client.post("/log-out")

    _log_in(client, youth, SCHOOL)
    assert len(_sightings(youth.id)) == 1
    client.post(
        "/questions/ask",
        data={
            "title": "How do I say no to a party?",
            "body": "My friends want me to come but I don't feel like it. What do I say?",
            "topic": "family",
        },
        environ_base=HOME,
    )
    assert {s.address_hash for s in _sightings(youth.id)} == {
        weekly_address_hash("198.51.100.7"),
        weekly_address_hash("203.0.113.20"),
    }


def test_loopback_and_nonsense_addresses_are_not_recorded(app, client, youth):
    _log_in(client, youth, {"REMOTE_ADDR": "127.0.0.1"})
    assert _sightings(youth.id) == []
    for address in ("::1", "0.0.0.0", "fe80::1", "not an address", "", None):
        assert addresses.record_sighting(youth.id, address) is False
    assert addresses.record_sighting(youth.id, "2001:db8::7") is True


def test_a_failed_post_records_nothing(app, client, youth):
    client.post(
        "/log-in", data={"pseudonym": youth.pseudonym, "password": "wrong!"}, environ_base=HOME
    )
    assert _sightings(youth.id) == []


def test_the_hash_changes_every_week(app):
    monday = datetime(2026, 3, 2, 0, 0, 1)
    sunday = monday + timedelta(days=6, hours=23)
    assert weekly_address_hash("203.0.113.20", monday) == weekly_address_hash(
        "203.0.113.20", sunday
    )
    assert weekly_address_hash("203.0.113.20", monday) != weekly_address_hash(
        "203.0.113.20", monday + timedelta(days=7)
    )
    assert weekly_address_hash("203.0.113.20", monday) != weekly_address_hash(
        "203.0.113.21", monday
    )


def test_two_accounts_on_one_connection_earn_nothing_from_each_other(
    app, client, youth, other_youth, moderator
):
    """The whole loop through the pages, both accounts on the same home connection."""
    _log_in(client, youth, HOME)
    client.post(
        "/questions/ask",
        data={
            "title": "How do I say no to a party?",
            "body": "My friends want me to come but I don't feel like it. What do I say?",
            "topic": "family",
        },
        environ_base=HOME,
    )
    client.post("/log-out", environ_base=HOME)
    approve_open(moderator)
    question_id = db.session.scalar(select(Question.id))
    _log_in(client, other_youth, HOME)
    client.post(
        f"/questions/{question_id}/assists",
        data={"body": "Just say you're tired, real friends get it."},
        environ_base=HOME,
    )
    approve_open(moderator)
    events = db.session.scalars(select(ReputationEvent)).all()
    assert [(e.points, e.withheld) for e in events] == [(0, Withheld.SHARED_ADDRESS)]
    assert standings.top() == []


def test_old_sightings_are_forgotten(app, youth, other_youth, runner):
    addresses.record_sighting(youth.id, "203.0.113.20", when=utcnow() - timedelta(days=30))
    addresses.record_sighting(other_youth.id, "203.0.113.20")
    commit_unit_of_work()
    result = runner.invoke(args=["leaderboard", "forget-addresses"])
    assert result.exit_code == 0 and "Forgot 1 old address sightings." in result.output
    assert _sightings(youth.id) == [] and len(_sightings(other_youth.id)) == 1
    assert addresses.forget_old_addresses() == 0  # again: nothing left to forget


def test_a_sighting_is_refreshed_not_duplicated(app, youth):
    earlier, later = datetime(2026, 3, 3, 10), datetime(2026, 3, 3, 13)
    addresses.record_sighting(youth.id, "203.0.113.20", when=earlier)
    addresses.record_sighting(youth.id, "203.0.113.20", when=later)
    addresses.record_sighting(youth.id, "203.0.113.20", when=later + timedelta(minutes=5))
    commit_unit_of_work()
    [seen] = _sightings(youth.id)
    assert (seen.first_seen_at, seen.last_seen_at) == (earlier, later)
