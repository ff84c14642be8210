"""Browse, read, ask and edit questions."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from community.accounts.viewer import signed_in, viewer
from community.core import ratelimits
from community.core.errors import DomainError, NotAllowed
from community.core.forms import TokenForm, apply_domain_error, check_token
from community.questions import deletion, services
from community.questions.forms import QuestionForm
from community.questions.pause import posting_pause
from community.questions.thread import render_thread
from community.questions.topics import Topic

bp = Blueprint("questions", __name__, url_prefix="/questions")


@bp.route("/")
def index():
    topic = request.args.get("topic") or None
    unanswered = request.args.get("filter") == "unanswered"
    page = services.list_published(
        topic=topic,
        unanswered=unanswered,
        after=request.args.get("after"),
        limit=current_app.config["QUESTIONS_PER_PAGE"],
    )
    return render_template(
        "questions/index.html",
        page=page,
        topics=list(Topic),
        current_topic=topic,
        unanswered=unanswered,
    )


@bp.route("/<int:question_id>")
def detail(question_id: int):
    return render_thread(services.get_visible(question_id, viewer()), viewer())


@bp.route("/ask", methods=["GET", "POST"])
@login_required
@ratelimits.posting()
def create():
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            question = services.ask(signed_in(), _draft(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(
                _(
                    "Thanks! A moderator will read your question soon. "
                    "It will be public when it's approved."
                ),
                "sent",
            )
            return redirect(url_for("questions.detail", question_id=question.id))
    if request.method == "GET":
        # Paused: say why and until when instead of a form they couldn't send.
        pause = posting_pause(viewer())
        if pause is not None:
            return render_template("questions/create.html", form=None, pause=pause)
    status = 422 if request.method == "POST" else 200
    return render_template("questions/create.html", form=form), status


@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
@ratelimits.posting()
def update(question_id: int):
    question = services.get_visible(question_id, viewer())
    if not services.can_edit(question, viewer()):
        raise NotAllowed()
    form = QuestionForm(obj=None if request.method == "POST" else question)
    if request.method == "GET":
        form.body.data = question.body_source
        form.topic.data = question.topic.value
    if form.validate_on_submit():
        try:
            services.edit(question_id, signed_in(), _draft(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Your changes are saved and waiting for a moderator."), "sent")
            return redirect(url_for("questions.detail", question_id=question_id))
    status = 422 if request.method == "POST" else 200
    return render_template("questions/update.html", form=form, question=question), status


@bp.route("/<int:question_id>/delete", methods=["GET", "POST"])
@login_required
def delete(question_id: int):
    """Ask first (a page that works without script), then delete on a POST."""
    question = deletion.check_can_delete(question_id, viewer())
    if request.method == "POST":
        check_token()
        deletion.delete(question_id, signed_in())
        flash(_("Your question is deleted. Nobody can see it any more."), "success")
        return redirect(url_for("main.my_posts"))
    return render_template(
        "questions/delete.html",
        question=question,
        form=TokenForm(),
        retention_days=current_app.config["DELETED_POSTS_RETENTION_DAYS"],
    )


def _draft(form: QuestionForm) -> services.QuestionDraft:
    return services.QuestionDraft(
        title=form.title.data or "", body=form.body.data or "", topic=form.topic.data or ""
    )
