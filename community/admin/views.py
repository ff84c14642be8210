from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from community.accounts.viewer import viewer
from community.admin import services
from community.admin.forms import AuditFilterForm
from community.core.errors import DomainError
from community.core.forms import apply_domain_error, parse_id
from moderation import api as moderation

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    services.check_is_admin(viewer())


@bp.route("/jobs")
def jobs():
    return render_template("admin/jobs.html", summary=services.outbox_summary())


@bp.route("/audit")
def audit_log():
    """The audit log, newest first, filtered; reading it is audited too."""
    form = AuditFilterForm(request.args)
    page = None
    if form.validate():
        before = parse_id(request.args.get("before"))  # odd or huge: the first page
        try:
            page = moderation.audit_page(
                viewer(),
                moderation.AuditFilter(
                    actor=(form.actor.data or "").strip(),
                    action=(form.action.data or "").strip(),
                    object_type=(form.object_type.data or "").strip(),
                    object_id=form.object_id.data,
                    since=form.since.data,
                    until=form.until.data,
                    before=before,
                ),
            )
        except DomainError as error:
            apply_domain_error(form, error)
    args = {key: value for key, value in request.args.items() if key != "before" and value}
    return render_template(
        "admin/audit.html", form=form, page=page, args=args
    ), 200 if page is not None else 422


@bp.route("/audit/redactions/<int:redaction_id>")
def redaction(redaction_id: int):
    """Both versions of a redacted post; reading them is audited."""
    return render_template(
        "admin/redaction.html", redaction=moderation.redaction(viewer(), redaction_id)
    )
