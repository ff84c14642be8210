"""Which language a post is in, for counting screening's misses and false alarms per language.

Recorded on the queue item when the post arrives (:func:`submission_language`). Today that is
the author's interface language; a language detector can take its place here (or the
screening job can overwrite ``QueueItem.language`` with what it detects) without touching
anything that counts by it.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import has_request_context
from flask_babel import get_locale

from community.core.i18n import current_language


def submission_language() -> str | None:
    """The language of a post being submitted now: the author's interface language, or
    ``None`` outside a request (demo data, jobs), where nobody chose one."""
    if not has_request_context():
        return None
    return current_language()


def language_name(code: str | None) -> str | None:
    """The name of language *code* in the reader's language ("Danish", "dansk"), or
    ``None`` for an unknown language."""
    if not code:
        return None
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(str(get_locale() or "en"))
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    if not name:
        return code
    return name[:1].upper() + name[1:]
