"""Signals other features listen to (the leaderboard, later badges and notifications).

Receivers get ``assist_id`` and must only queue work (``community.core.jobs.enqueue``):
the transaction that sent the signal has not committed yet.
"""

from blinker import Namespace

_signals = Namespace()

assist_published = _signals.signal("assist-published")
assist_marked_helpful = _signals.signal("assist-marked-helpful")
