"""Whether someone's posting is paused right now, so a form page can say so (and until when)
instead of showing a form they can't send. The services still refuse on sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from community.accounts.models import User
from community.core import ratelimits
from community.core.clock import utcnow
from community.core.errors import NotAllowed
from moderation import api as moderation


@dataclass(frozen=True)
class PostingPause:
    """A moderator's pause (``message`` says why and until when), or the posting limit
    (``retry_at``: when they can post again, UTC)."""

    message: str | None = None
    retry_at: datetime | None = None

    @property
    def minutes(self) -> int:
        """Whole minutes until the posting limit lets them post again (at least 1)."""
        if self.retry_at is None:
            return 0
        return max(1, -(-int((self.retry_at - utcnow()).total_seconds()) // 60))


def posting_pause(user: User | None) -> PostingPause | None:
    """Why *user* can't post right now, or None (one query: the moderator's pause)."""
    if user is None:
        return None
    try:
        moderation.check_can_post(user)
    except NotAllowed as error:
        return PostingPause(message=str(error.message))
    retry_at = ratelimits.posting_retry_at()
    return PostingPause(retry_at=retry_at) if retry_at is not None else None
