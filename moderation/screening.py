"""Screening: small checks that run on every submission, as a job, before a moderator looks.

Screeners are registered per app (``register_screener``); each looks at a
submission's text and returns the reasons it matched (never copies of the text).
Results are stored on the queue item. Screening never publishes anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import Flask, current_app

from community.clock import utcnow
from community.extensions import db
from community.jobs import job
from moderation.models import QueueItem
from moderation.registry import load_previews

EXTENSION_KEY = "moderation.screeners"


@dataclass(frozen=True)
class Submission:
    content_type: str
    content_id: int
    author_id: int
    title: str
    text: str  # plain text of the body (HTML as stored; screeners need not parse it)


Screener = Callable[[Submission], Sequence[str]]


def register_screener(app: Flask, screener: Screener) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(screener)


@job("moderation.screen_submission")
def screen_submission(queue_item_id: int) -> Sequence[str]:
    """Run every screener on the item's content and store the reasons; idempotent."""
    item = db.session.get(QueueItem, queue_item_id)
    if item is None or item.screened_at is not None:
        return ()
    preview = load_previews(item.content_type, [item.content_id]).get(item.content_id)
    reasons: list[str] = []
    if preview is not None:
        submission = Submission(
            item.content_type, item.content_id, item.author_id, preview.title, preview.body_html
        )
        for screener in current_app.extensions.get(EXTENSION_KEY, []):
            reasons.extend(r for r in screener(submission) if r not in reasons)
    item.screening_reasons = ",".join(reasons) or None
    item.screened_at = utcnow()
    return reasons
