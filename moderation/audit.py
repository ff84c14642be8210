"""The audit log: append-only rows of who did what to which object, why and when (UTC).

Every moderator action, every view of a pending item (features call
:func:`record_pending_view`) and every role change writes a row. Rows never hold post
text or network addresses. Nothing in the app updates or deletes one: the session refuses
(:func:`_refuse_changes`), and the database refuses updates too (a trigger, see the
migration). Admins read and filter it (:func:`audit_page`).

A page that only reads writes its audit row after the read, in a short transaction of its
own (:func:`community.core.database.write_after_read`), so another moderator's commit in
between can never make the page fail; the row is written whenever the page is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session, joinedload, object_session
from sqlalchemy.orm.base import NO_VALUE

from community.accounts.models import Role, User
from community.core.database import write_after_read
from community.core.errors import DomainError, NotAllowed, NotFound
from community.extensions import db
from moderation.access import can_moderate
from moderation.models import AuditEntry, Redaction

PAGE_SIZE = 100


class AppendOnly(RuntimeError):
    """Someone tried to change or remove an audit row."""


def record_audit(
    actor_id: int | None, action: str, object_type: str, object_id: int, reason: str | None = None
) -> AuditEntry:
    """Append one audit row, committed with the request (or, for a page that only reads,
    in a short transaction of its own after the read: see
    :func:`community.core.database.write_after_read`). There is no way to change or remove one."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
    )
    write_after_read(entry)
    return entry


def record_pending_view(actor: User | None, content_type: str, content_id: int) -> None:
    """Features call this when a moderator opens content that isn't public yet."""
    if actor is not None and can_moderate(actor):
        record_audit(actor.id, "pending_content.viewed", content_type, content_id)


# -- nothing changes a row ---------------------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context, _instances) -> None:
    for entry in session.deleted:
        if isinstance(entry, AuditEntry):
            raise AppendOnly("audit entries can't be deleted")
    for entry in session.dirty:
        if isinstance(entry, AuditEntry) and session.is_modified(entry):
            raise AppendOnly("audit entries can't be changed")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_ is AuditEntry:
            raise AppendOnly("audit entries can't be changed or deleted")


# -- every role change -------------------------------------------------------------------------


def _acting_user_id() -> int | None:
    """Whoever is signed in to this request (None on the command line and in jobs)."""
    if not has_request_context():
        return None
    user = g.get("_login_user")  # Flask-Login's loaded user; never load one from here
    return user.id if getattr(user, "is_authenticated", False) else None


def _on_role_set(target: User, value, oldvalue, _initiator) -> None:
    """The audit row joins the account's session with the change itself, so it is written
    with it, and undone with it (a rollback, or a savepoint's)."""
    if target.id is None or oldvalue in (NO_VALUE, None) or value == oldvalue:
        return  # a new account: whoever creates staff audits it (see the CLI)
    session = object_session(target)
    if session is not None:
        session.add(
            AuditEntry(
                actor_id=_acting_user_id(),
                action="user.role_changed",
                object_type="user",
                object_id=target.id,
                reason=f"{oldvalue.value} -> {value.value}",
            )
        )


event.listen(User.role, "set", _on_role_set, active_history=True)


# -- reading (admins) --------------------------------------------------------------------------


def check_can_read_audit(actor: User | None) -> User:
    if actor is None or actor.role is not Role.ADMIN:
        raise NotAllowed()
    return actor


@dataclass(frozen=True)
class AuditFilter:
    """What an admin narrows the log to; every part is optional."""

    actor: str = ""  # a pseudonym
    action: str = ""  # a prefix, e.g. "question." or "sanction"
    object_type: str = ""
    object_id: int | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    before: int | None = None  # the page: entries with a smaller id

    def describe(self) -> str:
        """The filter as the reason of the "audit.viewed" row (names, never post text)."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("actor", self.actor),
                ("action", self.action),
                ("object_type", self.object_type),
                ("object_id", self.object_id),
                ("since", self.since),
                ("until", self.until),
                ("before", self.before),
            )
            if value not in ("", None)
        ]
        return " ".join(parts) or "all"


@dataclass(frozen=True)
class AuditPage:
    entries: Sequence[AuditEntry]
    next_before: int | None  # pass as ``before`` for the next (older) page


def audit_page(actor: User | None, filters: AuditFilter, limit: int = PAGE_SIZE) -> AuditPage:
    """The newest matching entries (two queries, whatever the page size); the viewing is
    itself audited."""
    admin = check_can_read_audit(actor)
    query = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if filters.actor:
        actor_id = db.session.scalar(select(User.id).where(User.pseudonym == filters.actor))
        if actor_id is None:
            raise DomainError(_l("Nobody is called that."), field="actor")
        query = query.where(AuditEntry.actor_id == actor_id)
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.since is not None:
        query = query.where(AuditEntry.created_at >= datetime.combine(filters.since, time()))
    if filters.until is not None:
        end = datetime.combine(filters.until, time()) + timedelta(days=1)
        query = query.where(AuditEntry.created_at < end)
    if filters.before is not None:
        query = query.where(AuditEntry.id < filters.before)
    rows = db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit + 1)).all()
    entries = rows[:limit]
    record_audit(admin.id, "audit.viewed", "audit_log", 0, filters.describe())
    return AuditPage(entries=entries, next_before=entries[-1].id if len(rows) > limit else None)


def redaction(actor: User | None, redaction_id: int) -> Redaction:
    """Both versions of a redacted post, for an admin; the reading is audited."""
    admin = check_can_read_audit(actor)
    found = db.session.get(Redaction, redaction_id)
    if found is None:
        raise NotFound()
    record_audit(admin.id, "redaction.viewed", "redaction", found.id)
    return found
