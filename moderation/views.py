"""The moderator queue: read pending posts, approve or reject them with a reason."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from community.errors import Conflict, DomainError
from community.forms import apply_domain_error
from community.viewer import viewer
from moderation import services
from moderation.forms import ApproveForm, RejectForm

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.before_request
@login_required
def _moderators_only():
    services.check_can_moderate(viewer())


def _render_queue(reject_forms=None, status: int = 200):
    entries = services.open_queue(viewer())
    forms = reject_forms or {}
    return render_template(
        "moderation/index.html",
        entries=entries,
        approve_form=ApproveForm(),
        reject_forms={
            e.item.id: forms.get(e.item.id) or RejectForm(prefix=f"r{e.item.id}") for e in entries
        },
        reasons=services.REASONS_BY_CODE,
    ), status


@bp.route("/")
def index():
    return _render_queue()


@bp.route("/items/<int:item_id>/approve", methods=["POST"])
def approve(item_id: int):
    if not ApproveForm().validate_on_submit():
        return render_template("errors/400.html"), 400
    try:
        services.approve(item_id, viewer())
    except Conflict as error:
        flash(str(error.message), "warning")
        return redirect(url_for("moderation.index"))
    flash(_("Approved. It is public now."), "success")
    return redirect(url_for("moderation.index"))


@bp.route("/items/<int:item_id>/reject", methods=["POST"])
def reject(item_id: int):
    form = RejectForm(prefix=f"r{item_id}")
    if form.validate_on_submit():
        try:
            services.reject(item_id, viewer(), form.reason.data or "", form.note.data or "")
        except Conflict as error:
            flash(str(error.message), "warning")
            return redirect(url_for("moderation.index"))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Rejected. The author can see why and try again."), "success")
            return redirect(url_for("moderation.index"))
    return _render_queue({item_id: form}, status=422)
