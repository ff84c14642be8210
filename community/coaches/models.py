"""Coach profiles and applications, and the requests that attach a coach to a thread."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from community.accounts.models import User
from community.core.clock import utcnow
from community.core.formatting import render_markdown
from community.core.posts import ModeratedPost
from community.extensions import Model, enum_type
from community.questions.models import Question
from community.questions.topics import Topic

DISPLAY_NAME_MIN, DISPLAY_NAME_MAX = 2, 40
ABOUT_MIN, ABOUT_MAX = 20, 1000
EXPERIENCE_MIN, EXPERIENCE_MAX = 20, 2000
CAPACITY_MIN, CAPACITY_MAX = 1, 10


class CoachProfile(Model):
    """A coach's settings and the public text a moderator last approved.

    The text columns stay empty until a moderator approves a first revision; a coach is
    listed in the directory only once they are vetted *and* have approved text.
    """

    __tablename__ = "coach_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(DISPLAY_NAME_MAX))
    about_source: Mapped[str | None] = mapped_column(Text)
    about_html: Mapped[str | None] = mapped_column(Text)
    experience_source: Mapped[str | None] = mapped_column(Text)
    experience_html: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int] = mapped_column(default=2)  # open threads at once
    is_away: Mapped[bool] = mapped_column(default=False)
    # When the person was vetted: an application approved, or made a coach by staff.
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="raise")
    topics: Mapped[list[CoachTopic]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CoachTopic.topic"
    )
    languages: Mapped[list[CoachLanguage]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CoachLanguage.language"
    )

    @property
    def has_public_text(self) -> bool:
        return self.display_name is not None

    def publish_text(self, revision: CoachProfileRevision) -> None:
        """Show *revision*'s text from now on (a moderator approved it)."""
        self.display_name = revision.display_name
        self.about_source, self.about_html = revision.about_source, revision.about_html
        self.experience_source = revision.body_source
        self.experience_html = revision.body_html

    def __repr__(self) -> str:
        return f"<CoachProfile {self.id} of user {self.user_id}>"


class CoachTopic(Model):
    __tablename__ = "coach_topics"

    profile_id: Mapped[int] = mapped_column(ForeignKey("coach_profiles.id"), primary_key=True)
    topic: Mapped[Topic] = mapped_column(enum_type(Topic, 16), primary_key=True)

    def __repr__(self) -> str:
        return f"<CoachTopic {self.profile_id} {self.topic.value}>"


class CoachLanguage(Model):
    __tablename__ = "coach_languages"

    profile_id: Mapped[int] = mapped_column(ForeignKey("coach_profiles.id"), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)  # a code, e.g. "da"

    def __repr__(self) -> str:
        return f"<CoachLanguage {self.profile_id} {self.language}>"


class CoachProfileRevision(ModeratedPost, Model):
    """One version of a coach's public text, as sent to moderation.

    ``body`` (from :class:`ModeratedPost`) is the lived experience in the coach's own words,
    the part young people read first; the display name and "about me" sit beside it.
    """

    __tablename__ = "coach_profile_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("coach_profiles.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX))
    about_source: Mapped[str] = mapped_column(Text)
    about_html: Mapped[str] = mapped_column(Text)

    profile: Mapped[CoachProfile] = relationship(lazy="raise")

    def write_texts(self, display_name: str, about: str, experience: str) -> None:
        self.display_name = display_name
        self.about_source, self.about_html = about, render_markdown(about)
        self.write_body(experience)

    def same_texts(self, display_name: str, about: str, experience: str) -> bool:
        return (self.display_name, self.about_source, self.body_source) == (
            display_name,
            about,
            experience,
        )

    def __repr__(self) -> str:
        return f"<CoachProfileRevision {self.id} of {self.profile_id} {self.status.value}>"


class ApplicationState(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class CoachApplication(Model):
    """A young adult asking to become a coach; a moderator approves or turns it down."""

    __tablename__ = "coach_applications"
    __table_args__ = (
        Index("ix_coach_applications_state_submitted", "state", "submitted_at", "id"),
        # One waiting application per person, whatever two tabs do at once.
        Index(
            "uq_coach_applications_pending_user",
            "user_id",
            unique=True,
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("coach_profiles.id"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("coach_profile_revisions.id"))
    state: Mapped[ApplicationState] = mapped_column(
        enum_type(ApplicationState, 16), default=ApplicationState.PENDING
    )
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)  # shown to the applicant

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
    profile: Mapped[CoachProfile] = relationship(lazy="raise")
    revision: Mapped[CoachProfileRevision] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<CoachApplication {self.id} of user {self.user_id} {self.state.value}>"


class RequestState(enum.Enum):
    PENDING = "pending"  # waiting for the coach's answer
    ACCEPTED = "accepted"  # the coach is attached to the thread
    DECLINED = "declined"
    EXPIRED = "expired"  # no answer in time
    WITHDRAWN = "withdrawn"  # the asker took it back before an answer
    RELEASED = "released"  # the asker let the accepted coach go


OPEN_STATES = (RequestState.PENDING, RequestState.ACCEPTED)


class CoachRequest(Model):
    """The asker asking one coach to join their thread, and how that went."""

    __tablename__ = "coach_requests"
    __table_args__ = (
        Index("ix_coach_requests_coach_state", "coach_id", "state"),
        Index("ix_coach_requests_state_expires", "state", "expires_at"),
        Index("ix_coach_requests_question", "question_id"),
        # At most one pending or attached coach per thread, even under concurrent requests.
        Index(
            "uq_coach_requests_open_question",
            "question_id",
            unique=True,
            sqlite_where=text("state IN ('pending', 'accepted')"),
            postgresql_where=text("state IN ('pending', 'accepted')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[RequestState] = mapped_column(
        enum_type(RequestState, 16), default=RequestState.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    question: Mapped[Question] = relationship(lazy="raise")
    coach_profile: Mapped[CoachProfile] = relationship(
        primaryjoin=lambda: foreign(CoachRequest.coach_id) == CoachProfile.user_id,
        viewonly=True,
        lazy="raise",
    )

    def is_pending_at(self, now: datetime) -> bool:
        return self.state is RequestState.PENDING and self.expires_at > now

    def __repr__(self) -> str:
        return (
            f"<CoachRequest {self.id} q{self.question_id} coach {self.coach_id} {self.state.value}>"
        )
