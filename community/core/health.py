"""Is the database up? Is Redis? (For /healthz and the admin pages.)"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from community.extensions import db

log = logging.getLogger(__name__)


def check() -> dict[str, str]:
    """``{"database": "ok"|"down", "redis": "ok"|"down"|"not configured"}``."""
    return {"database": _database(), "redis": _redis()}


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return "ok"
    except SQLAlchemyError as error:
        log.warning(
            "health check: database unreachable (%s)",
            type(getattr(error, "orig", None) or error).__name__,
        )
        db.session.remove()
        return "down"


def _redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except RedisError:
        return "down"
