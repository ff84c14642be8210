"""The request class: form and query values are cleaned once, before anything reads them."""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict


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
