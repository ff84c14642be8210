"""Main: the home page, "Need help now?", the language switch and my posts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the main pages."""
    from community.main import views

    app.register_blueprint(views.bp)
