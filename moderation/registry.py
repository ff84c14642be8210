"""How features tell moderation about the kinds of content they own.

Moderation never imports a feature. A feature registers a :class:`ContentKind`
at app start-up with two callbacks: one that loads previews for the queue (in
one query for many ids) and one that applies a decision to its content.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context

from moderation.models import ContentStatus

EXTENSION_KEY = "moderation.kinds"


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
class ContentKind:
    name: str
    label: Callable[[], str]
    load_previews: Callable[[Sequence[int]], Mapping[int, Preview]]
    apply_status: Callable[[int, ContentStatus], None]


def register_kind(app: Flask, kind: ContentKind) -> None:
    """Make *kind* known to moderation in *app*."""
    kinds = app.extensions.setdefault(EXTENSION_KEY, {})
    if kind.name in kinds:
        raise RuntimeError(f"content kind {kind.name!r} registered twice")
    kinds[kind.name] = kind


def get_kind(name: str) -> ContentKind:
    return current_app.extensions[EXTENSION_KEY][name]


def load_previews(name: str, ids: Sequence[int]) -> Mapping[int, Preview]:
    """Previews of *ids* of kind *name*; they hold links, so outside a request (jobs, CLI)
    they are built in a stand-in request context."""
    load = get_kind(name).load_previews
    if has_request_context():
        return load(ids)
    with current_app.test_request_context():
        return load(ids)


def all_kinds() -> Mapping[str, ContentKind]:
    return current_app.extensions.get(EXTENSION_KEY, {})
