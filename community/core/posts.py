"""What every moderated post (question, assist, coach reply, lounge post, coach profile text)
has in common: where it stands (:class:`ContentStatus`), the columns that go with it
(:class:`ModeratedPost`), and its way through the queue (:class:`PostType`): a new post is
saved and submitted; an edit is allowed only to its author while it is not published, and
sends it back to the queue; a moderator's decision is applied to it by id.

Community owns this, so features and moderation share it without features importing
moderation's internals (``moderation.api`` re-exports :class:`ContentStatus`). It never
imports moderation: a feature hands moderation's ``submit`` to its :class:`PostType`, and
``moderation.api.kind_of`` turns a :class:`ContentType` into the kind moderation registers.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from flask_babel import lazy_ngettext
from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from community.core.clock import utcnow
from community.core.errors import DomainError, NotAllowed, NotFound
from community.core.formatting import render_markdown
from community.extensions import db, enum_type


class ContentStatus(enum.Enum):
    """Where a piece of user content stands; only ``PUBLISHED`` is ever shown to the public."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    # Was public; enough people flagged it that it waits, hidden, for a moderator.
    HIDDEN = "hidden"
    # Its author deleted it: gone for everyone but moderators, and its text is purged after
    # ``DELETED_POSTS_RETENTION_DAYS``. No decision changes it again.
    DELETED = "deleted"


class ModeratedPost:
    """Columns and state changes shared by user posts that pass the moderation queue."""

    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitised at write time
    status: Mapped[ContentStatus] = mapped_column(
        enum_type(ContentStatus, 16), default=ContentStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    if TYPE_CHECKING:  # every post maps these itself (its own foreign key)
        id: Mapped[int]
        author_id: Mapped[int]

    @property
    def is_published(self) -> bool:
        return self.status is ContentStatus.PUBLISHED

    @property
    def is_deleted(self) -> bool:
        return self.status is ContentStatus.DELETED

    @property
    def is_editable(self) -> bool:
        """Authors may change a post while it waits or after it was turned down."""
        return self.status in (ContentStatus.PENDING, ContentStatus.REJECTED)

    def write_body(self, source: str) -> None:
        """Keep the Markdown source and its safe HTML together."""
        self.body_source = source
        self.body_html = render_markdown(source)

    def mark_edited(self) -> None:
        """An edit sends the post back to the queue."""
        self.status = ContentStatus.PENDING
        self.edited_at = utcnow()

    def write_redaction(self, source: str) -> None:
        """A moderator's version of the text: edited, but no new queue item and no new status."""
        self.write_body(source)
        self.edited_at = utcnow()

    def apply_status(self, status: ContentStatus) -> bool:
        """Record a moderation decision; returns whether this is the first publication."""
        first_publication = status is ContentStatus.PUBLISHED and self.published_at is None
        self.status = status
        if first_publication:
            self.published_at = utcnow()
        return first_publication


M = TypeVar("M")  # a mapped model with an integer primary key
P = TypeVar("P", bound=ModeratedPost)
Send = Callable[[str, int, int], object]  # (content type, content id, author id), e.g. submit


class Author(Protocol):
    """Anyone who writes a post: an account (core doesn't import the accounts feature)."""

    @property
    def id(self) -> int: ...


@dataclass(frozen=True)
class ContentType(Generic[M]):
    """Something moderators decide on, as the feature that owns it declares it."""

    name: str  # the content type moderation knows it by: "question", "ring_report" …
    model: type[M]
    label: object  # what moderators call it: a lazy text, translated when shown

    def get(self, content_id: int) -> M:
        """The row with *content_id*, or :class:`NotFound`."""
        row = db.session.get(self.model, content_id)
        if row is None:
            raise NotFound()
        return row

    def status_applier(
        self, apply: Callable[[M, ContentStatus], object]
    ) -> Callable[[int, ContentStatus], None]:
        """Moderation's ``apply_status`` callback: the row by id (or :class:`NotFound`),
        then *apply* the decision to it."""

        def apply_status(content_id: int, status: ContentStatus) -> None:
            apply(self.get(content_id), status)

        return apply_status


@dataclass(frozen=True)
class PostType(ContentType[P]):
    """A kind of post that goes through the moderation queue. *submit* is moderation's
    ``submit``, handed over by the feature."""

    submit: Send

    def add(self, post: P, author_id: int, *, send: Send | None = None) -> P:
        """Save a new post and send it to moderation: to the queue, or to *send* instead
        (e.g. an automatic approval)."""
        db.session.add(post)
        db.session.flush()
        (send or self.submit)(self.name, post.id, author_id)
        return post

    def own_editable(self, post_id: int, editor: Author | None, refusal: object) -> P:
        """*editor*'s own post, while they may still change it. Anyone else's is not found;
        a published one is refused with *refusal*."""
        post = db.session.get(self.model, post_id)
        if post is None or editor is None or post.author_id != editor.id:
            raise NotFound()
        if not post.is_editable:
            raise NotAllowed(refusal)
        return post

    def resubmit(self, post: P, author_id: int) -> P:
        """An edited post (its new text already written) goes back to the queue; a version
        still waiting there is superseded."""
        post.mark_edited()
        db.session.flush()
        self.submit(self.name, post.id, author_id)
        return post


def checked_body(body: str | None, shortest: int, longest: int) -> str:
    """*body* without surrounding space, or a :class:`DomainError` on the ``body`` field that
    says how long a post may be (every kind of post says it the same way)."""
    body = (body or "").strip()
    if not shortest <= len(body) <= longest:
        raise DomainError(
            lazy_ngettext(
                "Write %(min)d to %(num)d character.",
                "Write %(min)d to %(num)d characters.",
                longest,
                min=shortest,
            ),
            field="body",
        )
    return body
