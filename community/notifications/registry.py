"""The kinds of notification features send, and where each kind of object can be seen.

A feature registers a :class:`NotificationType` per kind at start-up. Its callbacks build
the text and the link from the notification's kind and object reference alone: no
database queries (the list stays one query) and no post text (phones are shared).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

TYPES_KEY = "notifications.types"
LINKS_KEY = "notifications.object_links"
QUIET_KEY = "notifications.quiet_approvals"

ObjectLink = Callable[[int], str]


def _no_detail(object_type: str, object_id: int) -> str | None:
    return None


@dataclass(frozen=True)
class NotificationType:
    name: str
    message: Callable[[], object]  # a (lazy) text that names no content
    link: Callable[[str, int], str | None]  # (object_type, object_id) -> URL
    detail: Callable[[str, int], str | None] = _no_detail  # a short extra label


def register_type(app: Flask, kind: NotificationType) -> None:
    """Make notification *kind* known in *app*."""
    types = app.extensions.setdefault(TYPES_KEY, {})
    if kind.name in types:
        raise RuntimeError(f"notification type {kind.name!r} registered twice")
    types[kind.name] = kind


def get_type(name: str) -> NotificationType:
    return current_app.extensions[TYPES_KEY][name]


def register_object_link(app: Flask, object_type: str, link: ObjectLink) -> None:
    """Where the owner of an *object_type* object (by id) can see it and its decisions."""
    app.extensions.setdefault(LINKS_KEY, {})[object_type] = link


def object_link(object_type: str, object_id: int) -> str | None:
    link = current_app.extensions.get(LINKS_KEY, {}).get(object_type)
    return link(object_id) if link is not None else None


def quiet_approvals(app: Flask, object_type: str) -> None:
    """Don't tell authors when a moderator approves *object_type* content.

    For content that was visible before anyone moderated it (a reported lounge post that
    a moderator keeps): "approved" would be news about a report, not about their post.
    """
    app.extensions.setdefault(QUIET_KEY, set()).add(object_type)


def approvals_are_quiet(object_type: str) -> bool:
    return object_type in current_app.extensions.get(QUIET_KEY, set())
