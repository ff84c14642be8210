"""Command-line tasks: ``seed``, ``users create-staff`` / ``set-role``, ``worker``, ``jobs``.
Features register their own (``flask leaderboard …``, ``flask coaches …``)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from community.accounts import services as accounts
from community.accounts.models import Role
from community.core.database import commit_unit_of_work
from community.core.errors import DomainError
from community.extensions import real_app

users_cli = AppGroup("users", help="Manage accounts.")
jobs_cli = AppGroup("jobs", help="The background job outbox.")


@users_cli.command("create-staff")
@click.option("--name", required=True, help="Name shown to users, e.g. 'Coach Sara'.")
@click.option(
    "--role", type=click.Choice([r.value for r in Role if r is not Role.YOUTH]), required=True
)
@click.password_option(help="At least 8 characters, not a common password.")
def create_staff(name: str, role: str, password: str) -> None:
    """Create a coach, moderator or admin account (sign-up never makes staff)."""
    from moderation.api import record_audit

    try:
        user = accounts.create_staff(name, Role(role), password)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    record_audit(None, "user.staff_created", "user", user.id, user.role.value)
    commit_unit_of_work()
    click.echo(f"Created {user.role.value} '{user.pseudonym}'.")


@users_cli.command("set-role")
@click.option("--name", required=True, help="The account's pseudonym or staff name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
def set_role(name: str, role: str) -> None:
    """Change an account's role (audited, like every role change)."""
    user = accounts.by_pseudonym(name)
    if user is None:
        raise click.ClickException(f"Nobody is called '{name}'.")
    user.role = Role(role)
    commit_unit_of_work()
    click.echo(f"'{user.pseudonym}' is now {user.role.value}.")


@click.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing when there are accounts already.")
def seed(if_empty: bool) -> None:
    """Load demo data and print the demo logins."""
    from community.demo import existing_demo_logins, load_demo_data

    logins = load_demo_data(if_empty=if_empty)
    if logins is None:
        click.echo("The database has accounts already; no demo data added.")
        logins = existing_demo_logins()
        if not logins:
            return
    click.echo("Demo logins (pseudonym / password):")
    for role, name, password in logins:
        click.echo(f"  {role:<12} {name:<22} {password}")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run an RQ worker for background jobs, inside this app's context. If Redis goes away
    it waits and reconnects; risk screening is always taken before routine jobs."""
    from community.core.worker import run_worker

    if current_app.config["JOBS_BACKEND"] != "rq":
        raise click.ClickException("No Redis configured (set REDIS_URL): jobs run in-process.")
    run_worker(real_app(), burst=burst, echo=click.echo)


@jobs_cli.command("sweep")
def sweep_outbox() -> None:
    """Hand over again every job in the outbox that is due or that Redis lost (cron-friendly)."""
    from community.core.jobs import sweep

    click.echo(f"Handed over {sweep()} jobs.")


@jobs_cli.command("status")
def outbox_status() -> None:
    """How many jobs wait, are queued in Redis, run, run late, were lost by Redis or failed."""
    from community.core.job_status import outbox_states

    for state, count in outbox_states(real_app()).items():
        click.echo(f"{state:<16} {count}")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(seed)
    app.cli.add_command(worker)
    app.cli.add_command(jobs_cli)
