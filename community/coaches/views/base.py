"""The coaches blueprint and what its pages share."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_login import current_user

from community.coaches.profiles import is_coach

bp = Blueprint("coaches", __name__)


def address_limit() -> str:
    """Applying, editing a profile and asking a coach are limited per hashed address, each
    on its own. (Coach replies and lounge posts count towards the shared posting limit:
    :func:`community.core.ratelimits.posting`.)"""
    return current_app.config["RATELIMIT_POST"]


def coach_nav() -> dict:
    """Which coach links the header shows (from the role alone: no query)."""
    user = current_user if current_user.is_authenticated else None
    coach = is_coach(user)
    can_moderate = bool(user is not None and user.can_moderate)
    return {
        "coach_nav": {
            "is_coach": coach,
            "can_review": can_moderate,
            "can_use_lounge": coach or can_moderate,
        }
    }
