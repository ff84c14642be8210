"""A coach's own pages: their profile, being away, and the threads they are asked to or in."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from community.accounts.viewer import signed_in
from community.coaches import profiles, thread_requests
from community.coaches.forms import AwayForm, ProfileForm
from community.coaches.views.base import address_limit, bp
from community.core.errors import DomainError
from community.core.forms import apply_domain_error, check_submitted
from community.core.posts import ContentStatus
from community.extensions import limiter
from moderation import api as moderation


@bp.route("/coaches/me/profile", methods=["GET", "POST"])
@login_required
@limiter.limit(address_limit, methods=["POST"])
def profile():
    user = signed_in()
    own = profiles.own_profile(user, create=False)
    latest = profiles.open_revision(own)
    form = ProfileForm()
    if request.method == "GET":
        texts: tuple[str | None, str | None, str | None]
        if latest is not None and latest.status is ContentStatus.PENDING:
            texts = (latest.display_name, latest.about_source, latest.body_source)
        else:
            texts = (own.display_name, own.about_source, own.experience_source)
        form.fill(own, texts)
    if form.validate_on_submit():
        try:
            sent = profiles.edit_profile(user, form.draft())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(
                _("Saved. Your new text shows when a moderator has approved it.")
                if sent
                else _("Saved."),
                "success",
            )
            return redirect(url_for("coaches.profile"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coaches/profile.html",
        form=form,
        profile=own,
        latest=latest,
        decision=profiles.revision_decision(latest),
        reasons=moderation.REASONS_BY_CODE,
    ), status


@bp.route("/coaches/me/away", methods=["POST"])
@login_required
def away():
    form = AwayForm()
    check_submitted(form)
    paused = form.away.data == "1"
    profiles.set_away(signed_in(), paused)
    flash(
        _("You are away. Nobody can choose you until you come back.")
        if paused
        else _("Welcome back! Young people can choose you again."),
        "success",
    )
    return redirect(url_for("coaches.my_threads"))


@bp.route("/coaches/me/threads")
@login_required
def my_threads():
    user = profiles.check_is_coach(signed_in())
    return render_template("coaches/my_threads.html", threads=thread_requests.my_threads(user))
