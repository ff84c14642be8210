"""In-app notifications: a bell with an unread count and a list that marks read on POST.

A notification names a *kind* and an object (type and id), never any post text: phones
are shared. Features register the kinds they send in :mod:`community.notifications.registry`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the notifications page, the receivers that send notifications, and the bell
    every page's header shows."""
    from community.notifications import receivers, views

    app.register_blueprint(views.bp)
    receivers.init_app(app)
    app.context_processor(views.bell)
