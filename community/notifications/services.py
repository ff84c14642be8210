"""Sending, counting, listing and reading notifications."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from community.accounts.models import User
from community.core.clock import utcnow
from community.core.errors import NotFound
from community.extensions import db, rows_changed
from community.notifications.models import Notification
from community.notifications.registry import get_type

LIST_SIZE = 50
BELL_MAX = 99  # the bell says "99+" beyond this, so counting stays cheap


@dataclass(frozen=True)
class NotificationView:
    """One notification as the list shows it."""

    id: int
    message: str
    detail: str | None
    url: str | None
    created_at: datetime
    is_unread: bool


def notify(recipient_id: int, kind: str, object_type: str, object_id: int) -> Notification:
    """Tell *recipient_id* about *object_type* #*object_id*; committed with the caller's work."""
    get_type(kind)  # an unknown kind fails here, not on someone's list
    notification = Notification(
        recipient_id=recipient_id, kind=kind, object_type=object_type, object_id=object_id
    )
    db.session.add(notification)
    return notification


def unread_count(user_id: int) -> int:
    """Unread notifications of *user_id*, counted up to ``BELL_MAX + 1`` (one query)."""
    capped = (
        select(Notification.id)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
        .limit(BELL_MAX + 1)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(capped)) or 0


def recent(user: User, limit: int = LIST_SIZE) -> Sequence[NotificationView]:
    """The user's newest notifications, as text and links (one query)."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()
    return [_view(n) for n in rows]


def _view(notification: Notification) -> NotificationView:
    kind = get_type(notification.kind)
    return NotificationView(
        id=notification.id,
        message=str(kind.message()),
        detail=kind.detail(notification.object_type, notification.object_id),
        url=kind.link(notification.object_type, notification.object_id),
        created_at=notification.created_at,
        is_unread=notification.is_unread,
    )


def open_one(notification_id: int, user: User) -> str | None:
    """Mark one of *user*'s notifications read; returns where it points."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        raise NotFound()
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    kind = get_type(notification.kind)
    return kind.link(notification.object_type, notification.object_id)


def mark_all_read(user: User) -> int:
    """Mark every unread notification of *user* read; returns how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) or 0
