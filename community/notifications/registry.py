"""The kinds of notification features send, and where each kind of object can be seen.

A feature registers a :class:`NotificationType` per kind at start-up. Its callbacks build
the text and the link from the notification's kind and object reference alone: no
database queries (the list stays one query) and no post text (phones are shared).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from community.core.registry import Registry

ObjectLink = Callable[[int], str]


def _no_detail(object_type: str, object_id: int) -> str | None:
    return None


@dataclass(frozen=True)
class NotificationType:
    """A kind of notification. Kinds with *grouped* show as one line per thread on the list
    ("3 new assists on your question"): the text gets how many there are and their amounts
    added up (e.g. points), and opening the line reads them all."""

    name: str
    message: Callable[[], object]  # a (lazy) text that names no content
    link: Callable[[str, int], str | None]  # (object_type, object_id) -> URL
    detail: Callable[[str, int], str | None] = _no_detail  # a short extra label
    grouped: Callable[[int, int], object] | None = None  # (count, amount) -> text
    # For notifications in a thread: (thread_id, object_type, object_id) -> URL.
    thread_link: Callable[[int, str, int], str] | None = None
    # About public content (an assist): the list leaves it out once that is no longer public.
    about_public: bool = False


TYPES: Registry[NotificationType] = Registry("notifications.types", "notification type")
LINKS: Registry[ObjectLink] = Registry("notifications.object_links", "object link", replace=True)
# Object types whose approvals nobody is told about (the entry is always True).
QUIET: Registry[bool] = Registry("notifications.quiet_approvals", "quiet type", replace=True)


def register_type(app: Flask, kind: NotificationType) -> None:
    """Make notification *kind* known in *app*."""
    TYPES.register(app, kind.name, kind)


def get_type(name: str) -> NotificationType:
    return TYPES.get(name)


def public_kinds() -> list[str]:
    """The kinds about public content, shown only while it is public."""
    return sorted(name for name, kind in TYPES.all().items() if kind.about_public)


def grouped_kinds() -> list[str]:
    """The kinds the list shows as one line per thread."""
    return sorted(name for name, kind in TYPES.all().items() if kind.grouped is not None)


def register_object_link(app: Flask, object_type: str, link: ObjectLink) -> None:
    """Where the owner of an *object_type* object (by id) can see it and its decisions."""
    LINKS.register(app, object_type, link)


def object_link(object_type: str, object_id: int) -> str | None:
    link = LINKS.find(object_type)
    return link(object_id) if link is not None else None


def quiet_approvals(app: Flask, object_type: str) -> None:
    """Don't tell authors when a moderator approves *object_type* content.

    For content that was visible before anyone moderated it (a reported lounge post that
    a moderator keeps): "approved" would be news about a report, not about their post.
    """
    QUIET.register(app, object_type, True)


def approvals_are_quiet(object_type: str) -> bool:
    return object_type in QUIET
