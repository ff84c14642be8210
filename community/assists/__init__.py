"""Assists: answers to questions, and the asker saying "this helped"."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register writing and editing assists, assists as moderated content, and their part
    of the thread page."""
    from community.assists import services, views
    from community.questions.thread import register_section
    from moderation import api as moderation

    app.register_blueprint(views.bp)
    moderation.register_kind(app, services.content_kind())
    register_section(app, views.thread_section)
