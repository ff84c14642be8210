"""Signals other features listen to (the leaderboard, notifications).

Receivers get ``assist_id`` and must only queue work (``community.core.jobs.enqueue``) or
add rows to the session (notifications do): the transaction that sent the signal has not
committed yet, and what they add commits or rolls back with it.
"""

from blinker import Namespace

_signals = Namespace()

assist_published = _signals.signal("assist-published")
assist_marked_helpful = _signals.signal("assist-marked-helpful")
