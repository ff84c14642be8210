"""Per-app registries: what features hand over at start-up, kept in ``app.extensions``.

A feature registers into the app it is building (in its ``init_app``); the code that
reads uses the app serving the request or job, so two apps (tests build many) never share
entries. An app where nothing was registered reads as empty.

* :class:`Registry`: entries by name, each name once (content kinds, notification types).
* :class:`Providers`: any number of entries, read in order (thread sections, screeners).
* :func:`app_state`: what one app builds once and keeps (a hasher, compiled rules, a cache).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from flask import Flask, current_app

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries by name in each app. A name registered twice is a mistake, unless *replace*
    says a later registration takes its place."""

    def __init__(self, key: str, what: str, *, replace: bool = False) -> None:
        self.key = key  # where in app.extensions
        self.what = what  # what an entry is, for the error: "content kind"
        self.replace = replace

    def register(self, app: Flask, name: str, entry: T) -> None:
        entries: dict[str, T] = app.extensions.setdefault(self.key, {})
        if name in entries and not self.replace:
            raise RuntimeError(f"{self.what} {name!r} registered twice")
        entries[name] = entry

    def all(self) -> Mapping[str, T]:
        """Every entry of the current app, by name."""
        return current_app.extensions.get(self.key, {})

    def get(self, name: str) -> T:
        """The entry called *name*; :class:`KeyError` if there is none."""
        return self.all()[name]

    def find(self, name: str) -> T | None:
        """The entry called *name*, or ``None`` (for names that come from a URL)."""
        return self.all().get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.all()


class Providers(Generic[T]):
    """Any number of entries in each app, read lowest *order* first, then as registered."""

    def __init__(self, key: str) -> None:
        self.key = key  # where in app.extensions

    def add(self, app: Flask, entry: T, order: int = 0) -> None:
        app.extensions.setdefault(self.key, []).append((order, entry))

    def all(self) -> list[T]:
        """The current app's entries, in order."""
        entries = current_app.extensions.get(self.key, [])
        return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]


def app_state(key: str, app: Flask | None = None) -> dict[str, Any]:
    """A dict that *app* (by default the current one) keeps under *key*: values it builds
    once and reuses, such as a password hasher, compiled rules or a small cache."""
    return (app or current_app).extensions.setdefault(key, {})
