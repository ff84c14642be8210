"""Signals moderation sends, so features can react without moderation importing them.

``decision_made`` is sent (with the app as sender) when a moderator approves or rejects a
queue item, after the decision is applied to the content and audited, *before* the request
commits. Keyword arguments: ``content_type``, ``content_id``, ``author_id``, ``decision``
(``"approved"`` or ``"rejected"``) and ``queue_item_id``. Receivers may add rows to the
session (they commit or roll back with the decision) or queue jobs; they must not commit.
"""

from blinker import Namespace

_signals = Namespace()

decision_made = _signals.signal("decision-made")
