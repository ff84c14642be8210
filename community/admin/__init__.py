"""Pages for admins: the state of background jobs and the audit log."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the admin pages."""
    from community.admin import views

    app.register_blueprint(views.bp)
