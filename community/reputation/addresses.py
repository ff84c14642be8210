"""Which accounts were seen at the same network address: keyed hashes only, kept briefly.

Recorded when someone signs up, logs in or posts (any successful POST while signed in),
used to withhold points between accounts that share an address (``shared_address`` in
:mod:`community.reputation.rules`), and forgotten after ``ADDRESS_WINDOW_DAYS``.

Loopback, unspecified and link-local addresses are not recorded: behind a reverse proxy
that isn't configured to pass the client address on, every request comes from 127.0.0.1,
and a signal that is the same for everyone would take everyone's points away.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from community.core.clock import utcnow
from community.core.jobs import job
from community.core.privacy import weekly_address_hash
from community.extensions import db, rows_changed
from community.reputation.models import AddressSighting

REFRESH_AFTER = timedelta(hours=1)  # don't rewrite last_seen_at on every request


def is_telling(address: str | None) -> bool:
    """Whether an address says anything about who is behind it."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_link_local)


def _window() -> timedelta:
    return timedelta(days=current_app.config["ADDRESS_WINDOW_DAYS"])


def record_sighting(user_id: int, address: str | None, when: datetime | None = None) -> bool:
    """Remember (as a weekly keyed hash) that *user_id* used *address*; returns whether stored."""
    if not is_telling(address):
        return False
    now = when or utcnow()
    digest = weekly_address_hash(address or "", now)
    seen = db.session.scalar(
        select(AddressSighting).where(
            AddressSighting.user_id == user_id, AddressSighting.address_hash == digest
        )
    )
    if seen is not None:
        if now - seen.last_seen_at >= REFRESH_AFTER:
            seen.last_seen_at = now
        return True
    try:
        with db.session.begin_nested():
            db.session.add(
                AddressSighting(
                    user_id=user_id, address_hash=digest, first_seen_at=now, last_seen_at=now
                )
            )
    except IntegrityError:
        pass  # the same person's other request got there first
    return True


def share_address(user_id: int, other_id: int, when: datetime | None = None) -> bool:
    """Whether two accounts were seen at the same address, in the same week, within the window."""
    if user_id == other_id:
        return True
    since = (when or utcnow()) - _window()
    mine, theirs = aliased(AddressSighting), aliased(AddressSighting)
    return (
        db.session.scalar(
            select(mine.id)
            .join(theirs, theirs.address_hash == mine.address_hash)
            .where(
                mine.user_id == user_id,
                theirs.user_id == other_id,
                mine.last_seen_at >= since,
                theirs.last_seen_at >= since,
            )
            .limit(1)
        )
        is not None
    )


@job("leaderboard.forget_old_addresses")
def forget_old_addresses() -> int:
    """Delete sightings older than the window (run daily); returns how many were deleted."""
    cutoff = utcnow() - _window()
    result = db.session.execute(
        delete(AddressSighting)
        .where(AddressSighting.last_seen_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) or 0
