"""Sending, counting, listing (grouped by thread), reading and purging notifications."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, false, func, or_, select, update

from community.accounts.models import User
from community.assists.models import Assist
from community.core.clock import utcnow
from community.core.errors import NotFound
from community.core.posts import ContentStatus
from community.extensions import db, rows_changed
from community.notifications.models import Notification
from community.notifications.registry import (
    NotificationType,
    get_type,
    grouped_kinds,
    public_kinds,
)
from community.questions.models import Question

LIST_SIZE = 50
BELL_MAX = 99  # the bell says "99+" beyond this, so counting stays cheap


@dataclass(frozen=True)
class NotificationView:
    """One line of the list: a notification, or a thread's notifications of one kind."""

    id: int  # the newest one's: opening it reads the whole line
    message: str
    detail: str | None
    url: str | None
    created_at: datetime
    is_unread: bool
    count: int = 1
    # The title of the viewer's *own* question the line is about; None for anyone else's.
    own_question_title: str | None = None


def notify(
    recipient_id: int,
    kind: str,
    object_type: str,
    object_id: int,
    *,
    thread_id: int | None = None,
    amount: int | None = None,
) -> Notification:
    """Tell *recipient_id* about *object_type* #*object_id* (in thread *thread_id*, with a
    number *amount*); committed with the caller's work."""
    get_type(kind)  # an unknown kind fails here, not on someone's list
    notification = Notification(
        recipient_id=recipient_id,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        thread_id=thread_id,
        amount=amount,
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


def _in_a_group(kinds: list[str]):
    """True for the rows the list groups: a grouped kind, in a thread."""
    if not kinds:
        return false()
    return and_(Notification.kind.in_(kinds), Notification.thread_id.is_not(None))


def _about_an_assist(kinds: list[str]):
    if not kinds:
        return false()
    return and_(
        Notification.kind.in_(kinds),
        Notification.object_type == "assist",
        Assist.id == Notification.object_id,
    )


def recent(user: User, limit: int = LIST_SIZE) -> Sequence[NotificationView]:
    """The user's newest notifications as lines of text and links, a thread's notifications
    of one grouped kind on one line (two queries: the lines, and the titles of the user's
    own questions among their threads)."""
    # Rows that stand alone are their own group (their id); grouped ones share group 0.
    alone = case((_in_a_group(grouped_kinds()), 0), else_=Notification.id)
    public = public_kinds()
    newest_at = func.max(Notification.created_at)
    newest_id = func.max(Notification.id)
    rows = db.session.execute(
        select(
            Notification.kind,
            Notification.thread_id,
            newest_id.label("id"),
            newest_at.label("created_at"),
            func.max(Notification.object_type).label("object_type"),
            func.max(Notification.object_id).label("object_id"),
            func.count().label("count"),
            func.coalesce(func.sum(Notification.amount), 0).label("amount"),
            func.sum(case((Notification.read_at.is_(None), 1), else_=0)).label("unread"),
        )
        .outerjoin(Assist, _about_an_assist(public))
        .where(
            Notification.recipient_id == user.id,
            # Withdrawn or taken down since: what was said about it is not shown (or counted).
            or_(Assist.id.is_(None), Assist.status == ContentStatus.PUBLISHED),
        )
        .group_by(Notification.kind, Notification.thread_id, alone)
        .order_by(newest_at.desc(), newest_id.desc())
        .limit(limit)
    ).all()
    threads = _threads({row.thread_id for row in rows if row.thread_id is not None})
    views = []
    for row in rows:
        thread = threads.get(row.thread_id) if row.thread_id is not None else None
        if row.thread_id is not None and thread is None:
            continue  # the question is gone from view: so is what happened in it
        own_title = thread[0] if thread is not None and thread[1] == user.id else None
        views.append(_view(row, own_title))
    return views


def _threads(ids: set[int]) -> dict[int, tuple[str, int]]:
    """Title and asker of the published questions among *ids* (one query, or none)."""
    if not ids:
        return {}
    found = db.session.execute(
        select(Question.id, Question.title, Question.author_id).where(
            Question.id.in_(sorted(ids)), Question.status == ContentStatus.PUBLISHED
        )
    ).all()
    return {row.id: (row.title, row.author_id) for row in found}


def _url(kind: NotificationType, object_type: str, object_id: int, thread_id: int | None):
    if thread_id is not None and kind.thread_link is not None:
        return kind.thread_link(thread_id, object_type, object_id)
    return kind.link(object_type, object_id)


def _view(row, own_title: str | None) -> NotificationView:
    kind = get_type(row.kind)
    grouped = kind.grouped is not None and row.thread_id is not None
    message = kind.grouped(row.count, row.amount) if grouped else kind.message()  # type: ignore[misc]
    return NotificationView(
        id=row.id,
        message=str(message),
        detail=kind.detail(row.object_type, row.object_id),
        url=_url(kind, row.object_type, row.object_id, row.thread_id),
        created_at=row.created_at,
        is_unread=bool(row.unread),
        count=row.count,
        own_question_title=own_title,
    )


def open_one(notification_id: int, user: User) -> str | None:
    """Mark one of *user*'s notifications read (with the rest of its line, if the list
    groups it); returns where it points."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        raise NotFound()
    kind = get_type(notification.kind)
    same_line = Notification.id == notification_id
    if kind.grouped is not None and notification.thread_id is not None:
        same_line = and_(
            Notification.recipient_id == user.id,
            Notification.kind == notification.kind,
            Notification.thread_id == notification.thread_id,
        )
    db.session.execute(
        update(Notification)
        .where(same_line, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return _url(kind, notification.object_type, notification.object_id, notification.thread_id)


def mark_all_read(user: User) -> int:
    """Mark every unread notification of *user* read; returns how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) or 0


def forget_about(object_type: str, object_id: int, kinds: Sequence[str]) -> int:
    """Take back notifications of *kinds* about an object that left public view."""
    result = db.session.execute(
        delete(Notification)
        .where(
            Notification.object_type == object_type,
            Notification.object_id == object_id,
            Notification.kind.in_(list(kinds)),
        )
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) or 0


def forget_thread(thread_id: int, kinds: Sequence[str]) -> int:
    """Take back notifications of *kinds* in a thread that left public view."""
    result = db.session.execute(
        delete(Notification)
        .where(Notification.thread_id == thread_id, Notification.kind.in_(list(kinds)))
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) or 0


def purge(older_than_days: int) -> int:
    """Delete every notification older than *older_than_days* days, read or not; returns
    how many went."""
    if older_than_days < 1:
        raise ValueError("keep notifications at least a day")
    cutoff = utcnow() - timedelta(days=older_than_days)
    result = db.session.execute(
        delete(Notification)
        .where(Notification.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) or 0
