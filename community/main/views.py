"""The shell around the features: home, language, help, and a person's own posts."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from community.assists import services as assists
from community.core import health, helplines
from community.core.i18n import current_language, normalise, remember_language
from community.core.safe_urls import safe_next
from community.extensions import limiter
from community.main.forms import CountryForm, LanguageForm
from community.questions import services as questions
from community.questions.topics import Topic
from moderation import api as moderation

bp = Blueprint("main", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
def index():
    latest = questions.list_published(limit=5)
    return render_template("main/index.html", latest=latest.items, topics=list(Topic))


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """Database and Redis state for load balancers: 200 while the database answers."""
    state = health.check()
    return jsonify(state), 200 if state["database"] == "ok" else 503


@bp.route("/favicon.ico")
@limiter.exempt
def favicon():
    """Browsers ask every site for /favicon.ico; pages also link the SVG (base.html). Sent
    from memory (it is tiny), so no file stays open while a client reads slowly."""
    path = Path(current_app.static_folder or "static") / "favicon.ico"
    response = Response(path.read_bytes(), mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response


@bp.route("/help")
def help():  # noqa: A001 - the endpoint name is the page's name
    return render_template("main/help.html", regions=helplines.regions_for(current_language()))


@bp.route("/language", methods=["POST"])
def language():
    form = LanguageForm()
    fallback = url_for("main.index")
    target = safe_next(form.next.data or request.args.get("next"), fallback)
    response = redirect(target)
    if form.validate_on_submit():
        chosen = normalise(form.language.data)
        if chosen:
            remember_language(response, chosen)
    return response


@bp.route("/country", methods=["POST"])
def country():
    """Remember whose helplines (and which time zone) this reader wants; back to the page."""
    form = CountryForm()
    target = safe_next(form.next.data or request.args.get("next"), url_for("main.index"))
    response = redirect(target)
    if form.validate_on_submit():
        chosen = helplines.known_country(form.country.data)
        if chosen:
            response.set_cookie(
                current_app.config["COUNTRY_COOKIE"],
                chosen,
                max_age=ONE_YEAR,
                samesite="Lax",
                httponly=True,
                secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            )
    return response


@bp.route("/me/posts")
@login_required
def my_posts():
    user = current_user._get_current_object()  # login_required: always signed in here
    my_questions = questions.by_author(user.id)
    my_assists = assists.by_author(user.id)
    return render_template(
        "main/my_posts.html",
        questions=my_questions,
        assists=my_assists,
        question_decisions=moderation.latest_decisions(
            questions.CONTENT_TYPE, [q.id for q in my_questions]
        ),
        assist_decisions=moderation.latest_decisions(
            assists.CONTENT_TYPE, [a.id for a in my_assists]
        ),
        reasons=moderation.REASONS_BY_CODE,
    )
