"""Choosing the language: the person's own choice (a cookie) beats the browser's."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale

# Norwegian browsers often send "no" or "nn"; our Norwegian catalog is Bokmål.
ALIASES = {"no": "nb", "nn": "nb", "nb-no": "nb", "da-dk": "da"}
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


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


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def text_direction() -> str:
    return "rtl" if current_language().split("_")[0] in RTL_LANGUAGES else "ltr"


def init_app(app: Flask) -> None:
    @app.context_processor
    def _language_context():
        return {
            "current_language": current_language(),
            "text_direction": text_direction(),
            "languages": app.config["LANGUAGES"],
        }
