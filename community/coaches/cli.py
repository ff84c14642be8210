"""``flask coaches invite`` (staff make a coach) and ``flask coaches expire-requests`` (cron)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from community.accounts import services as accounts
from community.accounts.models import Role
from community.core.database import commit_unit_of_work
from community.core.errors import DomainError

coaches_cli = AppGroup("coaches", help="Coaches: invite one, expire unanswered requests.")


@coaches_cli.command("invite")
@click.option("--name", required=True, help="The account name the coach logs in with.")
@click.password_option(help="At least 8 characters, not a common password.")
def invite(name: str, password: str) -> None:
    """Create a vetted coach account; the coach writes their profile after logging in."""
    from community.coaches import profiles
    from moderation.api import record_audit

    try:
        user = accounts.create_staff(name, Role.COACH, password)
        profiles.own_profile(user)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    record_audit(None, "coach.invited", "user", user.id)
    commit_unit_of_work()
    click.echo(
        f"Created coach '{user.pseudonym}'. They log in, then write their profile under "
        "“My threads” → “My coach profile”; a moderator approves it before it is listed."
    )


@coaches_cli.command("expire-requests")
def expire_requests() -> None:
    """Expire requests coaches did not answer in time and tell the askers (safe to repeat).

    Schedule it, e.g. every 15 minutes from cron:
    ``*/15 * * * * cd /srv/assist && .venv/bin/flask --app wsgi coaches expire-requests``
    """
    from community.coaches.thread_requests import EXPIRE_REQUESTS_JOB
    from community.core import jobs

    expired = jobs.perform(EXPIRE_REQUESTS_JOB)
    click.echo(f"Expired {expired} request(s).")


def init_app(app: Flask) -> None:
    app.cli.add_command(coaches_cli)
