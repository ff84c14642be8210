"""Signals moderation sends, so features can react without moderation importing them.

All are sent with the app as sender, *before* the request commits. Receivers may add rows
to the session (they commit or roll back with the change) or queue jobs; they must not
commit.

``decision_made``
    A moderator approved or rejected a new or edited post (not a round of flags: keeping
    a flagged post changes nothing for its author; taking one down is sent as
    ``"rejected"``, and as ``content_removed``). Keyword arguments: ``content_type``,
    ``content_id``, ``author_id``, ``decision`` (``"approved"`` or ``"rejected"``) and
    ``queue_item_id``.
``content_removed``
    Published content was taken down by a moderator after flags, or deleted by its author
    (e.g. an assist: the leaderboard takes its points back). ``content_type``,
    ``content_id``, ``author_id``, ``queue_item_id`` (None when the content never had one);
    ``by_author=True`` when its author deleted it (a moderator's takedown also sends
    ``decision_made``).
``content_redacted``
    A moderator took something out of a post (usually something identifying) and
    published the rest. ``content_type``, ``content_id``, ``author_id``, ``queue_item_id``.
``risk_detected``
    Screening found crisis language in a submission (moderators see it at the top of the
    queue and in the header). ``content_type``, ``content_id``, ``author_id``,
    ``queue_item_id``.
``sanction_applied``
    A moderator warned, silenced or suspended someone. ``user_id``, ``sanction_id`` and
    ``kind`` (``"warn"``, ``"silence"`` or ``"suspend"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blinker import Namespace, Signal

from community.extensions import real_app

if TYPE_CHECKING:
    from moderation.models import QueueItem

_signals = Namespace()

decision_made = _signals.signal("decision-made")
content_removed = _signals.signal("content-removed")
content_redacted = _signals.signal("content-redacted")
risk_detected = _signals.signal("risk-detected")
sanction_applied = _signals.signal("sanction-applied")


def send_about(signal: Signal, item: QueueItem, **extra: Any) -> None:
    """Send *signal* about the content behind queue item *item*: ``content_type``,
    ``content_id``, ``author_id`` and ``queue_item_id``, and any *extra* arguments."""
    signal.send(
        real_app(),
        content_type=item.content_type,
        content_id=item.content_id,
        author_id=item.author_id,
        queue_item_id=item.id,
        **extra,
    )
