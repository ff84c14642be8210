"""How features tell moderation about the kinds of content they own.

Moderation never imports a feature. A feature registers a :class:`ContentKind`
at app start-up with two callbacks: one that loads previews for the queue (in
one query for many ids) and one that applies a decision to its content. Kinds
written by young people also hand over their own text (``load_sources``) so it
can be screened and, by a moderator, redacted (``write_redaction``); they say
whether readers may flag them and whether a trusted author's posts may skip the
queue under the "new users only" policy. A feature usually builds its kind from the
:class:`~community.core.posts.ContentType` it declares, with :func:`kind_of` or (for
posts young people write in public) :func:`public_post_kind`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from flask import Flask, current_app, has_request_context

from community.core.posts import ContentStatus, ContentType
from community.core.registry import Registry
from moderation.text_screening import html_to_text


@dataclass(frozen=True)
class Preview:
    """What a moderator (or the author) sees of one piece of content."""

    content_id: int
    title: str
    body_html: str
    author_id: int
    author_name: str
    context: str | None = None  # e.g. the question an assist answers
    public_url: str | None = None  # where it appears once published


@dataclass(frozen=True)
class Source:
    """The author's own words, as they wrote them (Markdown), with who wrote them and where
    the content stands. ``title`` is None for kinds without one (an assist)."""

    title: str | None
    body: str
    author_id: int
    status: ContentStatus | None = None


@dataclass(frozen=True)
class ContentKind:
    name: str
    label: Callable[[], str]
    load_previews: Callable[[Sequence[int]], Mapping[int, Preview]]
    apply_status: Callable[[int, ContentStatus], None]
    # The author's text by id, in one query (screening, feedback to the author, redaction).
    load_sources: Callable[[Sequence[int]], Mapping[int, Source]] | None = None
    # Replace the text with a moderator's redacted version (marks it edited; no new queue item).
    write_redaction: Callable[[int, Source], None] | None = None
    # Readers may flag published content of this kind.
    flaggable: bool = False
    # Under the "new users only" policy a trusted author's post is published without waiting.
    trust_may_publish: bool = False


KINDS: Registry[ContentKind] = Registry("moderation.kinds", "content kind")

M = TypeVar("M")


def kind_of(
    content: ContentType[M],
    load_previews: Callable[[Sequence[int]], Mapping[int, Preview]],
    apply: Callable[[M, ContentStatus], object],
) -> ContentKind:
    """The kind for *content* that only a moderator decides on (coach profile text, lounge
    posts, ring reports): nobody flags it and it never skips the queue. *apply* gets the
    row itself (an unknown id is not found)."""
    return ContentKind(
        name=content.name,
        label=lambda: str(content.label),
        load_previews=load_previews,
        apply_status=content.status_applier(apply),
    )


def public_post_kind(
    content: ContentType[M],
    load_previews: Callable[[Sequence[int]], Mapping[int, Preview]],
    apply: Callable[[M, ContentStatus], object],
    load_sources: Callable[[Sequence[int]], Mapping[int, Source]],
    write_redaction: Callable[[int, Source], None],
) -> ContentKind:
    """The kind for posts young people write in public (questions, assists): screened and
    redacted in the author's own words, flaggable by readers, and under the "new users only"
    policy a trusted author's are published without waiting."""
    return replace(
        kind_of(content, load_previews, apply),
        load_sources=load_sources,
        write_redaction=write_redaction,
        flaggable=True,
        trust_may_publish=True,
    )


def register_kind(app: Flask, kind: ContentKind) -> None:
    """Make *kind* known to moderation in *app*."""
    KINDS.register(app, kind.name, kind)


def get_kind(name: str) -> ContentKind:
    return KINDS.get(name)


def find_kind(name: str) -> ContentKind | None:
    """The kind called *name*, or ``None`` (for names that come from a URL)."""
    return KINDS.find(name)


def _in_request(load, ids):
    if has_request_context():
        return load(ids)
    with current_app.test_request_context():
        return load(ids)


def load_previews(name: str, ids: Sequence[int]) -> Mapping[int, Preview]:
    """Previews of *ids* of kind *name*; they hold links, so outside a request (jobs, CLI)
    they are built in a stand-in request context."""
    return _in_request(get_kind(name).load_previews, ids)


def load_sources(name: str, ids: Sequence[int]) -> Mapping[int, Source]:
    """The authors' own text for *ids* of kind *name*. Kinds without ``load_sources`` give
    their preview's title and text (with the HTML tags taken out)."""
    kind = get_kind(name)
    if kind.load_sources is not None:
        return kind.load_sources(ids)
    return {
        content_id: Source(preview.title, html_to_text(preview.body_html), preview.author_id)
        for content_id, preview in load_previews(name, ids).items()
    }


def all_kinds() -> Mapping[str, ContentKind]:
    return KINDS.all()
