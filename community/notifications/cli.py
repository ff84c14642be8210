"""``flask notifications purge`` (cron): delete notifications older than the retention time."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from community.core import jobs

notifications_cli = AppGroup("notifications", help="In-app notifications.")

PURGE_JOB = "notifications.purge"  # stored in the job outbox: never rename


def purge_old() -> int:
    """Delete notifications older than ``NOTIFICATIONS_KEEP_DAYS`` (safe to repeat)."""
    from community.notifications import services

    return services.purge(int(current_app.config["NOTIFICATIONS_KEEP_DAYS"]))


@notifications_cli.command("purge")
def purge() -> None:
    """Delete notifications older than NOTIFICATIONS_KEEP_DAYS (90 by default), read or not.

    Schedule it, e.g. daily from cron:
    ``0 4 * * * cd /srv/assist && .venv/bin/flask --app wsgi notifications purge``
    """
    deleted = jobs.perform(PURGE_JOB)
    days = current_app.config["NOTIFICATIONS_KEEP_DAYS"]
    click.echo(f"Deleted {deleted} notification(s) older than {days} days.")


def init_app(app: Flask) -> None:
    jobs.job(PURGE_JOB)(purge_old)
    app.cli.add_command(notifications_cli)
