from __future__ import annotations

from flask import Blueprint, current_app, render_template

from community.leaderboard import services
from community.viewer import viewer

bp = Blueprint("leaderboard", __name__, url_prefix="/leaderboard")


@bp.route("/")
def index():
    user = viewer()
    rows = services.top(current_app.config["LEADERBOARD_SIZE"])
    return render_template(
        "leaderboard/index.html",
        rows=rows,
        mine=services.rank_of(user) if user is not None else None,
        ranked=user is not None and user.is_ranked,
    )
