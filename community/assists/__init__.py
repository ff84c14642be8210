"""Assists: answers to questions, and the asker saying "this helped"."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register writing and editing assists, assists as moderated content, and their part
    of the thread page, deleting one's own posts and purging them (``flask posts``)."""
    from community.assists import cli, services, views
    from community.questions.thread import register_section
    from moderation import api as moderation

    app.register_blueprint(views.bp)
    moderation.register_kind(app, services.content_kind())
    register_section(app, views.thread_section)
    app.cli.add_command(cli.posts_cli)
