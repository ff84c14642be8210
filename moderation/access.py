"""Who may do what in moderation. Services call these before they touch anything."""

from __future__ import annotations

from typing import Protocol

from community.core.errors import NotAllowed


class Actor(Protocol):
    id: int

    @property
    def can_moderate(self) -> bool: ...


def can_moderate(actor: object | None) -> bool:
    return actor is not None and bool(getattr(actor, "can_moderate", False))


def check_can_moderate(actor: Actor | None) -> None:
    """Raise :class:`NotAllowed` unless *actor* is a moderator (or safeguarding staff, or
    an admin)."""
    if not can_moderate(actor):
        raise NotAllowed()


def can_safeguard(actor: object | None) -> bool:
    return actor is not None and bool(getattr(actor, "can_safeguard", False))


def check_can_safeguard(actor: object | None) -> None:
    """Raise :class:`NotAllowed` unless *actor* is safeguarding staff (or an admin)."""
    if not can_safeguard(actor):
        raise NotAllowed()
