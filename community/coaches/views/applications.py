"""Applying to be a coach, and moderators reviewing the applications."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from community.accounts.models import Role
from community.accounts.viewer import signed_in, viewer
from community.coaches import applications
from community.coaches.forms import DeclineForm, ProfileForm
from community.coaches.models import ApplicationState
from community.coaches.profiles import profile_of
from community.coaches.views.base import address_limit, bp
from community.core.errors import Conflict, DomainError, NotAllowed
from community.core.forms import apply_domain_error, check_token
from community.extensions import limiter
from moderation import api as moderation


@bp.route("/coaches/apply", methods=["GET", "POST"])
@login_required
@limiter.limit(address_limit, methods=["POST"])
def apply():
    user = viewer()
    if user is not None and user.role is Role.COACH:
        return redirect(url_for("coaches.my_threads"))
    try:
        applications.check_can_apply(user)
    except NotAllowed as refusal:
        # Not the general 403 page: this one says why and points to the coaches instead.
        return render_template("coaches/cannot_apply.html", reason=refusal.message), 403
    assert user is not None  # noqa: S101 - check_can_apply refuses visitors
    latest = applications.latest_application_of(user.id)
    waiting = latest if latest is not None and latest.state is ApplicationState.PENDING else None
    form = ProfileForm()
    if request.method == "GET" and latest is not None:
        revision = latest.revision
        form.fill(
            profile_of(user.id),
            (revision.display_name, revision.about_source, revision.body_source),
        )
    if form.validate_on_submit():
        try:
            applications.apply(user, form.draft())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(
                _("Thanks! A moderator will read your application soon.")
                if waiting is None
                else _("Your application is updated."),
                "success",
            )
            return redirect(url_for("coaches.apply"))
    status = 422 if request.method == "POST" else 200
    return render_template("coaches/apply.html", form=form, latest=latest, waiting=waiting), status


# The endpoint stays "coaches.applications"; the function can't share the module's name.
@bp.route("/coaches/applications", endpoint="applications")
@login_required
def review_applications():
    """Waiting applications, oldest first, for a moderator to decide on."""
    return _render_applications()


def _render_applications(decline_forms=None, status: int = 200):
    entries = applications.pending_applications(signed_in())
    forms = decline_forms or {}
    return render_template(
        "coaches/applications.html",
        entries=entries,
        decline_forms={
            e.application.id: forms.get(e.application.id)
            or DeclineForm(prefix=f"d{e.application.id}")
            for e in entries
        },
    ), status


@bp.route("/coaches/applications/<int:application_id>/approve", methods=["POST"])
@login_required
def approve_application(application_id: int):
    moderation.check_can_moderate(viewer())
    check_token()
    try:
        application = applications.approve_application(application_id, signed_in())
    except Conflict as error:
        flash(str(error.message), "warning")
    else:
        flash(
            _("Approved. %(name)s is a coach now.", name=application.revision.display_name),
            "success",
        )
    return redirect(url_for("coaches.applications"))


@bp.route("/coaches/applications/<int:application_id>/decline", methods=["POST"])
@login_required
def decline_application(application_id: int):
    moderation.check_can_moderate(viewer())
    form = DeclineForm(prefix=f"d{application_id}")
    if form.validate_on_submit():
        try:
            applications.decline_application(application_id, signed_in(), form.note.data or "")
        except Conflict as error:
            flash(str(error.message), "warning")
            return redirect(url_for("coaches.applications"))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Turned down. The applicant can read your note."), "success")
            return redirect(url_for("coaches.applications"))
    return _render_applications({application_id: form}, status=422)
