"""Pseudonyms the app proposes: ``<Adjective><Noun><two digits>`` from curated word lists.

People can't type their own name, so nobody signs up as their real name or a
slur; the service re-checks that a submitted pseudonym fits this grammar.
"""

from __future__ import annotations

import re
import secrets
from functools import cache
from importlib import resources

PATTERN = re.compile(r"^([A-Z][a-z]+)([A-Z][a-z]+)([1-9][0-9])$")


@cache
def _words(name: str) -> tuple[str, ...]:
    text = resources.files("community.accounts").joinpath(f"data/{name}").read_text("utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def adjectives() -> tuple[str, ...]:
    return _words("pseudonym_adjectives.txt")


def nouns() -> tuple[str, ...]:
    return _words("pseudonym_nouns.txt")


def generate() -> str:
    """A random pseudonym from the curated lists (not checked for being taken)."""
    return secrets.choice(adjectives()) + secrets.choice(nouns()) + str(secrets.randbelow(90) + 10)


def is_well_formed(pseudonym: str) -> bool:
    """Whether *pseudonym* could have been made by :func:`generate`."""
    match = PATTERN.match(pseudonym or "")
    return match is not None and match[1] in adjectives() and match[2] in nouns()
