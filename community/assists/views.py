"""Write and edit assists; the asker marks one as helpful."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from community.accounts.models import User
from community.accounts.viewer import signed_in, viewer
from community.assists import deletion, services
from community.assists.deletion import deleted_for_moderators
from community.assists.forms import AssistForm
from community.assists.names import author_names
from community.core import ratelimits
from community.core.errors import DomainError, NotAllowed
from community.core.forms import TokenForm, apply_domain_error, check_token
from community.questions import services as questions
from community.questions.models import Question
from community.questions.pause import posting_pause
from community.questions.thread import ThreadSection, render_refused
from moderation import api as moderation

bp = Blueprint("assists", __name__)


def thread_section(
    question: Question, user: User | None, form: AssistForm | None = None
) -> ThreadSection:
    """The assists under a question, and the form to write one when the viewer may."""
    assists = services.for_thread(question.id, user)
    # Someone paused sees why and until when instead of the form (one query, like can_post).
    pause = posting_pause(user) if services.could_assist(question, user) else None
    return ThreadSection(
        template="assists/_thread.html",
        context={
            "question": question,
            "assists": assists,
            "helpful_ids": {a.id for a in assists if services.can_mark_helpful(a, question, user)},
            "editable_ids": {a.id for a in assists if services.can_edit(a, user)},
            "deletable_ids": {a.id for a in assists if deletion.can_delete(a, user)},
            "reported_ids": _reported(assists, user),
            "author_names": author_names(assists),
            "helpful_form": TokenForm(),
            "assist_form": form or AssistForm(),
            "can_assist": services.could_assist(question, user) and pause is None,
            "pause": pause,
            "is_asker": user is not None and user.id == question.author_id,
        },
    )


def _reported(assists, user: User | None) -> frozenset[int]:
    """The assists on the page the viewer reported already (one query, if any could be)."""
    if user is None:
        return frozenset()
    ids = [a.id for a in assists if a.is_published and a.author_id != user.id]
    return moderation.reported_by(user, services.CONTENT_TYPE, ids)


@bp.route("/questions/<int:question_id>/assists", methods=["POST"])
@login_required
@ratelimits.posting()
def create(question_id: int):
    question = questions.get_visible(question_id, viewer())
    services.check_can_assist(question, viewer())  # refuse before reading the form
    form = AssistForm()
    if form.validate_on_submit():
        try:
            assist = services.write(signed_in(), question_id, form.body.data or "")
        except DomainError as error:
            if error.field is None:
                raise
            apply_domain_error(form, error)
        else:
            flash(_("Thanks for helping! A moderator will read your assist soon."), "sent")
            return redirect(
                url_for("questions.detail", question_id=question_id, _anchor=f"a{assist.id}")
            )
    return render_refused(question, viewer(), thread_section(question, viewer(), form))


@bp.route("/assists/<int:assist_id>/edit", methods=["GET", "POST"])
@login_required
@ratelimits.posting()
def update(assist_id: int):
    assist = services.get_own(assist_id, viewer())
    if not services.can_edit(assist, viewer()):
        raise NotAllowed()
    form = AssistForm()
    if request.method == "GET":
        form.body.data = assist.body_source
    if form.validate_on_submit():
        try:
            services.edit(assist_id, signed_in(), form.body.data or "")
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Your changes are saved and waiting for a moderator."), "sent")
            return redirect(
                url_for("questions.detail", question_id=assist.question_id, _anchor=f"a{assist.id}")
            )
    status = 422 if request.method == "POST" else 200
    return render_template("assists/update.html", form=form, assist=assist), status


@bp.route("/assists/<int:assist_id>/helpful", methods=["POST"])
@login_required
def helpful(assist_id: int):
    check_token()
    assist = services.mark_helpful(assist_id, signed_in())
    flash(_("Thanks for telling them it helped!"), "success")
    return redirect(
        url_for("questions.detail", question_id=assist.question_id, _anchor=f"a{assist.id}")
    )


@bp.route("/assists/<int:assist_id>/delete", methods=["GET", "POST"])
@login_required
def delete(assist_id: int):
    """Ask first (a page that works without script), then delete on a POST."""
    assist = deletion.check_can_delete(assist_id, viewer())
    if request.method == "POST":
        check_token()
        deletion.delete(assist_id, signed_in())
        flash(_("Your assist is deleted. Nobody can see it any more."), "success")
        return redirect(url_for("questions.detail", question_id=assist.question_id))
    return render_template(
        "assists/delete.html",
        assist=assist,
        form=TokenForm(),
        retention_days=current_app.config["DELETED_POSTS_RETENTION_DAYS"],
    )


@bp.route("/deleted-posts")
@login_required
def deleted_posts():
    """What authors deleted lately, for moderators and safeguarding (audited)."""
    found = deleted_for_moderators(viewer())
    return render_template(
        "assists/deleted_posts.html",
        questions=found.questions,
        assists=found.assists,
        retention_days=current_app.config["DELETED_POSTS_RETENTION_DAYS"],
    )
