"""In-app notifications: a bell with an unread count and a list that marks read on POST.

A notification names a *kind* and an object (type and id), never any post text: phones
are shared. Features register the kinds they send in :mod:`community.notifications.registry`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the notifications page, the receivers that send notifications, the bell
    every page's header shows, the follow button on question pages, and the purge command."""
    from community.notifications import activity, cli, receivers, views
    from community.questions.thread import register_section

    app.register_blueprint(views.bp)
    receivers.init_app(app)
    activity.init_app(app)
    cli.init_app(app)
    app.context_processor(views.bell)
    register_section(app, views.follow_section, order=5)  # right under the question
