"""Sections other features add to a question's page, without questions importing them.

A feature (assists today, coaches later) registers a provider at start-up; the
thread view asks every provider for its section, in order. A feature whose form in its
section did not go through shows the page again with :func:`render_refused`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, render_template

from community.accounts.models import User
from community.core.registry import Providers
from community.questions import deletion, services
from community.questions.models import Question
from moderation import api as moderation


@dataclass(frozen=True)
class ThreadSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionProvider = Callable[[Question, User | None], ThreadSection | None]

SECTIONS: Providers[SectionProvider] = Providers("questions.thread_sections")


def register_section(app: Flask, provider: SectionProvider, order: int = 50) -> None:
    """Add a section to every question page; lower *order* comes first (assists are 50)."""
    SECTIONS.add(app, provider, order)


def sections_for(question: Question, viewer: User | None) -> list[ThreadSection]:
    return [s for s in (p(question, viewer) for p in SECTIONS.all()) if s is not None]


def render_thread(
    question: Question, viewer: User | None, sections: list[ThreadSection] | None = None
) -> str:
    """The question's page: the question, then every section (by default, as registered)."""
    return render_template(
        "questions/detail.html",
        question=question,
        can_edit=services.can_edit(question, viewer),
        can_delete=deletion.can_delete(question, viewer),
        reported=_reported(question, viewer),
        sections=sections_for(question, viewer) if sections is None else sections,
    )


def _reported(question: Question, viewer: User | None) -> bool:
    """Whether the viewer reported this question already (a query only for a reader who
    could report it)."""
    if viewer is None or not question.is_published or viewer.id == question.author_id:
        return False
    return question.id in moderation.reported_by(viewer, services.CONTENT_TYPE, [question.id])


def render_refused(
    question: Question, viewer: User | None, section: ThreadSection | None
) -> tuple[str, int]:
    """The question's page again (422) when a form in *section* did not go through:
    *section*, with what was typed and what to fix, stands in for the one it replaces."""
    sections = [
        section if section is not None and s.template == section.template else s
        for s in sections_for(question, viewer)
    ]
    return render_thread(question, viewer, sections), 422
