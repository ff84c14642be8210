"""The coach lounge: a small forum where coaches and moderators share experiences and advice.

Its posts are not public and not moderated before they appear; anyone in the lounge can
report a post, which puts it in the moderation queue.
"""

from __future__ import annotations

from flask import Flask, url_for


def init_app(app: Flask) -> None:
    """Register the lounge's pages and its posts as moderation content (reported posts);
    a moderator keeping a reported post tells its author nothing."""
    from community.coaches.lounge import services, views
    from community.notifications.registry import quiet_approvals, register_object_link
    from moderation import api as moderation

    app.register_blueprint(views.bp)
    moderation.register_kind(app, services.content_kind())
    register_object_link(
        app, services.CONTENT_TYPE, lambda post_id: url_for("lounge.post", post_id=post_id)
    )
    quiet_approvals(app, services.CONTENT_TYPE)
