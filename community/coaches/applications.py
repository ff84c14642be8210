"""Applying to be a coach, and a moderator's decision.

A young adult (the 18–25 band) applies with a profile; a moderator approves or turns the
application down (both audited). Approval makes the account a coach (role ``COACH``): the
person keeps their account but leaves the youth leaderboard, and their profile text is
published as the moderator read it. Staff can also make a coach directly
(``flask coaches invite``); such a coach never applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from community.accounts.models import AgeBand, Role, User
from community.coaches.models import (
    ApplicationState,
    CoachApplication,
    CoachProfile,
    CoachProfileRevision,
)
from community.coaches.notification_types import APPLICATION_APPROVED, APPLICATION_DECLINED
from community.coaches.profiles import (
    PROFILE_CONTENT_TYPE,
    ProfileDraft,
    apply_settings,
    clean_profile,
    language_label,
    profile_of,
)
from community.core.clock import utcnow
from community.core.errors import Conflict, DomainError, NotAllowed, NotFound
from community.core.posts import ContentStatus
from community.extensions import db, rows_changed
from community.notifications import services as notifications
from community.questions.topics import Topic
from moderation import api as moderation

NOTE_MAX = 1000  # the moderator's note to an applicant they turn down


@dataclass(frozen=True)
class ApplicationEntry:
    """A waiting application as a moderator reviews it."""

    application: CoachApplication
    topics: Sequence[Topic]
    languages: Sequence[str] = field(default_factory=tuple)

    @property
    def language_names(self) -> list[str]:
        return [language_label(code) for code in self.languages]


# -- who may apply -----------------------------------------------------------------------------


def check_can_apply(user: User | None) -> None:
    """Only a young adult (18–25) with an active account may apply to be a coach."""
    if user is None or not user.is_active:
        raise NotAllowed(_l("Log in to apply."))
    if user.role is Role.COACH:
        raise NotAllowed(_l("You are a coach already."))
    if user.role is not Role.YOUTH:
        raise NotAllowed(_l("Staff accounts can't apply to be a coach."))
    if user.age_band is not AgeBand.AGE_18_25:
        raise NotAllowed(_l("You can apply to be a coach when you are 18 or older."))


def can_apply(user: User | None) -> bool:
    try:
        check_can_apply(user)
    except NotAllowed:
        return False
    return True


# -- applying ----------------------------------------------------------------------------------


def pending_application_of(user_id: int) -> CoachApplication | None:
    return db.session.scalar(
        select(CoachApplication)
        .options(joinedload(CoachApplication.revision))
        .where(
            CoachApplication.user_id == user_id,
            CoachApplication.state == ApplicationState.PENDING,
        )
    )


def latest_application_of(user_id: int) -> CoachApplication | None:
    """The person's newest application, whatever its state."""
    return db.session.scalar(
        select(CoachApplication)
        .options(joinedload(CoachApplication.revision))
        .where(CoachApplication.user_id == user_id)
        .order_by(CoachApplication.id.desc())
        .limit(1)
    )


def apply(user: User, draft: ProfileDraft) -> CoachApplication:
    """Send (or, while it waits, change) an application to become a coach."""
    check_can_apply(user)
    clean = clean_profile(draft)
    profile = profile_of(user.id)
    if profile is None:
        profile = CoachProfile(user_id=user.id, topics=[], languages=[])
        db.session.add(profile)
    apply_settings(profile, clean)
    db.session.flush()
    application = pending_application_of(user.id)
    if application is not None:
        revision = application.revision
        revision.write_texts(*clean.texts)
        revision.mark_edited()
        application.submitted_at = utcnow()
    else:
        revision = CoachProfileRevision(profile_id=profile.id, author_id=user.id)
        revision.write_texts(*clean.texts)
        db.session.add(revision)
        db.session.flush()
        application = CoachApplication(
            user_id=user.id, profile_id=profile.id, revision_id=revision.id
        )
        try:
            with db.session.begin_nested():
                db.session.add(application)
        except IntegrityError:
            # The same application sent twice at once: one waits, this one is a message.
            raise Conflict(_l("Your application is already waiting for a moderator.")) from None
    db.session.flush()
    return application


# -- reviewing ---------------------------------------------------------------------------------


def pending_applications(actor: User) -> list[ApplicationEntry]:
    """Waiting applications, oldest first, with everything a moderator needs to decide."""
    moderation.check_can_moderate(actor)
    rows = db.session.scalars(
        select(CoachApplication)
        .options(
            joinedload(CoachApplication.user),
            joinedload(CoachApplication.revision),
            joinedload(CoachApplication.profile).selectinload(CoachProfile.topics),
            joinedload(CoachApplication.profile).selectinload(CoachProfile.languages),
        )
        .where(CoachApplication.state == ApplicationState.PENDING)
        .order_by(CoachApplication.submitted_at, CoachApplication.id)
        .limit(100)
    ).all()
    return [
        ApplicationEntry(
            application=a,
            topics=[t.topic for t in a.profile.topics],
            languages=[lang.language for lang in a.profile.languages],
        )
        for a in rows
    ]


def pending_application_count(actor: User) -> int:
    moderation.check_can_moderate(actor)
    return (
        db.session.scalar(
            select(func.count())
            .select_from(CoachApplication)
            .where(CoachApplication.state == ApplicationState.PENDING)
        )
        or 0
    )


def _decide_application(
    application_id: int, actor: User, state: ApplicationState, note: str | None
) -> CoachApplication:
    moderation.check_can_moderate(actor)
    application = db.session.get(CoachApplication, application_id)
    if application is None:
        raise NotFound()
    if application.user_id == actor.id:
        raise NotAllowed(_l("You can't decide on your own application."))
    # A conditional update, so two moderators deciding at once can't both win.
    result = db.session.execute(
        update(CoachApplication)
        .where(
            CoachApplication.id == application_id,
            CoachApplication.state == ApplicationState.PENDING,
        )
        .values(state=state, decided_at=utcnow(), decided_by_id=actor.id, decision_note=note)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        raise Conflict(_l("Someone has already decided on this application."))
    db.session.refresh(application)
    return application


def approve_application(application_id: int, actor: User) -> CoachApplication:
    """Make the applicant a coach and publish the profile text the moderator just read."""
    application = _decide_application(application_id, actor, ApplicationState.APPROVED, None)
    user = db.session.get(User, application.user_id)
    profile = db.session.get(CoachProfile, application.profile_id)
    assert user is not None and profile is not None  # noqa: S101 - foreign keys guarantee it
    user.role = Role.COACH  # leaves the youth leaderboard: only young people are ranked
    profile.approved_at = utcnow()
    moderation.approve_automatically(
        PROFILE_CONTENT_TYPE,
        application.revision_id,
        user.id,
        reason="coach_application",
        decided_by_id=actor.id,
    )
    set_committed_value(
        application, "revision", db.session.get(CoachProfileRevision, application.revision_id)
    )
    moderation.record_audit(
        actor.id, "coach_application.approved", "coach_application", application.id
    )
    notifications.notify(user.id, APPLICATION_APPROVED, "coach_profile", profile.id)
    db.session.flush()
    return application


def decline_application(application_id: int, actor: User, note: str = "") -> CoachApplication:
    """Turn an application down, with an optional note the applicant will read."""
    current = db.session.get(CoachApplication, application_id)
    if current is not None and current.state is not ApplicationState.PENDING:
        # Say so first: a note for a decided application would be lost anyway.
        raise Conflict(_l("Someone has already decided on this application."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(
            lazy_ngettext(
                "Keep the note under %(num)d character.",
                "Keep the note under %(num)d characters.",
                NOTE_MAX,
            ),
            field="note",
        )
    application = _decide_application(
        application_id, actor, ApplicationState.DECLINED, note or None
    )
    revision = db.session.get(CoachProfileRevision, application.revision_id)
    if revision is not None:
        revision.apply_status(ContentStatus.REJECTED)
    moderation.record_audit(
        actor.id, "coach_application.declined", "coach_application", application.id
    )
    notifications.notify(
        application.user_id, APPLICATION_DECLINED, "coach_application", application.id
    )
    db.session.flush()
    return application
