"""Post formatting: a small Markdown subset rendered once, at write time, then sanitised.

:func:`sanitize` is the one seam through which every piece of user HTML passes
(nh3 today), so the sanitiser can be swapped in one place.
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt

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
