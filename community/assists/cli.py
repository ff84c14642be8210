"""``flask posts purge-deleted``: wipe the text of posts deleted longer ago than
``DELETED_POSTS_RETENTION_DAYS``. Run it daily from cron; safe to repeat."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from community.assists import deletion as assists
from community.core.database import commit_unit_of_work
from community.questions import deletion as questions

posts_cli = AppGroup("posts", help="Questions and assists their authors deleted.")


@posts_cli.command("purge-deleted")
def purge_deleted() -> None:
    """Wipe deleted questions and assists once moderators no longer need them."""
    wiped_questions = questions.purge()
    wiped_assists = assists.purge()
    commit_unit_of_work()
    click.echo(f"Wiped {wiped_questions} deleted question(s) and {wiped_assists} assist(s).")
