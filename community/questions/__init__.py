"""Questions: asking and browsing; the thread page, whose sections other features add."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the question pages, and questions as content moderation reviews."""
    from community.questions import services, views
    from moderation import api as moderation

    app.register_blueprint(views.bp)
    moderation.register_kind(app, services.content_kind())
