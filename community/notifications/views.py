"""The notification list (read on POST), the bell's unread count in the header, and
following a question (its button is a section of the thread page)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from community.accounts.models import User
from community.accounts.viewer import signed_in
from community.core.forms import check_token
from community.core.safe_urls import safe_next
from community.notifications import follows, services
from community.questions.models import Question
from community.questions.thread import ThreadSection

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@login_required
def index():
    items = services.recent(signed_in())
    return render_template(
        "notifications/index.html",
        items=items,
        has_unread=any(item.is_unread for item in items),
    )


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id: int):
    check_token()
    target = services.open_one(notification_id, signed_in())
    return redirect(safe_next(target, url_for("notifications.index")))


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    check_token()
    services.mark_all_read(signed_in())
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/follow/<int:question_id>", methods=["POST"])
@login_required
def follow(question_id: int):
    check_token()
    follows.follow(signed_in(), question_id)
    flash(_("You follow this question now. We'll tell you about new assists."), "success")
    return redirect(url_for("questions.detail", question_id=question_id, _anchor="follow"))


@bp.route("/unfollow/<int:question_id>", methods=["POST"])
@login_required
def unfollow(question_id: int):
    check_token()
    follows.unfollow(signed_in(), question_id)
    flash(_("You don't follow this question any more."), "success")
    return redirect(url_for("questions.detail", question_id=question_id, _anchor="follow"))


def follow_section(question: Question, viewer: User | None) -> ThreadSection | None:
    """The follow or unfollow button, for young people on a published question."""
    if viewer is None or not question.is_published or not follows.may_follow(viewer):
        return None
    is_asker = viewer.id == question.author_id
    return ThreadSection(
        template="notifications/_follow.html",
        context={
            "question": question,
            "is_asker": is_asker,
            "following": not is_asker and follows.is_following(viewer.id, question.id),
        },
    )


def _bell_count() -> int | None:
    """Unread notifications for the header (one query); ``None`` for visitors."""
    if not current_user.is_authenticated:
        return None
    try:
        return services.unread_count(current_user.id)
    except SQLAlchemyError:
        # The bell is a nicety: an error page about a broken database must still render.
        return None


def bell() -> dict:
    """The header's bell: the unread count (read when the template asks) and its cap."""
    return {"unread_notifications": _bell_count, "bell_max": services.BELL_MAX}
