"""Helpers that keep identifying data out of storage."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app


def hashed_client_address(address: str) -> str:
    """An HMAC of the client address, keyed per day, so it can't be reversed or kept long."""
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    key = f"{current_app.config['SECRET_KEY']}:{day}".encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


def weekly_address_hash(address: str, when: datetime | None = None) -> str:
    """An HMAC of the client address keyed by the secret and the ISO week of *when* (UTC).

    Stable for a week, so the anti-farming check can tell that two accounts used the same
    address in the same week; a different value every week, so stored hashes can't be
    linked across weeks. *when* is a naive UTC datetime (default: now).
    """
    moment = when or datetime.now(UTC)
    year, week, _ = moment.isocalendar()
    key = f"{current_app.config['SECRET_KEY']}:week:{year}-W{week:02d}".encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]
