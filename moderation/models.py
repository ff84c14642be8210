"""Moderation records: the queue, flags, sanctions, escalations, redactions and the audit log.

Where a post stands (:class:`community.core.posts.ContentStatus`) belongs to community: every
moderated post has one.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.clock import utcnow
from community.extensions import Model, enum_type


class QueueState(enum.Enum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    # The author edited the post before a decision: a new item replaced this one.
    SUPERSEDED = "superseded"
    # The author deleted the post before a decision (see moderation.withdrawals).
    WITHDRAWN = "withdrawn"


class QueueOrigin(enum.Enum):
    """Why an item is in the queue: a new or edited post, or flags on a published one."""

    SUBMISSION = "submission"
    FLAGS = "flags"


class Priority(enum.IntEnum):
    """Queue order: lower comes first. Within a priority, oldest first."""

    RISK = 0  # crisis language, or someone is worried about the author
    IDENTIFYING = 1  # could show who someone is
    FLAGGED = 2  # readers flagged it
    ROUTINE = 3


class QueueItem(Model):
    """One submission of one piece of content (or one round of flags on it), waiting for
    (or holding) a decision."""

    __tablename__ = "queue_items"
    __table_args__ = (
        Index("ix_queue_items_state_submitted", "state", "submitted_at", "id"),
        Index("ix_queue_items_content", "content_type", "content_id"),
        # The queue page: open items by priority, oldest first.
        Index("ix_queue_items_state_priority", "state", "priority", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(32))
    content_id: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    origin: Mapped[QueueOrigin] = mapped_column(
        enum_type(QueueOrigin, 16), default=QueueOrigin.SUBMISSION, server_default="submission"
    )
    priority: Mapped[int] = mapped_column(default=Priority.ROUTINE, server_default="3")
    state: Mapped[QueueState] = mapped_column(enum_type(QueueState, 16), default=QueueState.OPEN)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason_text: Mapped[str | None] = mapped_column(Text)
    # Filled by the screening job: when it ran, and the reasons it matched (comma-separated
    # codes such as ``risk.self_harm`` or ``identifying.phone``; never any of the text).
    screened_at: Mapped[datetime | None]
    screening_reasons: Mapped[str | None] = mapped_column(String(255))
    # A moderator looking at the item holds it until ``claimed_until``; then anyone may.
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_until: Mapped[datetime | None]
    # The language the post was written in, as far as we know when it arrives (see
    # :func:`moderation.languages.submission_language`); screening feedback counts by it.
    language: Mapped[str | None] = mapped_column(String(16))

    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id], lazy="raise")

    def __repr__(self) -> str:
        return f"<QueueItem {self.id} {self.content_type}:{self.content_id} {self.state.value}>"

    @property
    def reasons(self) -> list[str]:
        return [code for code in (self.screening_reasons or "").split(",") if code]

    @property
    def looks_identifying(self) -> bool:
        """Screening found something that could show who someone is."""
        return any(code.startswith("identifying.") for code in self.reasons)

    def claimed_by_other(self, user_id: int, now: datetime) -> bool:
        return (
            self.claimed_by_id is not None
            and self.claimed_by_id != user_id
            and self.claimed_until is not None
            and self.claimed_until > now
        )


class ScreeningVerdict(enum.Enum):
    """A moderator's word on what screening made of a post."""

    MISSED = "missed"  # a crisis that screening did not flag
    FALSE_ALARM = "false_alarm"  # screening flagged a crisis that was not one


class ScreeningMark(Model):
    """A moderator's mark on one screened queue item, so the word lists can be improved
    from real cases. One per item: the latest mark wins (every mark is in the audit log).

    It holds the screening codes and the verdict, never any of the post's text.
    """

    __tablename__ = "screening_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id"), unique=True)
    verdict: Mapped[ScreeningVerdict] = mapped_column(enum_type(ScreeningVerdict, 16))
    # What screening had found when the mark was made (comma-separated codes, or none).
    codes: Mapped[str | None] = mapped_column(String(255))
    marked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ScreeningMark {self.verdict.value} on item {self.queue_item_id}>"


class FlagReason(enum.Enum):
    SPAM = "spam"
    HURTFUL = "hurtful"
    PERSONAL_INFO = "personal_info"
    # About the person, not the post: goes to the top of the queue, never counts as spam
    # and never hides anything.
    WORRIED = "worried"
    OTHER = "other"


class Flag(Model):
    """A reader telling the moderators about a published post. One per reader per post."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("content_type", "content_id", "flagger_id"),
        Index("ix_flags_flagger_created", "flagger_id", "created_at"),
        Index("ix_flags_queue_item", "queue_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(32))
    content_id: Mapped[int]
    flagger_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[FlagReason] = mapped_column(enum_type(FlagReason, 16))
    note: Mapped[str | None] = mapped_column(Text)
    # Whether the flagger's account was established when they flagged: only those flags
    # can hide a post before a moderator looks.
    established: Mapped[bool] = mapped_column(default=False)
    queue_item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a moderator decides on the flagged post (kept or removed).
    resolved_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Flag {self.id} {self.reason.value} on {self.content_type}:{self.content_id}>"


class SanctionKind(enum.Enum):
    WARN = "warn"
    SILENCE = "silence"  # can't post until ends_at
    SUSPEND = "suspend"  # can't log in until ends_at


class Sanction(Model):
    """A warning, silence or suspension of one account; reversible, never deleted."""

    __tablename__ = "sanctions"
    __table_args__ = (Index("ix_sanctions_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[SanctionKind] = mapped_column(enum_type(SanctionKind, 16))
    reason_code: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)  # the moderator's words to the person
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None]  # None for a warning
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id], lazy="raise")

    def __repr__(self) -> str:
        return f"<Sanction {self.id} {self.kind.value} of {self.user_id}>"

    def is_active(self, now: datetime) -> bool:
        """In force now: not revoked and, for a silence or suspension, not over yet."""
        if self.revoked_at is not None:
            return False
        if self.kind is SanctionKind.WARN:
            return False
        return self.ends_at is not None and self.ends_at > now


class EscalationOutcome(enum.Enum):
    CONTACTED = "contacted"
    SIGNPOSTED = "signposted"
    REFERRED = "referred"
    NO_ACTION = "no_action"


class Escalation(Model):
    """A moderator asking safeguarding staff to look at a person behind a queue item."""

    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_open", "resolved_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the person of concern
    note: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[EscalationOutcome | None] = mapped_column(enum_type(EscalationOutcome, 16))
    outcome_note: Mapped[str | None] = mapped_column(Text)

    queue_item: Mapped[QueueItem] = relationship(lazy="raise")
    subject: Mapped[User] = relationship(foreign_keys=[subject_id], lazy="raise")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id], lazy="raise")

    def __repr__(self) -> str:
        state = "resolved" if self.resolved_at else "open"
        return f"<Escalation {self.id} for {self.subject_id} {state}>"


class Redaction(Model):
    """A moderator's edit that took something out of a post: both versions, for the record.

    Only admins read it (and reading it is audited); the audit log itself holds no text.
    """

    __tablename__ = "redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    content_id: Mapped[int]
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    original_title: Mapped[str | None] = mapped_column(Text)
    original_body: Mapped[str] = mapped_column(Text)
    redacted_title: Mapped[str | None] = mapped_column(Text)
    redacted_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Redaction {self.id} of {self.content_type}:{self.content_id}>"


class AuditEntry(Model):
    """An append-only record of a staff action: who did what to which object, why, when.

    It never holds post text or network addresses. Nothing updates or deletes a row
    (see :mod:`moderation.audit`; the database refuses updates too).
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int]
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.object_type}:{self.object_id}>"
