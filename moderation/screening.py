"""Screening: small checks that run on every submission, as a job, before a moderator looks.

Screeners are registered per app (``register_screener``); each looks at a submission's
text (and, if it likes, the author's recent activity) and returns the reasons it matched:
codes such as ``risk.self_harm``, ``identifying.phone`` or ``spam.repeated``, never
copies of the text. The job stores them on the queue item and moves the item up the
queue (risk first, then identifying information). Screening never publishes anything
and never stops anyone from posting or from getting help; under the "new users only"
policy a trusted author's post that screening found nothing in is published afterwards.

The built-in screeners (:func:`register_default_screeners`):

* :func:`text_screener`: crisis language and identifying information, from the data files
  (see :mod:`moderation.text_screening`);
* :func:`spam_screener`: a link from a new account, the same text posted again, or a post
  sent far faster than anyone types.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import and_, not_, select

from community.accounts.models import User
from community.core.clock import utcnow
from community.core.jobs import job
from community.core.new_accounts import is_new_account
from community.core.registry import Providers
from community.extensions import db
from moderation.models import Priority, QueueItem, QueueOrigin, QueueState
from moderation.policy import publish_if_trusted
from moderation.registry import load_sources
from moderation.signals import risk_detected, send_about
from moderation.text_screening import screen_text

SCREEN_SUBMISSION = "moderation.screen_submission"  # the job's name, queued by submit()
REASONS_MAX = 255
REPEAT_WINDOW_OWN = timedelta(days=7)
REPEAT_WINDOW_ANYONE = timedelta(hours=1)
REPEAT_MIN_LENGTH = 20
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Submission:
    content_type: str
    content_id: int
    author_id: int
    title: str
    text: str  # the author's own text (Markdown source, or plain text for other kinds)
    queue_item_id: int | None = None
    submitted_at: datetime | None = None


Screener = Callable[[Submission], Sequence[str]]

SCREENERS: Providers[Screener] = Providers("moderation.screeners")


def register_screener(app: Flask, screener: Screener) -> None:
    SCREENERS.add(app, screener)


def priority_for(reasons: Sequence[str]) -> Priority:
    """Where reasons put an item: crisis first, then anything identifying."""
    if any(code.startswith("risk.") for code in reasons):
        return Priority.RISK
    if any(code.startswith("identifying.") for code in reasons):
        return Priority.IDENTIFYING
    return Priority.ROUTINE


# -- the built-in screeners --------------------------------------------------------------------


def text_screener(submission: Submission) -> Sequence[str]:
    """Crisis language and identifying information (codes only)."""
    return screen_text(submission.title, submission.text).reasons


def _normalised(text: str) -> str:
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def _texts_of(rows) -> list[str]:
    by_kind: dict[str, list[int]] = {}
    for content_type, content_id in rows:
        by_kind.setdefault(content_type, []).append(content_id)
    texts = []
    for content_type, ids in by_kind.items():
        for source in load_sources(content_type, ids).values():
            texts.append(_normalised(source.body))
    return texts


def spam_screener(submission: Submission) -> Sequence[str]:
    """A link from a new account, the same text again, or far faster than anyone types."""
    author = db.session.get(User, submission.author_id)
    if author is None or submission.queue_item_id is None or submission.submitted_at is None:
        return ()
    reasons = []
    found = screen_text(submission.title, submission.text)
    if is_new_account(author) and any(f.code == "identifying.link" for f in found.identifying):
        reasons.append("spam.link_new_account")

    at = submission.submitted_at
    other_content = not_(
        and_(
            QueueItem.content_type == submission.content_type,
            QueueItem.content_id == submission.content_id,
        )
    )
    earlier = db.session.execute(
        select(QueueItem.content_type, QueueItem.content_id, QueueItem.submitted_at)
        .where(
            QueueItem.author_id == author.id,
            QueueItem.origin == QueueOrigin.SUBMISSION,
            QueueItem.id != submission.queue_item_id,
            QueueItem.submitted_at <= at,
            QueueItem.submitted_at >= at - REPEAT_WINDOW_OWN,
            other_content,
        )
        .order_by(QueueItem.submitted_at.desc(), QueueItem.id.desc())
        .limit(20)
    ).all()
    # Typing speed: the characters of this post over the time since the author's previous
    # post (or since they signed up).
    since = earlier[0].submitted_at if earlier else author.created_at
    seconds = max((at - since).total_seconds(), 0.5)
    length = len(submission.title) + len(submission.text)
    if length / seconds > current_app.config["MODERATION_SPAM_CHARS_PER_SECOND"]:
        reasons.append("spam.too_fast")

    mine = _normalised(submission.text)
    if len(mine) >= REPEAT_MIN_LENGTH:
        anyone = db.session.execute(
            select(QueueItem.content_type, QueueItem.content_id)
            .where(
                QueueItem.origin == QueueOrigin.SUBMISSION,
                QueueItem.id != submission.queue_item_id,
                QueueItem.submitted_at >= at - REPEAT_WINDOW_ANYONE,
                QueueItem.submitted_at <= at,
                other_content,
            )
            .order_by(QueueItem.id.desc())
            .limit(50)
        ).all()
        rows = {(r.content_type, r.content_id) for r in earlier} | {tuple(r) for r in anyone}
        if mine in _texts_of(sorted(rows)):
            reasons.append("spam.repeated")
    return reasons


def register_default_screeners(app: Flask) -> None:
    register_screener(app, text_screener)
    register_screener(app, spam_screener)


# -- the job -----------------------------------------------------------------------------------


def _joined(reasons: Sequence[str]) -> str | None:
    kept: list[str] = []
    for code in reasons:
        if len(",".join([*kept, code])) > REASONS_MAX:
            break
        kept.append(code)
    return ",".join(kept) or None


@job(SCREEN_SUBMISSION, urgent=True)
def screen_submission(queue_item_id: int) -> Sequence[str]:
    """Run every screener on the item's content and store the reasons; idempotent."""
    item = db.session.get(QueueItem, queue_item_id)
    if item is None or item.screened_at is not None:
        return ()
    source = load_sources(item.content_type, [item.content_id]).get(item.content_id)
    reasons: list[str] = []
    if source is not None:
        submission = Submission(
            item.content_type,
            item.content_id,
            item.author_id,
            source.title or "",
            source.body,
            item.id,
            item.submitted_at,
        )
        for screener in SCREENERS.all():
            reasons.extend(r for r in screener(submission) if r not in reasons)
    item.screening_reasons = _joined(reasons)
    item.screened_at = utcnow()
    if item.state is QueueState.OPEN:
        item.priority = min(item.priority, priority_for(reasons))
    db.session.flush()
    if item.state is QueueState.OPEN and priority_for(reasons) is Priority.RISK:
        send_about(risk_detected, item)
    publish_if_trusted(item)
    return reasons
