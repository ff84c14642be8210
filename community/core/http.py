"""The request class and URL converters: what arrives is cleaned and bounded once, before
anything reads it."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, Map, ValidationError

from community.core.forms import MAX_ID


def _clean(text):
    return text.replace("\x00", "") if isinstance(text, str) else text


class CleanMultiDict(ImmutableMultiDict):
    """Form and query values without NUL characters.

    A NUL can't be stored in PostgreSQL text and is never meaningful in a post, a
    pseudonym or a search; dropping it at the door keeps every later layer simple.
    """

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        items = mapping.items(multi=True) if hasattr(mapping, "items") else mapping
        super().__init__((_clean(key), _clean(value)) for key, value in items)


class AssistRequest(Request):
    parameter_storage_class = CleanMultiDict


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` for database ids: ASCII digits from 1 to :data:`MAX_ID`, else no match (404).

    Every id column is a 32-bit integer on PostgreSQL, so no row has a larger id; a larger
    number would make SQLite raise ``OverflowError`` (at 2**63) or PostgreSQL compare
    across types. Refusing it while routing answers 404 before any query runs, on every
    route, including routes added later. A route may still narrow the range
    (``<int(max=99):n>``).
    """

    regex = r"[0-9]+"  # not \d: no other scripts' digits as aliases of an id
    # Longest digit string worth converting (MAX_ID has 10 digits; leading zeros aside).
    MAX_DIGITS = 20

    def __init__(
        self,
        map: Map,  # noqa: A002 - werkzeug's signature
        fixed_digits: int = 0,
        min: int | None = 1,  # noqa: A002
        max: int | None = MAX_ID,  # noqa: A002
        signed: bool = False,
    ) -> None:
        upper = MAX_ID if max is None or max > MAX_ID else max
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=upper, signed=signed)

    def to_python(self, value: str) -> Any:
        if len(value) > self.MAX_DIGITS:  # never hand int() thousands of digits
            raise ValidationError()
        return super().to_python(value)


def init_app(app: Flask) -> None:
    """Clean request values and bound ``<int:…>``; call it before any route is added."""
    app.request_class = AssistRequest
    app.url_map.converters["int"] = BoundedIntConverter
