"""The person behind the current request, as a plain ``User`` or ``None``."""

from __future__ import annotations

from flask_login import current_user

from community.accounts.models import User
from community.core.errors import NotAllowed


def viewer() -> User | None:
    """The signed-in user, or ``None`` for a visitor (never Flask-Login's proxy)."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def signed_in() -> User:
    """The signed-in user, in a view behind ``login_required`` (anyone else: not allowed)."""
    user = viewer()
    if user is None:
        raise NotAllowed()
    return user
