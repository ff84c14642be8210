"""Domain errors raised by services and how they reach the user.

Services raise these; views either map them onto a form or let them propagate,
in which case :func:`init_app` turns :class:`NotFound` into a 404 page and
:class:`NotAllowed` into a 403 page.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from community.core.clock import utcnow

# Form fields never echoed back on an error page.
SECRET_FIELDS = frozenset({"password", "csrf_token", "recovery_code"})


class DomainError(Exception):
    """A rule said no. ``message`` is translated text fit to show the user."""

    default_message = _l("That can't be done.")

    def __init__(self, message: object | None = None, *, field: str | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.field = field
        super().__init__(str(self.message))


class NotFound(DomainError):
    default_message = _l("We couldn't find that page.")


class NotAllowed(DomainError):
    default_message = _l("You don't have access to this.")


class Conflict(DomainError):
    """The thing changed under the actor's feet (decided already, edited meanwhile)."""


def init_app(app: Flask) -> None:
    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(NotAllowed)
    @app.errorhandler(403)
    def forbidden(error):
        # A rule that said no explains itself (e.g. why and until when posting is paused).
        reason = error.message if isinstance(error, NotAllowed) and error.message else None
        if reason is not None and str(reason) == str(NotAllowed.default_message):
            reason = None
        return render_template("errors/403.html", reason=reason, typed=typed_fields()), 403

    @app.errorhandler(400)
    def bad_request(error):
        return render_template("errors/400.html"), 400

    @app.errorhandler(405)
    def method_not_allowed(error):
        return render_template("errors/404.html"), 405

    @app.errorhandler(413)
    def too_large(error):
        return render_template("errors/413.html"), 413

    @app.errorhandler(429)
    def too_many(error):
        return _too_many_requests()

    @app.errorhandler(500)
    def server_error(error):
        return render_template("errors/500.html"), 500

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        return _service_unavailable()

    @app.errorhandler(DBAPIError)
    def database_error(error):
        if error.connection_invalidated:
            return _service_unavailable()
        raise error


def typed_fields() -> list[tuple[str, str]]:
    """What the person typed into the form they just sent (never passwords or tokens)."""
    if request.method != "POST":
        return []
    try:
        form = request.form
    except HTTPException:  # e.g. the body was too large: nothing to give back
        return []
    return [
        (name, value)
        for name, value in form.items(multi=True)
        if name not in SECRET_FIELDS and not name.endswith(tuple(SECRET_FIELDS)) and value
    ]


def _retry_after_seconds() -> int:
    """Seconds until the limit that was hit lets the person try again (at least 1)."""
    from community.extensions import limiter

    try:
        current = limiter.current_limit
        if current is None:
            return 60
        return max(1, int(current.reset_at - time.time()))
    except Exception:  # noqa: BLE001 - the storage may be unreachable; a guess will do
        return 60


def _too_many_requests():
    """429 that says when to try again and gives back what was typed."""
    seconds = _retry_after_seconds()
    response = current_app.make_response(
        (
            render_template(
                "errors/429.html",
                typed=typed_fields(),
                minutes=max(1, -(-seconds // 60)),
                retry_at=utcnow() + timedelta(seconds=seconds),
            ),
            429,
        )
    )
    response.headers["Retry-After"] = str(seconds)
    return response


def _service_unavailable():
    """503 with Retry-After; a form's text comes back so nothing typed is lost."""
    from community.core.database import rollback_unit_of_work
    from community.extensions import login_manager

    rollback_unit_of_work()
    # The page must render without the database: show it as to a visitor.
    g._login_user = login_manager.anonymous_user()
    typed = typed_fields()
    seconds = current_app.config["RETRY_AFTER_SECONDS"]
    response = current_app.make_response(
        (render_template("errors/503.html", typed=typed, retry_after=seconds), 503)
    )
    response.headers["Retry-After"] = str(seconds)
    return response
