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


def register_section(app: Flask, provider: SectionProvider) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(provider)


def sections_for(question: Question, viewer: User | None) -> list[ThreadSection]:
    providers = current_app.extensions.get(EXTENSION_KEY, [])
    return [s for s in (p(question, viewer) for p in providers) if s is not None]
