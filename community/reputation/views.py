"""The boards, a person's leaderboard setting, and public reputation pages."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from community.accounts.viewer import viewer
from community.core.safe_urls import safe_next
from community.questions.topics import Topic
from community.reputation import listing, profiles, rules, standings
from community.reputation.boards import Period
from community.reputation.forms import AppearanceForm

bp = Blueprint("leaderboard", __name__)

PERIOD_LABELS = {
    Period.WEEK: _l("This week"),
    Period.MONTH: _l("This month"),
    Period.ALL: _l("All time"),
}
RULE_LABELS = {
    rules.EventKind.ASSIST_PUBLISHED: _l("A moderator publishes your assist"),
    rules.EventKind.ASSIST_HELPFUL: _l("The asker says your assist helped them"),
    rules.EventKind.COACH_THANKED: _l("You tell the coach on your question that they helped"),
}


def _period(value: str | None) -> Period:
    try:
        return Period(value)
    except ValueError:
        return Period.ALL


def _topic(value: str | None) -> Topic | None:
    try:
        return Topic(value) if value else None
    except ValueError:
        return None


@bp.route("/leaderboard/")
def index():
    user = viewer()
    period, topic = _period(request.args.get("period")), _topic(request.args.get("topic"))
    board = standings.current_board(period, topic)
    rows = standings.top(current_app.config["LEADERBOARD_SIZE"], board)
    ask = listing.needs_asking(user)
    return render_template(
        "leaderboard/index.html",
        rows=rows,
        mine=standings.rank_of(user, board),
        ranked=user is not None and user.is_ranked,
        signed_in=user is not None,
        period=period,
        topic=topic,
        periods=[(p, PERIOD_LABELS[p]) for p in (Period.WEEK, Period.MONTH, Period.ALL)],
        topics=list(Topic),
        board_name=_board_name(period, topic),
        ask=ask,
        choice_form=AppearanceForm(formdata=None, next=request.full_path) if ask else None,
        point_rules=[(RULE_LABELS[kind], points) for kind, points in rules.POINTS.items()],
        daily_cap=current_app.config["LEADERBOARD_DAILY_CAP"],
    )


def _board_name(period: Period, topic: Topic | None) -> str:
    if topic is None:
        return str(PERIOD_LABELS[period])
    return _("%(period)s, %(topic)s", period=PERIOD_LABELS[period], topic=topic.label)


@bp.route("/me/settings", methods=["GET", "POST"])
@login_required
def settings():
    user = viewer()
    form = AppearanceForm()
    if request.method == "POST":
        chooser = listing.check_can_choose(user)  # staff: 403, whatever the form says
        if form.validate_on_submit():
            appear = form.appear.data == "yes"
            listing.choose(chooser, appear)
            if appear:
                flash(_("You are on the leaderboard now. You can change this any time."), "success")
            else:
                flash(
                    _("You are off the leaderboard. You can still see your own place there."),
                    "success",
                )
            return redirect(safe_next(form.next.data, url_for("leaderboard.settings")))
    elif user is not None and user.is_ranked:
        form.appear.data = "yes" if listing.appears_on_boards(user) else "no"
    status = 422 if request.method == "POST" else 200
    return render_template(
        "leaderboard/settings.html",
        form=form,
        can_choose=user is not None and user.is_ranked,
        profile_url=url_for("leaderboard.profile", pseudonym=user.pseudonym) if user else None,
    ), status


@bp.route("/u/<pseudonym>")
def profile(pseudonym: str):
    user = viewer()
    found = profiles.profile(pseudonym, user)
    return render_template(
        "leaderboard/profile.html",
        profile=found,
        level_count=len(rules.LEVELS),
        points_to_next=(found.next_level.min_points - found.points) if found.next_level else 0,
        is_me=user is not None and user.id == found.user_id,
        all_badges=rules.BADGES,
        earned_keys={badge.key for badge in found.badges},
    )
