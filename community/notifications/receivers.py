"""Tell authors when a moderator decides on their post (moderation's ``decision_made``)."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l

from community.notifications import services
from community.notifications.registry import (
    NotificationType,
    approvals_are_quiet,
    object_link,
    register_type,
)
from moderation.registry import all_kinds
from moderation.signals import decision_made

APPROVED = "moderation.approved"
REJECTED = "moderation.rejected"


@decision_made.connect
def _on_decision_made(
    sender, content_type: str, content_id: int, author_id: int, decision: str, **_: object
) -> None:
    if decision == "approved":
        if not approvals_are_quiet(content_type):
            services.notify(author_id, APPROVED, content_type, content_id)
    else:
        services.notify(author_id, REJECTED, content_type, content_id)


def _where_to_look(object_type: str, object_id: int) -> str:
    # "My posts" shows every decision with its reason; features may name a better place.
    return object_link(object_type, object_id) or url_for("main.my_posts")


def _kind_label(object_type: str, object_id: int) -> str | None:
    kind = all_kinds().get(object_type)
    return str(kind.label()) if kind is not None else None


def init_app(app: Flask) -> None:
    register_type(
        app,
        NotificationType(
            APPROVED,
            message=lambda: _l("A moderator approved your post. Everyone can see it now."),
            link=_where_to_look,
            detail=_kind_label,
        ),
    )
    register_type(
        app,
        NotificationType(
            REJECTED,
            message=lambda: _l("A moderator couldn't publish your post. See why and try again."),
            link=_where_to_look,
            detail=_kind_label,
        ),
    )
