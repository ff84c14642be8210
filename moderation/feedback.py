"""What authors see: the latest decision on their posts, and, right after they send one,
what in their own text reads like a crisis or looks identifying, and why.

The feedback is computed from the author's text when they look; nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from community.accounts.models import User
from community.extensions import db
from moderation.models import QueueItem
from moderation.registry import all_kinds, load_previews, load_sources
from moderation.text_screening import Finding, screen_text
from moderation.wording import IDENTIFYING_WHY


def latest_decisions(content_type: str, content_ids: Sequence[int]) -> Mapping[int, QueueItem]:
    """The newest queue item for each content id (one query)."""
    if not content_ids:
        return {}
    newest = (
        select(func.max(QueueItem.id))
        .where(QueueItem.content_type == content_type, QueueItem.content_id.in_(content_ids))
        .group_by(QueueItem.content_id)
    )
    items = db.session.scalars(select(QueueItem).where(QueueItem.id.in_(newest))).all()
    return {item.content_id: item for item in items}


@dataclass(frozen=True)
class IdentifyingPart:
    excerpt: str  # the author's own words
    why: str


@dataclass(frozen=True)
class AuthorFeedback:
    """What the author is told about a post they just sent, from their own text."""

    kind_label: str
    url: str | None
    crisis: bool
    identifying: tuple[IdentifyingPart, ...]


def _parts(findings: Sequence[Finding]) -> tuple[IdentifyingPart, ...]:
    seen: set[str] = set()
    parts = []
    for finding in findings:
        if finding.excerpt.lower() in seen:
            continue
        seen.add(finding.excerpt.lower())
        parts.append(IdentifyingPart(finding.excerpt, str(IDENTIFYING_WHY.get(finding.kind, ""))))
    return tuple(parts)


def author_feedback(user: User | None, item_ids: Sequence[int]) -> list[AuthorFeedback]:
    """For each of *user*'s own queue items in *item_ids*: crisis language, and which parts
    look identifying and why. Computed from the author's text now; nothing is stored."""
    if user is None or not item_ids:
        return []
    items = db.session.scalars(
        select(QueueItem)
        .where(QueueItem.id.in_(item_ids), QueueItem.author_id == user.id)
        .order_by(QueueItem.id)
    ).all()
    kinds = all_kinds()
    feedback = []
    for item in items:
        if item.content_type not in kinds:
            continue
        source = load_sources(item.content_type, [item.content_id]).get(item.content_id)
        if source is None:
            continue
        found = screen_text(source.title, source.body)
        if not found.risk and not found.identifying:
            continue
        preview = load_previews(item.content_type, [item.content_id]).get(item.content_id)
        feedback.append(
            AuthorFeedback(
                kind_label=str(kinds[item.content_type].label()),
                url=preview.public_url if preview else None,
                crisis=found.is_risk,
                identifying=_parts(found.identifying),
            )
        )
    return feedback


def reads_like_crisis(*texts: str | None) -> bool:
    """Whether *texts* (e.g. what someone just typed into a form) read like a crisis."""
    return screen_text(*texts).is_risk
