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
    """Run an RQ worker for background jobs, inside this app's context."""
    from rq import Worker

    from community.core.jobs import get_queue, start_sweeper, sweep

    if current_app.config["JOBS_BACKEND"] != "rq":
        raise click.ClickException("No Redis configured (set REDIS_URL): jobs run in-process.")
    app = real_app()
    # Whatever waited in the outbox while no worker (or no Redis) was there is handed over by
    # the sweeper, whose first round starts at once in its own thread: the worker takes the
    # jobs already in Redis meanwhile, so a large or locked outbox never delays start-up.
    if burst:
        sweep()
        stop = None
    else:
        stop = start_sweeper(app, app.config["OUTBOX_SWEEP_SECONDS"], first_round_now=True)
    queue = get_queue()
    try:
        rq_worker = Worker([queue], connection=queue.connection)
        click.echo(f"Worker ready: taking jobs from queue {queue.name!r}.")
        rq_worker.work(burst=burst, with_scheduler=not burst)
    finally:
        if stop is not None:
            stop.set()


@jobs_cli.command("sweep")
def sweep_outbox() -> None:
    """Hand over again every job in the outbox that is due (cron-friendly)."""
    from community.core.jobs import sweep

    click.echo(f"Handed over {sweep()} jobs.")


@jobs_cli.command("status")
def outbox_status() -> None:
    """How many jobs wait, run late or failed."""
    from community.admin.services import outbox_summary

    summary = outbox_summary()
    for key, value in summary.counts.items():
        click.echo(f"{key:<10} {value}")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(seed)
    app.cli.add_command(worker)
    app.cli.add_command(jobs_cli)
