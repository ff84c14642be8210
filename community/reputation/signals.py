"""Signals reputation sends, so other features (notifications) can react to standing.

``points_recorded`` is sent, inside the job's transaction, for every ledger event written
(awards and corrections), with ``event_id``, ``user_id``, ``kind`` (the event kind's value),
``points`` and ``assist_id`` (or ``None``). Receivers may add rows to the session; they must
not commit.
"""

from blinker import Namespace

_signals = Namespace()

points_recorded = _signals.signal("points-recorded")
