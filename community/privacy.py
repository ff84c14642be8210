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
