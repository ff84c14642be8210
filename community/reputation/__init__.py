"""Reputation: the append-only ledger of reputation events and everything computed from it.

* :mod:`.rules` -- the point rules, levels, badges and the ring statistic (pure functions);
* :mod:`.ledger` -- recording events (idempotent jobs) and correcting them;
* :mod:`.listing` -- who appears on the boards, by their own choice;
* :mod:`.boards` -- the boards in SQL, and which back end answers a read;
  :mod:`.redis_boards` -- their sorted sets in Redis, written after the commit;
* :mod:`.standings` -- the top of a board and a person's own place;
  :mod:`.profiles` -- a helper's level, badges and helpful assists;
* :mod:`.rebuild` -- every board again from the ledger;
* :mod:`.rings` -- assist rings: detection, corrections, reports to moderators;
* :mod:`.addresses` -- hashed address sightings for the shared-address limit;
* :mod:`.receivers` -- the signals and events it listens to;
* :mod:`.views`, :mod:`.forms`, :mod:`.cli` -- the leaderboard pages and commands.

Its URLs, endpoints (blueprint ``leaderboard``), job names (``leaderboard.*``) and commands
(``flask leaderboard …``) keep the name people know the feature by.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the leaderboard pages, ring reports as a kind of content for moderators, the
    receivers, the jobs (``leaderboard.*``) and ``flask leaderboard …``."""
    # Imported here, not above: the models import rules from this package.
    from community.reputation import (  # noqa: F401 - addresses, ledger, listing: their jobs
        addresses,
        cli,
        ledger,
        listing,
        receivers,
        rings,
        views,
    )
    from moderation import api as moderation

    app.register_blueprint(views.bp)
    moderation.register_kind(app, rings.content_kind())
    receivers.init_app(app)
    app.cli.add_command(cli.leaderboard_cli)
