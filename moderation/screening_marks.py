"""Moderators close the loop on screening: "screening missed a crisis here" or "this was not
a crisis", on one screened queue item.

* **What can be marked.** A submission that screening has read. "Missed" fits an item
  screening found no crisis in; "not a crisis" (a false alarm) fits one it flagged as a
  crisis (a ``risk.`` code). The author can't mark their own post.
* **One mark per item; the latest wins.** A second moderator's mark (or a change of mind)
  replaces the first; taking a mark back removes it. Every mark and every take-back writes
  an audit row with the codes, so the history stays in the audit log.
* **Nothing new about the author.** A mark stores the screening codes and the verdict,
  never any of the post's text. The dashboard counts marks per language and week
  (:mod:`moderation.dashboard`), so the word lists can be improved from real cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from community.core.clock import utcnow
from community.core.errors import Conflict, NotAllowed, NotFound
from community.extensions import db
from moderation.access import Actor, check_can_moderate
from moderation.audit import record_audit
from moderation.models import QueueItem, QueueOrigin, ScreeningMark, ScreeningVerdict

CLEAR = "clear"  # the form's value for taking one's mark back
CHOICES = (ScreeningVerdict.MISSED.value, ScreeningVerdict.FALSE_ALARM.value, CLEAR)


def found_crisis(item: QueueItem) -> bool:
    return any(code.startswith("risk.") for code in item.reasons)


def verdicts_for(item: QueueItem) -> tuple[ScreeningVerdict, ...]:
    """The verdicts a moderator can give on *item*: none before screening has read it."""
    if item.origin is not QueueOrigin.SUBMISSION or item.screened_at is None:
        return ()
    return (ScreeningVerdict.FALSE_ALARM,) if found_crisis(item) else (ScreeningVerdict.MISSED,)


def mark_of(item_id: int) -> ScreeningMark | None:
    return db.session.scalar(select(ScreeningMark).where(ScreeningMark.queue_item_id == item_id))


def _upsert(values: dict[str, Any]) -> None:
    """Insert the item's mark, or replace it: two moderators at once never collide."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ScreeningMark).values(**values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[ScreeningMark.queue_item_id],
            set_={
                key: statement.excluded[key]
                for key in ("verdict", "codes", "marked_by_id", "marked_at")
            },
        )
    )


def mark(item_id: int, actor: Actor, choice: str) -> ScreeningVerdict | None:
    """Record *actor*'s verdict on what screening made of the item (``missed``,
    ``false_alarm``), or take the item's mark back (``clear``); audited. Returns the verdict
    now on the item."""
    check_can_moderate(actor)
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise NotFound()
    if item.author_id == actor.id:
        raise NotAllowed(_l("You can't mark your own post."))
    codes = item.screening_reasons
    reason = f"codes: {codes or 'none'}"
    if choice == CLEAR:
        db.session.execute(delete(ScreeningMark).where(ScreeningMark.queue_item_id == item.id))
        record_audit(actor.id, "queue_item.screening_mark_removed", "queue_item", item.id, reason)
        db.session.flush()
        return None
    allowed = verdicts_for(item)
    if not allowed:
        raise Conflict(_l("Screening hasn't read this post, so there is nothing to mark."))
    verdict = next((v for v in ScreeningVerdict if v.value == choice), None)
    if verdict is None or verdict not in allowed:
        raise Conflict(_l("That mark doesn't fit what screening found here. Look again."))
    _upsert(
        {
            "queue_item_id": item.id,
            "verdict": verdict,
            "codes": codes,
            "marked_by_id": actor.id,
            "marked_at": utcnow(),
        }
    )
    record_audit(actor.id, f"queue_item.screening_{verdict.value}", "queue_item", item.id, reason)
    db.session.flush()
    return verdict


def marks_for(item_ids: Sequence[int]) -> dict[int, ScreeningMark]:
    """The mark on each item that has one (one query)."""
    if not item_ids:
        return {}
    rows = db.session.scalars(
        select(ScreeningMark).where(ScreeningMark.queue_item_id.in_(item_ids))
    ).all()
    return {row.queue_item_id: row for row in rows}
