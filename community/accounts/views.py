"""Sign up, log in, log out, recover a password."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from community.accounts import services
from community.accounts.forms import LogInForm, RecoverForm, SignUpForm
from community.core import ratelimits
from community.core.errors import DomainError
from community.core.forms import apply_domain_error
from community.core.safe_urls import safe_next

bp = Blueprint("accounts", __name__)


def _start_session(user, remember: bool = False) -> None:
    """A fresh session for a fresh login: nothing from before (language aside) carries over."""
    session.clear()
    login_user(user, remember=remember and services.may_stay_logged_in(user))


@bp.route("/sign-up", methods=["GET", "POST"])
@ratelimits.signup()
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignUpForm()
    if request.method == "GET" or request.form.get("reroll"):
        # A new pseudonym keeps everything else the person chose.
        form.pseudonym.data = services.propose_pseudonym()
        form.password.errors = []
        return render_template("accounts/signup.html", form=form)
    if form.validate_on_submit():
        try:
            account = services.register(
                services.Registration(
                    pseudonym=form.pseudonym.data,
                    age_band=form.age_band.data,
                    password=form.password.data,
                )
            )
        except services.UnderAge:
            return redirect(url_for("accounts.too_young"))
        except DomainError as error:
            if error.field == "pseudonym":
                form.pseudonym.data = services.propose_pseudonym()
            apply_domain_error(form, error)
        else:
            _start_session(account.user)
            # Shown once, in this response only: never put in the session or a URL.
            return render_template(
                "accounts/recovery_code.html", code=account.recovery_code, new_account=True
            )
    elif form.age_band.data == services.UNDER_13:
        return redirect(url_for("accounts.too_young"))
    return render_template("accounts/signup.html", form=form), 422


@bp.route("/sign-up/too-young")
def too_young():
    return render_template("accounts/too_young.html")


@bp.route("/log-in", methods=["GET", "POST"])
@ratelimits.login()
def login():
    next_url = safe_next(request.values.get("next"), url_for("main.index"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LogInForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.pseudonym.data, form.password.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            _start_session(user, remember=bool(form.remember.data))
            flash(_("Welcome back, %(name)s.", name=user.pseudonym), "success")
            return redirect(next_url)
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form, next=next_url), status


@bp.route("/log-out", methods=["POST"])
@login_required
def logout():
    services.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are logged out. See you soon."), "success")
    return redirect(url_for("main.index"))


@bp.route("/recover", methods=["GET", "POST"])
@ratelimits.login()
def recover():
    form = RecoverForm()
    if form.validate_on_submit():
        try:
            account = services.reset_password(
                form.pseudonym.data, form.recovery_code.data, form.password.data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            _start_session(account.user)
            return render_template(
                "accounts/recovery_code.html", code=account.recovery_code, new_account=False
            )
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/recover.html", form=form), status
