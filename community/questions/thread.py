"""Sections other features add to a question's page, without questions importing them.

A feature (assists today, coaches later) registers a provider at start-up; the
thread view asks every provider for its section, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from community.accounts.models import User
from community.questions.models import Question

EXTENSION_KEY = "questions.thread_sections"


@dataclass(frozen=True)
class ThreadSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionProvider = Callable[[Question, User | None], ThreadSection | None]


def register_section(app: Flask, provider: SectionProvider, order: int = 50) -> None:
    """Add a section to every question page; lower *order* comes first (assists are 50)."""
    app.extensions.setdefault(EXTENSION_KEY, []).append((order, provider))


def sections_for(question: Question, viewer: User | None) -> list[ThreadSection]:
    providers = sorted(current_app.extensions.get(EXTENSION_KEY, []), key=lambda p: p[0])
    return [s for s in (p(question, viewer) for _, p in providers) if s is not None]
