"""Choosing the language, the country and the time zone a person sees.

Language: their own choice (a cookie) beats the browser's. Country (whose helplines they
see): their choice (a cookie), else the region their browser asks for ("en-GB"), else the
country of their language, else ``DEFAULT_COUNTRY``. Time zone: the browser's (a cookie a
small static script sets), else their country's. Stored times stay UTC; only display changes.
"""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale
from werkzeug.wrappers import Response

from community.core import formatting, helplines

# Norwegian browsers often send "no" or "nn"; our Norwegian catalog is Bokmål.
ALIASES = {"no": "nb", "nn": "nb", "nb-no": "nb", "da-dk": "da"}
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
# An IANA zone name as a browser reports it ("Europe/Oslo", "America/Argentina/Salta").
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]{0,30}(/[A-Za-z0-9_+\-]{1,30}){0,2}")


def normalise(tag: str | None) -> str | None:
    """Map a language tag onto one we have, or ``None``."""
    if not tag:
        return None
    tag = tag.strip().lower().replace("_", "-")
    tag = ALIASES.get(tag, tag)
    supported = current_app.config["LANGUAGES"]
    if tag in supported:
        return tag
    base = ALIASES.get(tag.split("-")[0], tag.split("-")[0])
    return base if base in supported else None


def select_locale() -> str:
    if not has_request_context():  # jobs and CLI commands speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = normalise(request.cookies.get(current_app.config["LANGUAGE_COOKIE"]))
    if chosen:
        return chosen
    for tag, _quality in request.accept_languages:
        found = normalise(tag)
        if found:
            return found
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language(response: Response, chosen: str) -> None:
    """Keep the reader's language choice (a year, this site only, not readable by scripts)."""
    response.set_cookie(
        current_app.config["LANGUAGE_COOKIE"],
        chosen,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def text_direction() -> str:
    return "rtl" if current_language().split("_")[0] in RTL_LANGUAGES else "ltr"


def default_country() -> str:
    configured = helplines.known_country(current_app.config.get("DEFAULT_COUNTRY"))
    return configured or helplines.country_codes()[0]


def select_country() -> str:
    """The country whose helplines (and time zone) this reader gets; see the module doc."""
    if not has_request_context():
        return default_country()
    chosen = helplines.known_country(request.cookies.get(current_app.config["COUNTRY_COOKIE"]))
    if chosen:
        return chosen
    # The browser's languages in its order of preference: "en-GB" says GB, "da" says DK.
    for tag, _quality in request.accept_languages:
        parts = tag.replace("_", "-").split("-")
        region = helplines.known_country(parts[-1]) if len(parts) > 1 else None
        found = region or helplines.country_for_language(normalise(tag) or parts[0])
        if found:
            return found
    return helplines.country_for_language(current_language()) or default_country()


def current_country() -> str:
    """:func:`select_country`, once per request."""
    if not has_request_context():
        return default_country()
    if "assist_country" not in g:
        g.assist_country = select_country()
    return g.assist_country


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def known_timezone(name: str | None) -> str | None:
    """*name* if it is a time zone we know (never a path or anything else), else ``None``."""
    if not name or not _ZONE_NAME.fullmatch(name):
        return None
    return name if name in _zones() else None


def select_timezone() -> str:
    """The browser's zone (cookie), else the reader's country's zone."""
    if has_request_context():
        browser = known_timezone(request.cookies.get(current_app.config["TIMEZONE_COOKIE"]))
        if browser:
            return browser
    return helplines.timezone_for(current_country())


def current_timezone() -> ZoneInfo:
    return ZoneInfo(select_timezone())


def country_choices() -> list[tuple[str, str]]:
    """(code, name in the reader's language) for the country switch, by name."""
    language = current_language()
    names = [(code, helplines.country_name(code, language)) for code in helplines.country_codes()]
    return sorted(names, key=lambda pair: pair[1])


def init_app(app: Flask) -> None:
    formatting.register_time_filters(app)

    @app.context_processor
    def _language_context():
        return {
            "current_language": current_language(),
            "text_direction": text_direction(),
            "languages": app.config["LANGUAGES"],
            "current_country": current_country(),
            "country_choices": country_choices,
        }
