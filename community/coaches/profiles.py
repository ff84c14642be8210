"""Coach profiles: who counts as a coach, and the profile young people choose them by.

* Public profile text (display name, about me, lived experience) passes moderation like
  any post; the approved text stays up while an edit waits (:func:`edit_profile`).
* Settings (topics, languages, capacity, away) apply at once.
* Wherever a coach acts as a coach they appear under their approved display name
  (:func:`display_names`), never their pseudonym.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from babel import Locale
from flask import url_for
from flask_babel import get_locale, lazy_ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from community.accounts.models import Role, User
from community.coaches.models import (
    ABOUT_MAX,
    ABOUT_MIN,
    CAPACITY_MAX,
    CAPACITY_MIN,
    DISPLAY_NAME_MAX,
    DISPLAY_NAME_MIN,
    EXPERIENCE_MAX,
    EXPERIENCE_MIN,
    CoachLanguage,
    CoachProfile,
    CoachProfileRevision,
    CoachTopic,
)
from community.core.clock import utcnow
from community.core.errors import DomainError, NotAllowed
from community.core.posts import ContentStatus, PostType
from community.extensions import db
from community.questions.topics import Topic
from moderation import api as moderation
from moderation.api import ContentKind, Preview, QueueItem

PROFILE_CONTENT_TYPE = "coach_profile"  # content id: a CoachProfileRevision id
PROFILE_TEXTS = PostType(
    PROFILE_CONTENT_TYPE, CoachProfileRevision, _l("Coach profile"), moderation.submit
)

# Languages a coach can say they speak (codes; names come from Babel in the reader's language).
LANGUAGES: tuple[str, ...] = (
    "da", "no", "sv", "en", "ar", "fa", "ps", "so", "ti", "tr", "ku", "ur", "pl", "uk", "bs",
    "es", "fr", "de",
)  # fmt: skip


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

    @property
    def texts(self) -> tuple[str, str, str]:
        """The public text a moderator reads: display name, about me, lived experience."""
        return self.display_name, self.about, self.experience


# -- who is a coach ----------------------------------------------------------------------------


def is_coach(user: User | None) -> bool:
    return user is not None and user.is_active and user.role is Role.COACH


def check_is_coach(user: User | None) -> User:
    if user is None or not is_coach(user):
        raise NotAllowed(_l("Only coaches can do this."))
    return user


# -- checking a draft --------------------------------------------------------------------------


def _length_error(field_name: str, low: int, high: int) -> DomainError:
    return DomainError(
        lazy_ngettext(
            "Write %(min)d to %(num)d character.",
            "Write %(min)d to %(num)d characters.",
            high,
            min=low,
        ),
        field=field_name,
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


# -- reading -----------------------------------------------------------------------------------


def profile_of(user_id: int) -> CoachProfile | None:
    """Anyone's coach profile (applied or vetted) with its topics and languages."""
    return db.session.scalar(
        select(CoachProfile)
        .options(selectinload(CoachProfile.topics), selectinload(CoachProfile.languages))
        .where(CoachProfile.user_id == user_id)
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
    return {user_id: name for user_id, name in rows if name is not None}


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
    """The moderator's latest decision on *revision* (why it was turned down), if any."""
    if revision is None:
        return None
    return moderation.latest_decisions(PROFILE_CONTENT_TYPE, [revision.id]).get(revision.id)


# -- writing -----------------------------------------------------------------------------------


def apply_settings(profile: CoachProfile, clean: CleanProfile) -> None:
    """Topics, languages and capacity, which apply without moderation."""
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


def edit_profile(user: User, draft: ProfileDraft) -> bool:
    """Save a coach's profile. Settings apply at once; changed public text goes to a
    moderator and the approved text stays up meanwhile. Returns whether text went to review.
    """
    profile = own_profile(user)
    clean = clean_profile(draft)
    apply_settings(profile, clean)
    texts = clean.texts
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
    PROFILE_TEXTS.resubmit(revision, user.id)
    return True


def set_away(user: User, away: bool) -> CoachProfile:
    """Pause (or resume) being chosen. Threads the coach has already joined stay theirs."""
    profile = own_profile(user)
    profile.is_away = away
    db.session.flush()
    return profile


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


def _apply_status(revision: CoachProfileRevision, status: ContentStatus) -> None:
    """An approved revision becomes the profile's public text."""
    revision.apply_status(status)
    if status is ContentStatus.PUBLISHED:
        profile = db.session.get(CoachProfile, revision.profile_id)
        assert profile is not None  # noqa: S101 - a foreign key guarantees it
        profile.publish_text(revision)
    db.session.flush()


def content_kind() -> ContentKind:
    """Coach profile text as moderation's queue sees it."""
    return moderation.kind_of(PROFILE_TEXTS, _previews, _apply_status)
