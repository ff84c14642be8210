"""Becoming a coach, keeping a coach profile, and finding a coach.

* A young adult (the 18–25 band) applies with a profile; a moderator approves or turns the
  application down (both audited). Approval makes the account a coach (role ``COACH``): the
  person keeps their account, but leaves the youth leaderboard, and everywhere they act as a
  coach they appear under their display name, not their pseudonym.
* Staff can also make a coach directly (``flask coaches invite``); such a coach is vetted.
* Public profile text (display name, about me, lived experience) passes moderation like any
  post; settings (topics, languages, capacity, away) apply at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from babel import Locale
from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import distinct, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from community.accounts.models import AgeBand, Role, User
from community.assists.models import Assist
from community.clock import utcnow
from community.coaches.models import (
    ABOUT_MAX,
    ABOUT_MIN,
    CAPACITY_MAX,
    CAPACITY_MIN,
    DISPLAY_NAME_MAX,
    DISPLAY_NAME_MIN,
    EXPERIENCE_MAX,
    EXPERIENCE_MIN,
    ApplicationState,
    CoachApplication,
    CoachLanguage,
    CoachProfile,
    CoachProfileRevision,
    CoachRequest,
    CoachTopic,
    RequestState,
)
from community.errors import Conflict, DomainError, NotAllowed, NotFound
from community.extensions import db
from community.notifications import services as notifications
from community.posts import ContentStatus
from community.questions.topics import Topic
from moderation import api as moderation
from moderation.api import ContentKind, Preview, QueueItem

PROFILE_CONTENT_TYPE = "coach_profile"  # content id: a CoachProfileRevision id

# Languages a coach can say they speak (codes; names come from Babel in the reader's language).
LANGUAGES: tuple[str, ...] = (
    "da", "no", "sv", "en", "ar", "fa", "ps", "so", "ti", "tr", "ku", "ur", "pl", "uk", "bs",
    "es", "fr", "de",
)  # fmt: skip
NOTE_MAX = 1000


def language_label(code: str) -> str:
    """The name of language *code* in the reader's language ("Danish", "dansk", …)."""
    name = Locale.parse(code).get_display_name(str(get_locale() or "en")) or code
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class ProfileDraft:
    display_name: str
    about: str
    experience: str
    topics: Sequence[str] = ()
    languages: Sequence[str] = ()
    capacity: int | str | None = 2


@dataclass(frozen=True)
class CleanProfile:
    display_name: str
    about: str
    experience: str
    topics: tuple[Topic, ...]
    languages: tuple[str, ...]
    capacity: int


@dataclass(frozen=True)
class CoachCard:
    """One coach as the directory, the thread and their profile page show them."""

    profile: CoachProfile
    topics: Sequence[Topic]
    languages: Sequence[str]
    load: int  # pending (not yet expired) and accepted requests
    helped_in: int  # threads with at least one published coach reply by them
    is_available: bool  # listed, not away, below capacity

    @property
    def is_full(self) -> bool:
        return self.load >= self.profile.capacity

    @property
    def language_names(self) -> list[str]:
        return [language_label(code) for code in self.languages]


@dataclass(frozen=True)
class ApplicationEntry:
    """A waiting application as a moderator reviews it."""

    application: CoachApplication
    topics: Sequence[Topic]
    languages: Sequence[str] = field(default_factory=tuple)

    @property
    def language_names(self) -> list[str]:
        return [language_label(code) for code in self.languages]


# -- rules -------------------------------------------------------------------------------------


def _length_error(field_name: str, low: int, high: int) -> DomainError:
    return DomainError(
        _l("Write %(min)d to %(max)d characters.", min=low, max=high), field=field_name
    )


def clean_profile(draft: ProfileDraft) -> CleanProfile:
    """Check a profile draft; raises :class:`DomainError` naming the field to fix."""
    display_name = " ".join((draft.display_name or "").split())
    about = (draft.about or "").strip()
    experience = (draft.experience or "").strip()
    if not DISPLAY_NAME_MIN <= len(display_name) <= DISPLAY_NAME_MAX:
        raise _length_error("display_name", DISPLAY_NAME_MIN, DISPLAY_NAME_MAX)
    if not ABOUT_MIN <= len(about) <= ABOUT_MAX:
        raise _length_error("about", ABOUT_MIN, ABOUT_MAX)
    if not EXPERIENCE_MIN <= len(experience) <= EXPERIENCE_MAX:
        raise _length_error("experience", EXPERIENCE_MIN, EXPERIENCE_MAX)
    try:
        topics = tuple(dict.fromkeys(Topic(t) for t in draft.topics or ()))
    except ValueError:
        raise DomainError(_l("Choose topics from the list."), field="topics") from None
    if not topics:
        raise DomainError(_l("Choose at least one topic you can help with."), field="topics")
    languages = tuple(dict.fromkeys(draft.languages or ()))
    if not languages or any(code not in LANGUAGES for code in languages):
        raise DomainError(_l("Choose at least one language you speak."), field="languages")
    try:
        capacity = int(draft.capacity or 0)
    except (TypeError, ValueError):
        capacity = 0
    if not CAPACITY_MIN <= capacity <= CAPACITY_MAX:
        raise DomainError(
            _l("Choose a number from %(min)d to %(max)d.", min=CAPACITY_MIN, max=CAPACITY_MAX),
            field="capacity",
        )
    return CleanProfile(display_name, about, experience, topics, languages, capacity)


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


def is_coach(user: User | None) -> bool:
    return user is not None and user.is_active and user.role is Role.COACH


def check_is_coach(user: User | None) -> User:
    if user is None or not is_coach(user):
        raise NotAllowed(_l("Only coaches can do this."))
    return user


# -- applying ----------------------------------------------------------------------------------


def profile_of(user_id: int) -> CoachProfile | None:
    """Anyone's coach profile (applied or vetted) with its topics and languages."""
    return db.session.scalar(
        select(CoachProfile)
        .options(selectinload(CoachProfile.topics), selectinload(CoachProfile.languages))
        .where(CoachProfile.user_id == user_id)
    )


def _apply_settings(profile: CoachProfile, clean: CleanProfile) -> None:
    wanted_topics = set(clean.topics)
    profile.topics = [t for t in profile.topics if t.topic in wanted_topics] + [
        CoachTopic(topic=topic)
        for topic in clean.topics
        if topic not in {t.topic for t in profile.topics}
    ]
    wanted_languages = set(clean.languages)
    profile.languages = [
        lang for lang in profile.languages if lang.language in wanted_languages
    ] + [
        CoachLanguage(language=code)
        for code in clean.languages
        if code not in {lang.language for lang in profile.languages}
    ]
    profile.capacity = clean.capacity


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
    _apply_settings(profile, clean)
    db.session.flush()
    application = pending_application_of(user.id)
    if application is not None:
        revision = application.revision
        revision.write_texts(clean.display_name, clean.about, clean.experience)
        revision.mark_edited()
        application.submitted_at = utcnow()
    else:
        revision = CoachProfileRevision(profile_id=profile.id, author_id=user.id)
        revision.write_texts(clean.display_name, clean.about, clean.experience)
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
    if result.rowcount != 1:
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
        raise DomainError(_l("Keep the note under %(max)d characters.", max=NOTE_MAX), field="note")
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


# -- a coach's own profile ---------------------------------------------------------------------


def own_profile(user: User, *, create: bool = True) -> CoachProfile:
    """The coach's profile. A coach made by staff gets one on first save (*create*);
    until then, and with ``create=False``, an unsaved one with the defaults stands in."""
    check_is_coach(user)
    profile = profile_of(user.id)
    if profile is None:
        profile = CoachProfile(user_id=user.id, capacity=2, is_away=False, topics=[], languages=[])
        if not create:
            return profile
        db.session.add(profile)
    if profile.approved_at is None and create:
        profile.approved_at = utcnow()  # a COACH account was vetted by whoever made it
    db.session.flush()
    return profile


def open_revision(profile: CoachProfile) -> CoachProfileRevision | None:
    """The newest revision of the profile text, if it waits or was turned down."""
    if profile.id is None:
        return None
    revision = db.session.scalar(
        select(CoachProfileRevision)
        .where(CoachProfileRevision.profile_id == profile.id)
        .order_by(CoachProfileRevision.id.desc())
        .limit(1)
    )
    if revision is None or revision.is_published:
        return None
    return revision


def revision_decision(revision: CoachProfileRevision | None) -> QueueItem | None:
    if revision is None:
        return None
    return moderation.latest_decisions(PROFILE_CONTENT_TYPE, [revision.id]).get(revision.id)


def edit_profile(user: User, draft: ProfileDraft) -> bool:
    """Save a coach's profile. Settings apply at once; changed public text goes to a
    moderator and the approved text stays up meanwhile. Returns whether text went to review.
    """
    profile = own_profile(user)
    clean = clean_profile(draft)
    _apply_settings(profile, clean)
    texts = (clean.display_name, clean.about, clean.experience)
    latest = open_revision(profile)
    if latest is not None and latest.status is ContentStatus.PENDING:
        if latest.same_texts(*texts):
            db.session.flush()
            return False
        revision = latest  # rewrite what waits; its open queue item is superseded below
    else:
        published = (profile.display_name, profile.about_source, profile.experience_source)
        if published == texts:
            db.session.flush()
            return False
        # A new revision, so a turned-down one keeps the text its decision was about.
        revision = CoachProfileRevision(profile_id=profile.id, author_id=user.id)
        db.session.add(revision)
    revision.write_texts(*texts)
    revision.mark_edited()
    db.session.flush()
    moderation.submit(PROFILE_CONTENT_TYPE, revision.id, user.id)
    return True


def set_away(user: User, away: bool) -> CoachProfile:
    """Pause (or resume) being chosen. Threads the coach has already joined stay theirs."""
    profile = own_profile(user)
    profile.is_away = away
    db.session.flush()
    return profile


# -- finding a coach ---------------------------------------------------------------------------


def _listed():
    """Coaches who can appear in the directory: vetted, active, with approved text."""
    return (
        select(CoachProfile)
        .join(User, User.id == CoachProfile.user_id)
        .where(
            User.role == Role.COACH,
            User.is_active.is_(True),
            CoachProfile.approved_at.is_not(None),
            CoachProfile.display_name.is_not(None),
        )
    )


def loads(coach_ids: Iterable[int]) -> dict[int, int]:
    """Open requests (pending and not yet expired, or accepted) per coach (one query)."""
    ids = list(coach_ids)
    if not ids:
        return {}
    now = utcnow()
    rows = db.session.execute(
        select(CoachRequest.coach_id, func.count())
        .where(
            CoachRequest.coach_id.in_(ids),
            (CoachRequest.state == RequestState.ACCEPTED)
            | ((CoachRequest.state == RequestState.PENDING) & (CoachRequest.expires_at > now)),
        )
        .group_by(CoachRequest.coach_id)
    ).all()
    return {coach_id: count for coach_id, count in rows}


def helped_in(coach_ids: Iterable[int]) -> dict[int, int]:
    """Threads each coach has a published coach reply in (one query)."""
    ids = list(coach_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Assist.author_id, func.count(distinct(Assist.question_id)))
        .where(
            Assist.author_id.in_(ids),
            Assist.is_coach_reply.is_(True),
            Assist.status == ContentStatus.PUBLISHED,
        )
        .group_by(Assist.author_id)
    ).all()
    return {author_id: count for author_id, count in rows}


def _cards(profiles: Sequence[CoachProfile]) -> list[CoachCard]:
    user_ids = [p.user_id for p in profiles]
    load_by_coach, helped_by_coach = loads(user_ids), helped_in(user_ids)
    cards = []
    for p in profiles:
        load = load_by_coach.get(p.user_id, 0)
        cards.append(
            CoachCard(
                profile=p,
                topics=[t.topic for t in p.topics],
                languages=[lang.language for lang in p.languages],
                load=load,
                helped_in=helped_by_coach.get(p.user_id, 0),
                is_available=not p.is_away and load < p.capacity,
            )
        )
    return cards


def directory(*, topic: str | None = None, language: str | None = None) -> list[CoachCard]:
    """Listed coaches, available ones first, then by name; filterable by topic and language."""
    query = _listed().options(
        selectinload(CoachProfile.topics), selectinload(CoachProfile.languages)
    )
    if topic:
        try:
            wanted = Topic(topic)
        except ValueError:
            wanted = None  # an unknown topic in the URL shows every coach
        if wanted is not None:
            query = query.where(
                exists().where(CoachTopic.profile_id == CoachProfile.id, CoachTopic.topic == wanted)
            )
    if language in LANGUAGES:
        query = query.where(
            exists().where(
                CoachLanguage.profile_id == CoachProfile.id, CoachLanguage.language == language
            )
        )
    profiles = db.session.scalars(query.order_by(CoachProfile.display_name, CoachProfile.id)).all()
    cards = _cards(profiles)
    return sorted(cards, key=lambda c: not c.is_available)  # stable: keeps name order


def card(profile_id: int) -> CoachCard:
    """A listed coach's card, or :class:`NotFound`."""
    profile = db.session.scalar(
        _listed()
        .options(selectinload(CoachProfile.topics), selectinload(CoachProfile.languages))
        .where(CoachProfile.id == profile_id)
    )
    if profile is None:
        raise NotFound()
    return _cards([profile])[0]


def listed_profile_for_update(profile_id: int) -> CoachProfile | None:
    """A listed coach's profile, locked until the transaction ends (PostgreSQL)."""
    return db.session.scalar(
        _listed().where(CoachProfile.id == profile_id).with_for_update(of=CoachProfile)
    )


def display_names(user_ids: Iterable[int]) -> dict[int, str]:
    """Coaches' approved display names by user id (one query)."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(CoachProfile.user_id, CoachProfile.display_name).where(
            CoachProfile.user_id.in_(ids), CoachProfile.display_name.is_not(None)
        )
    ).all()
    return {user_id: name for user_id, name in rows}


# -- notifications -----------------------------------------------------------------------------

APPLICATION_APPROVED = "coach.application_approved"
APPLICATION_DECLINED = "coach.application_declined"


# -- moderation hooks --------------------------------------------------------------------------


def _previews(ids: Sequence[int]) -> Mapping[int, Preview]:
    rows = db.session.scalars(
        select(CoachProfileRevision)
        .options(joinedload(CoachProfileRevision.profile).joinedload(CoachProfile.user))
        .where(CoachProfileRevision.id.in_(ids))
    ).all()
    about, experience = _l("About me"), _l("What I have been through")
    return {
        r.id: Preview(
            content_id=r.id,
            title=r.display_name,
            body_html=str(
                Markup("<p><strong>{}</strong></p>{}<p><strong>{}</strong></p>{}").format(
                    escape(str(about)),
                    Markup(r.about_html),  # noqa: S704 - sanitised when it was written
                    escape(str(experience)),
                    Markup(r.body_html),  # noqa: S704 - sanitised when it was written
                )
            ),
            author_id=r.author_id,
            author_name=r.profile.user.pseudonym,
            context=str(_l("Coach profile")),
            public_url=url_for("coaches.detail", profile_id=r.profile_id),
        )
        for r in rows
    }


def _apply_status(revision_id: int, status: ContentStatus) -> None:
    revision = db.session.get(CoachProfileRevision, revision_id)
    if revision is None:
        raise NotFound()
    revision.apply_status(status)
    if status is ContentStatus.PUBLISHED:
        profile = db.session.get(CoachProfile, revision.profile_id)
        assert profile is not None  # noqa: S101 - a foreign key guarantees it
        profile.publish_text(revision)
    db.session.flush()


def content_kind() -> ContentKind:
    return ContentKind(
        name=PROFILE_CONTENT_TYPE,
        label=lambda: str(_l("Coach profile")),
        load_previews=_previews,
        apply_status=_apply_status,
    )
