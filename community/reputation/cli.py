"""``flask leaderboard rebuild | detect-rings | forget-addresses``: the maintenance tasks."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from community.core.database import commit_unit_of_work
from community.reputation import addresses, rings
from community.reputation.rebuild import rebuild

leaderboard_cli = AppGroup("leaderboard", help="Maintain the leaderboard.")


@leaderboard_cli.command("rebuild")
def rebuild_leaderboard() -> None:
    """Recompute every standing from the reputation ledger."""
    count = rebuild()
    commit_unit_of_work()
    click.echo(f"Rebuilt the standings from the ledger. Ranked users: {count}.")


@leaderboard_cli.command("detect-rings")
def detect_rings() -> None:
    """Find assist rings, take their points back, report them to moderators (run nightly)."""
    sweep = rings.detect_rings()
    commit_unit_of_work()
    click.echo(
        f"Ring pairs: {sweep.pairs}. New reports: {sweep.reports}. "
        f"Events reversed: {sweep.reversed}."
    )


@leaderboard_cli.command("forget-addresses")
def forget_addresses() -> None:
    """Delete hashed addresses older than ADDRESS_WINDOW_DAYS (run daily)."""
    count = addresses.forget_old_addresses()
    commit_unit_of_work()
    click.echo(f"Forgot {count} old address sightings.")
