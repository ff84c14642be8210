"""Queue reputation jobs when assists are published or marked helpful."""

from __future__ import annotations

from community import jobs
from community.assists.signals import assist_marked_helpful, assist_published


@assist_published.connect
def _on_assist_published(sender, assist_id: int, **_: object) -> None:
    jobs.enqueue("leaderboard.record_assist_published", assist_id)


@assist_marked_helpful.connect
def _on_assist_marked_helpful(sender, assist_id: int, **_: object) -> None:
    jobs.enqueue("leaderboard.record_assist_helpful", assist_id)
