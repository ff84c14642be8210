"""The coach lounge: topics, replies and reports, for coaches and moderators only.

Starting a topic and replying count towards the shared posting limit
(:func:`community.core.ratelimits.posting`), like questions, assists and coach replies.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from community.accounts.models import User
from community.accounts.viewer import viewer
from community.coaches.lounge import services
from community.coaches.lounge.forms import LoungeReplyForm, TopicForm
from community.core import ratelimits
from community.core.errors import DomainError, NotAllowed
from community.core.forms import apply_domain_error, check_token

bp = Blueprint("lounge", __name__, url_prefix="/coaches/lounge")


def _me() -> User:
    user = viewer()
    if user is None:
        raise NotAllowed()
    return user


@bp.before_request
@login_required
def _coaches_and_moderators_only():
    services.check_can_use(viewer())


@bp.route("/", methods=["GET", "POST"])
@ratelimits.posting()
def index():
    form = TopicForm()
    if form.validate_on_submit():
        try:
            topic = services.start_topic(_me(), form.title.data or "", form.body.data or "")
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Your topic is in the lounge."), "success")
            return redirect(url_for("lounge.topic", topic_id=topic.id))
    topics, names = services.topics(_me())
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coaches/lounge/index.html", topics=topics, names=names, form=form
    ), status


@bp.route("/<int:topic_id>", methods=["GET", "POST"])
@ratelimits.posting()
def topic(topic_id: int):
    page = services.topic_page(topic_id, _me())
    form = LoungeReplyForm()
    if form.validate_on_submit():
        try:
            post = services.reply(_me(), topic_id, form.body.data or "")
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Your reply is in the lounge."), "success")
            return redirect(url_for("lounge.topic", topic_id=topic_id, _anchor=f"p{post.id}"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coaches/lounge/topic.html",
        page=page,
        form=form,
    ), status


@bp.route("/posts/<int:post_id>")
def post(post_id: int):
    found = services.get_post(post_id, _me())
    return redirect(
        url_for("lounge.topic", topic_id=found.topic_id or found.id, _anchor=f"p{found.id}")
    )


@bp.route("/posts/<int:post_id>/report", methods=["POST"])
def report(post_id: int):
    check_token()
    found = services.get_post(post_id, _me())
    if services.report(post_id, _me()):
        flash(_("Thanks. A moderator will look at this post."), "success")
    else:
        flash(_("You have reported this post already."), "warning")
    return redirect(
        url_for("lounge.topic", topic_id=found.topic_id or found.id, _anchor=f"p{found.id}")
    )
