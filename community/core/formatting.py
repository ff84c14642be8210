"""Formatting for people: posts (a small Markdown subset rendered once, at write time, then
sanitised) and times (stored as naive UTC, shown in the reader's time zone and language).

:func:`sanitize` is the one seam through which every piece of user HTML passes
(nh3 today), so the sanitiser can be swapped in one place. :func:`local_time` is the one
place a stored time becomes text; templates use its filters, never ``strftime``.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

import nh3
from babel.dates import get_timezone_location
from flask import Flask
from flask_babel import format_date, format_time, get_locale, get_timezone
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https"}


@cache
def _markdown() -> MarkdownIt:
    # "zero" turns everything off; we enable just what young people need to write clearly.
    md = _PostMarkdown(
        "zero", {"html": False, "linkify": False, "breaks": True, "typographer": False}
    )
    md.enable(["emphasis", "list", "blockquote", "link", "newline", "backticks", "fence"])
    return md


class _PostMarkdown(MarkdownIt):
    """Markdown for posts: links only to web addresses (no javascript:, data:, mailto: …)."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        return url.lower().startswith(("http://", "https://"))


def sanitize(html: str) -> str:
    """Strip anything but the allowed tags and attributes; links open safely."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )


def render_markdown(source: str) -> str:
    """Markdown source to safe HTML. Raw HTML in the source is shown as text, never run."""
    return sanitize(_markdown().render(source or ""))


def zone_name() -> str:
    """The reader's time zone as words in their language ("Denmark Time", "Norge-tid")."""
    zone = get_timezone()
    key = str(getattr(zone, "key", zone))
    if key in {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Zulu"}:
        return "UTC"
    return get_timezone_location(zone, locale=get_locale(), return_city=False)


def local_time(moment: datetime | None, zone: bool = False, clock: bool = False) -> str:
    """A stored (naive UTC) time in the reader's zone and language: "29 Nov 2026, 16:30".

    *clock* leaves out the date; *zone* names the zone, for times someone has to act on
    (a pause ends, a deadline, when to try again): "16:30 (Denmark Time)".
    """
    if moment is None:
        return ""
    text = format_time(moment, "short")
    if not clock:
        text = f"{format_date(moment, 'medium')}, {text}"
    return f"{text} ({zone_name()})" if zone else text


def time_tag(moment: datetime | None, zone: bool = False, clock: bool = False) -> Markup:
    """:func:`local_time` in a ``<time>`` element that carries the exact UTC moment."""
    if moment is None:
        return Markup("")
    return Markup('<time datetime="{}Z">{}</time>').format(
        moment.replace(tzinfo=None).isoformat(timespec="seconds"),
        local_time(moment, zone=zone, clock=clock),
    )


def register_time_filters(app: Flask) -> None:
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(time_tag, "time_tag")
    app.add_template_global(zone_name, "time_zone_name")
