"""Names shown on assists in place of the author's pseudonym, supplied by other features.

A coach's reply shows the coach's display name: showing their account's pseudonym would
link their coaching to anything they once wrote as a young person. A provider gets the
thread's assists and returns ``{assist_id: name}``, in one query at most.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from flask import Flask, current_app

from community.assists.models import Assist

EXTENSION_KEY = "assists.author_names"

NameProvider = Callable[[Sequence[Assist]], Mapping[int, str]]


def register_author_names(app: Flask, provider: NameProvider) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(provider)


def author_names(assists: Sequence[Assist]) -> dict[int, str]:
    """Names to show instead of pseudonyms, by assist id."""
    names: dict[int, str] = {}
    for provider in current_app.extensions.get(EXTENSION_KEY, []):
        names.update(provider(assists))
    return names
