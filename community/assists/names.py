"""Names shown on assists in place of the author's pseudonym, supplied by other features.

A coach's reply shows the coach's display name: showing their account's pseudonym would
link their coaching to anything they once wrote as a young person. A provider gets the
thread's assists and returns ``{assist_id: name}``, in one query at most.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from flask import Flask

from community.assists.models import Assist
from community.core.registry import Providers

NameProvider = Callable[[Sequence[Assist]], Mapping[int, str]]

PROVIDERS: Providers[NameProvider] = Providers("assists.author_names")


def register_author_names(app: Flask, provider: NameProvider) -> None:
    PROVIDERS.add(app, provider)


def author_names(assists: Sequence[Assist]) -> dict[int, str]:
    """Names to show instead of pseudonyms, by assist id."""
    names: dict[int, str] = {}
    for provider in PROVIDERS.all():
        names.update(provider(assists))
    return names
