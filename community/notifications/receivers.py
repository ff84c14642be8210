"""Tell authors when a moderator decides on their post (moderation's ``decision_made``),
takes something identifying out of it (``content_redacted``), or warns or pauses them
(``sanction_applied``)."""

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
from moderation.api import content_redacted, decision_made, find_kind, sanction_applied

APPROVED = "moderation.approved"
REJECTED = "moderation.rejected"
REDACTED = "moderation.redacted"
SANCTIONED = "moderation.sanctioned"


@decision_made.connect
def _on_decision_made(
    sender, content_type: str, content_id: int, author_id: int, decision: str, **_: object
) -> None:
    if decision == "approved":
        if not approvals_are_quiet(content_type):
            services.notify(author_id, APPROVED, content_type, content_id)
    else:
        services.notify(author_id, REJECTED, content_type, content_id)


@content_redacted.connect
def _on_content_redacted(
    sender, content_type: str, content_id: int, author_id: int, **_: object
) -> None:
    services.notify(author_id, REDACTED, content_type, content_id)


@sanction_applied.connect
def _on_sanction_applied(sender, user_id: int, sanction_id: int, **_: object) -> None:
    services.notify(user_id, SANCTIONED, "sanction", sanction_id)


def _where_to_look(object_type: str, object_id: int) -> str:
    # "My posts" shows every decision with its reason; features may name a better place.
    return object_link(object_type, object_id) or url_for("main.my_posts")


def _kind_label(object_type: str, object_id: int) -> str | None:
    kind = find_kind(object_type)
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
    register_type(
        app,
        NotificationType(
            REDACTED,
            message=lambda: _l(
                "A moderator took out a part of your post that could show who you are. "
                "The rest is public now."
            ),
            link=_where_to_look,
            detail=_kind_label,
        ),
    )
    register_type(
        app,
        NotificationType(
            SANCTIONED,
            message=lambda: _l("A moderator sent you a message about how you use Assist."),
            link=lambda object_type, object_id: url_for("standing.index"),
        ),
    )
