"""Redirect targets that can only stay on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    """*target* if it is a path on this site, else *fallback*.

    Only plain absolute paths pass: no scheme, no host, no ``//`` or ``/\\``
    (browsers read both as another host), no control characters.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
