"""The coach part of a thread: the asker asks a coach (from the thread or the directory) or
lets them go, the coach answers the request, and the chosen coach writes coach replies.

Two thread sections show it on the question's page (:func:`panel_section`,
:func:`reply_section`), and :func:`coach_reply_names` shows coach replies under the coach's
display name; :func:`community.coaches.init_app` registers them.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from community.accounts.models import Role, User
from community.accounts.viewer import signed_in, viewer
from community.assists.models import Assist
from community.coaches import coach_replies, profiles, thread_requests
from community.coaches.forms import ChooseCoachForm, ChooseFromListForm, CoachReplyForm
from community.coaches.models import RequestState
from community.coaches.notification_types import thread_url
from community.coaches.views.base import address_limit, bp
from community.core import ratelimits
from community.core.errors import Conflict, DomainError
from community.core.forms import apply_domain_error, check_submitted, check_token, parse_id
from community.extensions import limiter
from community.questions import services as questions
from community.questions.models import Question
from community.questions.thread import ThreadSection, render_refused

PANEL_TEMPLATE = "coaches/_thread_panel.html"
REPLY_TEMPLATE = "coaches/_reply.html"


# -- the asker asks a coach, or lets them go ---------------------------------------------------


@bp.route("/coach-requests", methods=["POST"])
@login_required
@limiter.limit(address_limit)
def request_coach():
    form = ChooseCoachForm()
    check_submitted(form)
    question_id = parse_id(form.question.data)
    if question_id is None:
        abort(400)
    profile_id = parse_id(form.coach.data)
    if profile_id is None:
        flash(_("Choose a coach first."), "warning")
        return redirect(thread_url(question_id))
    try:
        chosen = thread_requests.request_coach(signed_in(), question_id, profile_id)
    except Conflict as error:
        flash(str(error.message), "warning")
        return redirect(thread_url(question_id))
    flash(
        _(
            "We asked %(name)s to join. You'll get a message when they answer.",
            name=chosen.coach_profile.display_name,
        ),
        "success",
    )
    return redirect(thread_url(question_id))


@bp.route("/questions/<int:question_id>/coach/release", methods=["POST"])
@login_required
def release(question_id: int):
    check_token()
    try:
        ended = thread_requests.release(question_id, signed_in())
    except Conflict as error:
        flash(str(error.message), "warning")
    else:
        flash(
            _("The request is taken back. You can choose another coach.")
            if ended.state is RequestState.WITHDRAWN
            else _("The coach has left your thread. Thanks for letting them help."),
            "success",
        )
    return redirect(thread_url(question_id))


# -- the coach answers -------------------------------------------------------------------------


@bp.route("/coach-requests/<int:request_id>/accept", methods=["POST"])
@login_required
def accept(request_id: int):
    return _respond(request_id, accept=True)


@bp.route("/coach-requests/<int:request_id>/decline", methods=["POST"])
@login_required
def decline(request_id: int):
    return _respond(request_id, accept=False)


def _respond(request_id: int, accept: bool):
    check_token()
    try:
        answered = thread_requests.respond(request_id, signed_in(), accept)
    except Conflict as error:
        flash(str(error.message), "warning")
        return redirect(url_for("coaches.my_threads"))
    if accept:
        flash(_("You joined the thread. Write your coach's reply below."), "success")
        return redirect(thread_url(answered.question_id, anchor="coach-reply"))
    flash(_("You said no. We told the asker, so they can choose someone else."), "success")
    return redirect(url_for("coaches.my_threads"))


# -- coach replies -----------------------------------------------------------------------------


@bp.route("/questions/<int:question_id>/coach-replies", methods=["POST"])
@login_required
@ratelimits.posting()
def reply(question_id: int):
    question = questions.get_visible(question_id, viewer())
    coach_replies.check_can_reply(question, viewer())  # 403 before anything is read or saved
    form = CoachReplyForm()
    if form.validate_on_submit():
        try:
            written = coach_replies.reply(signed_in(), question_id, form.body.data or "")
        except DomainError as error:
            if error.field is None:
                raise
            apply_domain_error(form, error)
        else:
            flash(
                _("Your coach's reply is published.")
                if written.is_published
                else _("Thanks! A moderator will read your coach's reply soon."),
                "success",
            )
            return redirect(thread_url(question_id, anchor=f"a{written.id}"))
    return render_refused(question, viewer(), reply_section(question, viewer(), form))


# -- what the thread shows ---------------------------------------------------------------------


def panel_section(question: Question, user: User | None) -> ThreadSection | None:
    """Who the thread's coach is; for the asker, choosing or letting one go; for a coach
    who was asked, saying yes or no."""
    if not question.is_published and (user is None or user.id != question.author_id):
        return None
    coach = thread_requests.thread_coach(question, user)
    found = coach.coach_request
    accepted = found is not None and found.state is RequestState.ACCEPTED
    if not (accepted or coach.is_asker or coach.is_requested_coach):
        return None  # nothing to show: a pending request is between the asker and the coach
    form = ChooseFromListForm()
    form.question.data = str(question.id)
    form.coach.choices = [
        SelectChoice(str(c.profile.id), c.profile.display_name or "") for c in coach.choices
    ]
    return ThreadSection(
        template=PANEL_TEMPLATE,
        context={"question": question, "coach": coach, "choose_form": form},
    )


def reply_section(
    question: Question, user: User | None, form: CoachReplyForm | None = None
) -> ThreadSection | None:
    """The coach's reply form, only for the coach the asker chose and who said yes."""
    if user is None or user.role is not Role.COACH or not question.is_published:
        return None
    if not coach_replies.can_reply(question, user):
        return None
    return ThreadSection(
        template=REPLY_TEMPLATE,
        context={
            "question": question,
            "form": form or CoachReplyForm(),
            "trusted": coach_replies.is_trusted(),
        },
    )


def coach_reply_names(assists: Sequence[Assist]) -> dict[int, str]:
    """Coach replies show the coach's display name, never their pseudonym (by assist id)."""
    replies = [a for a in assists if a.is_coach_reply]
    names = profiles.display_names(a.author_id for a in replies)
    return {a.id: names[a.author_id] for a in replies if a.author_id in names}
