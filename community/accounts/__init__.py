"""Accounts: pseudonymous sign-up, log-in, recovery codes; who is behind a request."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register sign-up, log-in and recovery."""
    from community.accounts import views

    app.register_blueprint(views.bp)
