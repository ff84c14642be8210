"""What every moderated post (question, assist, coach reply, lounge post, coach profile text)
has in common: where it stands (:class:`ContentStatus`) and the columns that go with it.

Community owns this, so features and moderation share it without features importing
moderation's internals (``moderation.api`` re-exports :class:`ContentStatus`).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from community.core.clock import utcnow
from community.core.formatting import render_markdown
from community.extensions import enum_type


class ContentStatus(enum.Enum):
    """Where a piece of user content stands; only ``PUBLISHED`` is ever shown to the public."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    # Was public; enough people flagged it that it waits, hidden, for a moderator.
    HIDDEN = "hidden"


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

    @property
    def is_published(self) -> bool:
        return self.status is ContentStatus.PUBLISHED

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

    def apply_status(self, status: ContentStatus) -> bool:
        """Record a moderation decision; returns whether this is the first publication."""
        first_publication = status is ContentStatus.PUBLISHED and self.published_at is None
        self.status = status
        if first_publication:
            self.published_at = utcnow()
        return first_publication
