"""Coaches: vetted adult volunteers with lived experience, whom the asker chooses.

* :mod:`.profiles` – who is a coach; the profile (public text moderated like any post);
* :mod:`.applications` – applying to be a coach, and a moderator's decision;
* :mod:`.directory` – the public directory: who is listed and who can be chosen now;
* :mod:`.thread_requests` – coach requests: the asker asks a coach onto their thread, the
  coach accepts or declines, the asker takes it back or lets the coach go, time runs out;
* :mod:`.coach_replies` – what the chosen coach writes in the thread;
* :mod:`.notification_types` – the notifications all of these send;
* :mod:`.views` – the ``coaches`` blueprint; :mod:`.cli` – ``flask coaches …``;
* :mod:`.lounge` – a small forum only coaches and moderators can see.

:func:`init_app` is the only place any of it is registered with an app.
"""

from __future__ import annotations

from flask import Flask, url_for


def init_app(app: Flask) -> None:
    """Register coaches with *app*: the pages, profile text as moderation content, the
    notification types, the expiry job, the thread sections, the header links, the CLI and
    the lounge. Call it before moderation's ``init_app`` (it needs the content kinds)."""
    from community.assists.names import register_author_names
    from community.coaches import cli, lounge, notification_types, profiles, thread_requests, views
    from community.core import jobs
    from community.notifications.registry import register_object_link
    from community.questions.thread import register_section
    from moderation import api as moderation

    app.register_blueprint(views.bp)
    moderation.register_kind(app, profiles.content_kind())
    notification_types.register(app)
    # A decision on profile text links the coach to their own profile page.
    register_object_link(app, profiles.PROFILE_CONTENT_TYPE, lambda _id: url_for("coaches.profile"))
    jobs.job(thread_requests.EXPIRE_REQUESTS_JOB)(thread_requests.expire_requests)
    register_section(app, views.threads.panel_section, order=10)  # above the assists (50)
    register_section(app, views.threads.reply_section, order=60)  # below them
    register_author_names(app, views.threads.coach_reply_names)
    app.context_processor(views.coach_nav)
    cli.init_app(app)
    lounge.init_app(app)
