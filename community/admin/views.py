from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from community.admin import services
from community.viewer import viewer

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    services.check_is_admin(viewer())


@bp.route("/jobs")
def jobs():
    return render_template("admin/jobs.html", summary=services.outbox_summary())
