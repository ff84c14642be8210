"""Sanctions: warn, silence (no posting for a while), suspend (no logging in for a while).

Durations grow with each sanction of the same kind a person had in the last
``MODERATION_SANCTION_MEMORY_DAYS`` (``MODERATION_SILENCE_DAYS``,
``MODERATION_SUSPEND_DAYS``); a moderator may choose another length. The person sees
why and until when; every sanction and every reversal is audited; none is deleted.
Features ask :func:`check_can_post` before saving a post; log-in asks
:func:`check_can_log_in`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from community.accounts.models import Role, User
from community.core.clock import utcnow
from community.core.errors import Conflict, DomainError, NotAllowed, NotFound
from community.core.formatting import local_time
from community.extensions import db, real_app
from moderation.access import check_can_moderate
from moderation.audit import record_audit
from moderation.models import Sanction, SanctionKind
from moderation.signals import sanction_applied

NOTE_MAX_LENGTH = 500
MAX_DAYS = 365
SANCTIONABLE_ROLES = (Role.YOUTH, Role.COACH)


@dataclass(frozen=True)
class SanctionReason:
    code: str
    label: object  # what the moderator picks
    explanation: object  # what the person reads, in plain words


SANCTION_REASONS: tuple[SanctionReason, ...] = (
    SanctionReason(
        "hurtful",
        _l("Hurtful or mean posts"),
        _l("You posted things that hurt or put down other people."),
    ),
    SanctionReason(
        "identifying",
        _l("Kept sharing personal details"),
        _l(
            "You shared things that could show who you or someone else is, after a "
            "moderator asked you not to."
        ),
    ),
    SanctionReason(
        "contact",
        _l("Asked people to talk somewhere else"),
        _l(
            "You asked people to talk to you on other apps or to meet. That can put young "
            "people in danger, so it isn't allowed here."
        ),
    ),
    SanctionReason(
        "unsafe",
        _l("Risky advice"),
        _l("You gave advice that could hurt someone's health or safety."),
    ),
    SanctionReason(
        "spam",
        _l("Spam or adverts"),
        _l("You posted adverts, spam, or the same thing again and again."),
    ),
    SanctionReason(
        "flags",
        _l("Misused the report button"),
        _l("You reported many posts that were fine. Reports are for real problems."),
    ),
    SanctionReason(
        "other",
        _l("Something else"),
        _l("A moderator stopped you for a reason they wrote below."),
    ),
)
SANCTION_REASONS_BY_CODE = {reason.code: reason for reason in SANCTION_REASONS}


class Silenced(NotAllowed):
    """The person may not post until their silence ends."""


class Suspended(DomainError):
    """The account may not log in until the suspension ends."""


def _when(moment: datetime) -> str:
    """When a pause ends, in the reader's time zone, with the zone named."""
    return local_time(moment, zone=True)


def explanation(sanction: Sanction) -> str:
    reason = SANCTION_REASONS_BY_CODE.get(sanction.reason_code)
    return str(reason.explanation) if reason else ""


# -- checks features ask -----------------------------------------------------------------------


def _active(user_id: int, kind: SanctionKind) -> Sanction | None:
    """The longest-running active sanction of *kind* on *user_id* (one query)."""
    now = utcnow()
    return db.session.scalar(
        select(Sanction)
        .where(
            Sanction.user_id == user_id,
            Sanction.kind == kind,
            Sanction.revoked_at.is_(None),
            Sanction.ends_at > now,
        )
        .order_by(Sanction.ends_at.desc())
        .limit(1)
    )


def can_post(user: User | None) -> bool:
    return user is not None and _active(user.id, SanctionKind.SILENCE) is None


def check_can_post(user: User | None) -> None:
    """Raise :class:`Silenced` (with why and until when) if *user* may not post now."""
    if user is None:
        raise NotAllowed()
    silence = _active(user.id, SanctionKind.SILENCE)
    if silence is not None and silence.ends_at is not None:
        raise Silenced(
            _l(
                "A moderator has paused your posting until %(until)s. Why: %(why)s",
                until=_when(silence.ends_at),
                why=explanation(silence),
            )
        )


def check_can_log_in(user: User) -> None:
    """Raise :class:`Suspended` (with why and until when) if *user*'s account is paused.

    Called only after the password was right, so it tells nobody else anything.
    """
    suspension = _active(user.id, SanctionKind.SUSPEND)
    if suspension is not None and suspension.ends_at is not None:
        note = f" {suspension.note}" if suspension.note else ""
        raise Suspended(
            _l(
                "Your account is paused until %(until)s. Why: %(why)s",
                until=_when(suspension.ends_at),
                why=explanation(suspension) + note,
            )
        )


# -- what a person sees of their own ------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    silenced_until: datetime | None
    recent_warning: Sanction | None  # a warning in the last week
    sanctions: Sequence[Sanction]  # everything, newest first


def standing(user: User) -> Standing:
    """A person's own sanctions (one query)."""
    rows = db.session.scalars(
        select(Sanction)
        .where(Sanction.user_id == user.id)
        .order_by(Sanction.created_at.desc(), Sanction.id.desc())
    ).all()
    now = utcnow()
    silences = [s for s in rows if s.kind is SanctionKind.SILENCE and s.is_active(now)]
    warnings = [
        s
        for s in rows
        if s.kind is SanctionKind.WARN
        and s.revoked_at is None
        and s.created_at > now - timedelta(days=7)
    ]
    return Standing(
        silenced_until=max((s.ends_at for s in silences if s.ends_at), default=None),
        recent_warning=warnings[0] if warnings else None,
        sanctions=rows,
    )


def notice(user: User) -> Standing | None:
    """What the banner on every page says to *user*, if anything (one query)."""
    now = utcnow()
    rows = db.session.scalars(
        select(Sanction).where(
            Sanction.user_id == user.id,
            Sanction.revoked_at.is_(None),
            Sanction.created_at > now - timedelta(days=MAX_DAYS),
            (Sanction.ends_at > now) | (Sanction.created_at > now - timedelta(days=7)),
        )
    ).all()
    silences = [s.ends_at for s in rows if s.kind is SanctionKind.SILENCE and s.is_active(now)]
    warnings = sorted((s for s in rows if s.kind is SanctionKind.WARN), key=lambda s: s.created_at)
    if not silences and not warnings:
        return None
    return Standing(
        silenced_until=max((s for s in silences if s), default=None),
        recent_warning=warnings[-1] if warnings else None,
        sanctions=(),
    )


# -- moderators --------------------------------------------------------------------------------


def check_can_sanction(actor: User | None, target: User | None) -> User:
    check_can_moderate(actor)
    assert actor is not None  # noqa: S101 - check_can_moderate refused None
    if target is None:
        raise NotFound()
    if target.id == actor.id:
        raise NotAllowed(_l("You can't sanction yourself."))
    if target.role not in SANCTIONABLE_ROLES:
        raise NotAllowed(_l("Staff accounts are managed by admins, not by sanctions."))
    return target


def previous_count(user_id: int, kind: SanctionKind) -> int:
    """Sanctions of *kind* the person had lately (revoked ones don't count)."""
    since = utcnow() - timedelta(days=current_app.config["MODERATION_SANCTION_MEMORY_DAYS"])
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Sanction)
            .where(
                Sanction.user_id == user_id,
                Sanction.kind == kind,
                Sanction.revoked_at.is_(None),
                Sanction.created_at >= since,
            )
        )
        or 0
    )


def default_days(user_id: int, kind: SanctionKind) -> int | None:
    """The next length for *kind*: each one in a row is longer (None for a warning)."""
    if kind is SanctionKind.WARN:
        return None
    steps = current_app.config[
        "MODERATION_SILENCE_DAYS" if kind is SanctionKind.SILENCE else "MODERATION_SUSPEND_DAYS"
    ]
    return int(steps[min(previous_count(user_id, kind), len(steps) - 1)])


def apply_sanction(
    actor: User | None,
    user_id: int,
    kind: str,
    reason_code: str,
    note: str = "",
    days: int | None = None,
) -> Sanction:
    """Warn, silence or suspend *user_id*; a suspension also ends every session."""
    target = check_can_sanction(actor, db.session.get(User, user_id))
    assert actor is not None  # noqa: S101 - checked above
    try:
        sanction_kind = SanctionKind(kind)
    except ValueError:
        raise DomainError(_l("Choose what should happen."), field="kind") from None
    if reason_code not in SANCTION_REASONS_BY_CODE:
        raise DomainError(_l("Choose a reason."), field="reason")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            lazy_ngettext(
                "Keep the note under %(num)d character.",
                "Keep the note under %(num)d characters.",
                NOTE_MAX_LENGTH,
            ),
            field="note",
        )
    if reason_code == "other" and not note:
        raise DomainError(_l("Write a short note so they know what to change."), field="note")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise DomainError(
            lazy_ngettext("Choose 1 to %(num)d day.", "Choose 1 to %(num)d days.", MAX_DAYS),
            field="days",
        )
    now = utcnow()
    ends_at = None
    if sanction_kind is not SanctionKind.WARN:
        length = days if days is not None else default_days(target.id, sanction_kind)
        ends_at = now + timedelta(days=length or 1)
    sanction = Sanction(
        user_id=target.id,
        kind=sanction_kind,
        reason_code=reason_code,
        note=note or None,
        created_by_id=actor.id,
        created_at=now,
        ends_at=ends_at,
    )
    db.session.add(sanction)
    if sanction_kind is SanctionKind.SUSPEND:
        target.session_version += 1  # logs them out everywhere, now
    db.session.flush()
    record_audit(
        actor.id,
        f"sanction.{sanction_kind.value}",
        "user",
        target.id,
        f"#{sanction.id}: {reason_code}",
    )
    sanction_applied.send(
        real_app(),
        user_id=target.id,
        sanction_id=sanction.id,
        kind=sanction_kind.value,
    )
    return sanction


def revoke(actor: User | None, sanction_id: int, reason: str) -> Sanction:
    """Take a sanction back (it stays on record as revoked)."""
    sanction = db.session.get(Sanction, sanction_id)
    if sanction is None:
        raise NotFound()
    check_can_sanction(actor, db.session.get(User, sanction.user_id))
    assert actor is not None  # noqa: S101 - checked above
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Write why you take it back."), field="reason")
    if len(reason) > NOTE_MAX_LENGTH:
        raise DomainError(
            lazy_ngettext(
                "Keep the note under %(num)d character.",
                "Keep the note under %(num)d characters.",
                NOTE_MAX_LENGTH,
            ),
            field="reason",
        )
    if sanction.revoked_at is not None:
        raise Conflict(_l("This was taken back already."))
    sanction.revoked_at = utcnow()
    sanction.revoked_by_id = actor.id
    sanction.revoke_reason = reason
    db.session.flush()
    record_audit(
        actor.id, "sanction.revoked", "user", sanction.user_id, f"#{sanction.id}: {reason}"
    )
    return sanction


def sanction_owner(sanction_id: int) -> int:
    """Whose sanction *sanction_id* is (for the page to go back to)."""
    user_id = db.session.scalar(select(Sanction.user_id).where(Sanction.id == sanction_id))
    if user_id is None:
        raise NotFound()
    return user_id


def history(user_id: int) -> Sequence[Sanction]:
    """Every sanction of *user_id*, newest first, with who gave it (one query)."""
    return db.session.scalars(
        select(Sanction)
        .options(joinedload(Sanction.created_by))
        .where(Sanction.user_id == user_id)
        .order_by(Sanction.created_at.desc(), Sanction.id.desc())
    ).all()
