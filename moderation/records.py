"""A person's record, for moderators: what their posts came to (in counts) and their
sanctions, with the next default lengths. Looking is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from community.accounts.models import User
from community.core.errors import NotAllowed, NotFound
from community.extensions import db
from moderation import sanctions
from moderation.access import Actor, check_can_moderate
from moderation.audit import record_audit
from moderation.models import Sanction, SanctionKind
from moderation.queue import AuthorHistory, author_histories


@dataclass(frozen=True)
class UserRecord:
    user: User
    history: AuthorHistory
    sanctions: Sequence[Sanction]
    next_silence_days: int
    next_suspend_days: int
    can_sanction: bool


def user_record(actor: Actor, user_id: int) -> UserRecord:
    """A person's moderation history and sanctions, for a moderator; audited."""
    check_can_moderate(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    try:
        sanctions.check_can_sanction(actor, user)  # type: ignore[arg-type]
        allowed = True
    except NotAllowed:
        allowed = False
    record_audit(actor.id, "user.viewed", "user", user.id)
    return UserRecord(
        user=user,
        history=author_histories([user.id]).get(user.id, AuthorHistory()),
        sanctions=sanctions.history(user.id),
        next_silence_days=sanctions.default_days(user.id, SanctionKind.SILENCE) or 1,
        next_suspend_days=sanctions.default_days(user.id, SanctionKind.SUSPEND) or 1,
        can_sanction=allowed,
    )
