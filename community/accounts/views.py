"""Sign up, log in, log out, recover a password, change it."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from community.accounts import services
from community.accounts.forms import (
    ChangePasswordForm,
    LogInForm,
    RecoverForm,
    RecoveryCodeLanguageForm,
    SignUpForm,
)
from community.accounts.viewer import signed_in
from community.core import ratelimits
from community.core.errors import DomainError
from community.core.forms import apply_domain_error
from community.core.i18n import normalise, remember_language
from community.core.safe_urls import safe_next

bp = Blueprint("accounts", __name__)

OFFERED = "offered_pseudonyms"  # in the session: the pseudonyms sign-up offered this visitor
OFFERED_KEPT = 10


def _start_session(user, remember: bool = False) -> None:
    """A fresh session for a fresh login: nothing from before (language aside) carries over."""
    session.clear()
    # The CSRF token this request made before (for the form just sent) belonged to the old
    # session: forget it, so every form on the page we now show gets one that works.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    login_user(user, remember=remember and services.may_stay_logged_in(user))


def _next_url() -> str | None:
    """Where the visitor was going (a path on this site), or None."""
    return safe_next(request.values.get("next"), "") or None


def _offer_pseudonym() -> str:
    """A fresh pseudonym, remembered as offered to this visitor. Sign-up accepts only these,
    so nobody can use it to test whether a name of their choosing exists."""
    name = services.propose_pseudonym()
    session[OFFERED] = [*session.get(OFFERED, [])[-(OFFERED_KEPT - 1) :], name]
    return name


NOT_OFFERED = _l("Pick one of the pseudonyms we suggest.")


@bp.route("/sign-up", methods=["GET", "POST"])
@ratelimits.signup()
def signup():
    next_url = _next_url()
    if current_user.is_authenticated:
        return redirect(next_url or url_for("main.index"))
    form = SignUpForm()
    if request.method == "GET" or request.form.get("reroll"):
        # A new pseudonym keeps everything else the person chose.
        form.pseudonym.data = _offer_pseudonym()
        form.password.errors = []
        return render_template("accounts/signup.html", form=form, next=next_url)
    if form.validate_on_submit():
        try:
            if form.pseudonym.data not in session.get(OFFERED, []):
                services.parse_age_band(form.age_band.data)  # under 13: the kind page first
                raise DomainError(NOT_OFFERED, field="pseudonym")
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
                form.pseudonym.data = _offer_pseudonym()
            apply_domain_error(form, error)
        else:
            _start_session(account.user)
            # Shown once, in this response only: never put in the session or a URL.
            return render_template(
                "accounts/recovery_code.html",
                code=account.recovery_code,
                new_account=True,
                next=next_url,
                recovery_code_page=True,
            )
    elif form.age_band.data == services.UNDER_13:
        return redirect(url_for("accounts.too_young"))
    return render_template("accounts/signup.html", form=form, next=next_url), 422


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
        except services.InvalidCredentials as error:
            ratelimits.note_login_failure()
            apply_domain_error(form, error)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            _start_session(user, remember=bool(form.remember.data))
            flash(_("Welcome back, %(name)s.", name=user.pseudonym), "success")
            return redirect(next_url)
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form, next=_next_url()), status


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
            if error.field == "recovery_code":
                ratelimits.note_login_failure()
            apply_domain_error(form, error)
        else:
            _start_session(account.user)
            return render_template(
                "accounts/recovery_code.html",
                code=account.recovery_code,
                new_account=False,
                recovery_code_page=True,
            )
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/recover.html", form=form), status


@bp.route("/recovery-code/language", methods=["POST"])
@login_required
def recovery_code_language():
    """The recovery-code page again, in the language just chosen, with the same code.

    A plain language switch would reload the page without the code, which is shown once:
    here the code comes back in the form and is shown only if it is the person's own.
    """
    form = RecoveryCodeLanguageForm()
    chosen = normalise(form.language.data)
    if not (form.validate_on_submit() and chosen) or not services.holds_recovery_code(
        signed_in(), form.code.data
    ):
        return redirect(url_for("main.index"))
    with force_locale(chosen):
        page = render_template(
            "accounts/recovery_code.html",
            code=form.code.data,
            new_account=form.new_account.data == "1",
            next=safe_next(form.next.data, url_for("main.index")),
            recovery_code_page=True,
            current_language=chosen,
        )
    response = make_response(page)
    remember_language(response, chosen)
    return response


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
@ratelimits.password_change()
def change_password():
    user = signed_in()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            # Every other session (and "keep me logged in" token) ended; this one goes on,
            # with a new session and, if this device had one, a new token.
            kept = (
                current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            )
            _start_session(user, remember=kept)
            flash(
                _("Your password is changed. You are logged out on every other device."),
                "success",
            )
            return redirect(url_for("leaderboard.settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/change_password.html", form=form), status
