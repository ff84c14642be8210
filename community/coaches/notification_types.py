"""The notifications coaches send: their kinds, texts and links.

The kind names are stored with every notification, so they never change. A text names no
content (phones are shared); the link goes to the thread, the coach's own threads or the
application page.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l

from community.notifications.registry import NotificationType, register_type

# About a coach request (object: the coach request, or the question for the asker).
REQUESTED = "coach.requested"  # to the coach
ACCEPTED = "coach.accepted"  # to the asker
DECLINED = "coach.declined"  # to the asker
EXPIRED = "coach.expired"  # to the asker
WITHDRAWN = "coach.withdrawn"  # to the coach: the asker took a pending request back
RELEASED = "coach.released"  # to the coach: the asker let an accepted coach go

# About an application to become a coach.
APPLICATION_APPROVED = "coach.application_approved"
APPLICATION_DECLINED = "coach.application_declined"

_TYPES = (
    (REQUESTED, _l("Someone asked you to join a thread."), "threads"),
    (
        ACCEPTED,
        _l("The coach you chose said yes. They can reply in your thread now."),
        "question",
    ),
    (
        DECLINED,
        _l("The coach you chose can't join right now. You can choose someone else."),
        "question",
    ),
    (
        EXPIRED,
        _l("The coach you chose didn't answer in time. You can choose someone else."),
        "question",
    ),
    (WITHDRAWN, _l("A request to join a thread was taken back."), "threads"),
    (RELEASED, _l("You are no longer the coach in one of your threads."), "threads"),
    (APPLICATION_APPROVED, _l("Welcome! You are a coach now."), "threads"),
    (
        APPLICATION_DECLINED,
        _l("Your coach application was not approved this time. See why."),
        "apply",
    ),
)


def thread_url(question_id: int, anchor: str = "thread-coach") -> str:
    """A thread, scrolled to its coach part (or to *anchor*)."""
    return url_for("questions.detail", question_id=question_id, _anchor=anchor)


def _message(text: object) -> Callable[[], object]:
    return lambda: text


def _link(target: str):
    def link(object_type: str, object_id: int) -> str:
        if target == "question":
            return thread_url(object_id)
        if target == "apply":
            return url_for("coaches.apply")
        return url_for("coaches.my_threads")

    return link


def register(app: Flask) -> None:
    """Make every coach notification kind known in *app*."""
    for name, message, target in _TYPES:
        register_type(app, NotificationType(name, message=_message(message), link=_link(target)))
