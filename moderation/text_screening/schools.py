"""Schools and classes: "<Name> Skole / Gymnasium / vgs / School …", "8.b", "i 9c", "VG2B",
and every name in the school-names file (``schools.txt``, or ``MODERATION_SCHOOL_NAMES_FILE``).

A school word alone ("skolen", "på gymnasiet", "my school") and a class year alone ("9.
klasse", "VG2", "year 9") are not identifying: thousands share them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from flask import current_app

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_PART = re.compile(r"[^\W_]+")  # a word's letters, split at hyphens and apostrophes too
_JOINED = re.compile(r"[-'’]")
# A class: "8.b", "9. x", "VG2B", "2STA", or "8b" / "9 c" after a word such as "i", "class".
_CLASS = re.compile(
    r"(?=[0-9vV])"  # every class starts with a digit or "vg": other places are skipped fast
    r"(?:(?<![\w.,])(?:10|[0-9])(\.?)\s?[a-fx-z](?![\w)])(?!\.m)"
    r"|(?<!\w)vg\s?[1-3]\s?[a-f](?!\w)"
    r"|(?<!\w)[1-3]\s?st[a-f](?!\w))",
    re.IGNORECASE,
)
_CLASS_BEFORE = re.compile(
    r"(?:^|\W)(?:klasse|klassen|kl\.|class|form|year|grade|i|in|fra|from)\s+$", re.IGNORECASE
)


def _classes(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _CLASS.finditer(text):
        dot = match.group(1)
        if dot is None or dot:  # "VG2B", "2STA", "8.b"
            spans.append(match.span())
        elif not match.group(0).lower().startswith("3d") and _CLASS_BEFORE.search(
            text, max(0, match.start() - 12), match.start()
        ):
            spans.append(match.span())  # "i 8b", "class 9C"
    return spans


@dataclass(frozen=True)
class SchoolRules:
    strong: re.Pattern[str] | None  # school words a lower-case name may come before
    weak: re.Pattern[str] | None  # school words that need a Capitalised name before them
    not_names: frozenset[str]
    names: dict[str, tuple[tuple[str, ...], ...]]  # first word → the names' words
    # The first word of each school word: a text without any of them is not scanned.
    strong_first: frozenset[str] = frozenset()
    weak_first: frozenset[str] = frozenset()

    @property
    def first(self) -> frozenset[str]:
        return self.strong_first | self.weak_first


def _words_pattern(words) -> re.Pattern[str] | None:
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    body = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _names_text() -> str:
    path = current_app.config.get("MODERATION_SCHOOL_NAMES_FILE")
    if path:
        return Path(path).read_text("utf-8")
    return resources.files("moderation").joinpath("data/screening/schools.txt").read_text("utf-8")


def compile_schools(common: Mapping, files: Mapping[str, Mapping]) -> SchoolRules:
    strong: set[str] = set()
    weak: set[str] = set()
    not_names: set[str] = set()
    for data in [common, *files.values()]:
        schools = data.get("schools", {})
        strong.update(schools.get("after_any_name", ()))
        weak.update(schools.get("after_capitalised_name", ()))
        weak.update(data.get("school_words", ()))  # the first README's spelling
        not_names.update(w.casefold() for w in schools.get("not_names", ()))
        not_names.update(w.casefold() for w in data.get("not_school_names", ()))
    names: dict[str, list[tuple[str, ...]]] = {}
    for line in _names_text().splitlines():
        line = line.split("#", 1)[0].strip()
        words = tuple(w.casefold() for w in _WORD.findall(line))
        if words:
            names.setdefault(words[0], []).append(words)
    return SchoolRules(
        strong=_words_pattern(strong),
        weak=_words_pattern(weak),
        not_names=frozenset(not_names),
        names={first: tuple(sorted(v, key=len, reverse=True)) for first, v in names.items()},
        strong_first=_first_words(strong),
        weak_first=_first_words(weak),
    )


def _first_words(words) -> frozenset[str]:
    return frozenset(parts[0] for w in words if (parts := _PART.findall(w.casefold())))


def _name_before(text: str, end: int, found: SchoolRules, capitalised: bool) -> int | None:
    """Where the name in front of a school word (ending at *end*) starts, or None."""
    before = list(_WORD.finditer(text[max(0, end - 80) : end]))
    offset = max(0, end - 80)
    start = None
    for match in reversed(before[-3:]):
        word = match.group(0)
        gap = text[offset + match.end() : end if start is None else start]
        if gap.strip() not in ("", "-") or word.casefold() in found.not_names or word.isdigit():
            break
        if word[0].isupper():
            start = offset + match.start()
            continue
        if capitalised or start is not None:
            break
        start = offset + match.start()  # lower case: one word only
        break
    return start


def find_schools(
    text: str,
    found: SchoolRules,
    words: Sequence[re.Match[str]] | None = None,
    folded: Sequence[str] | None = None,
) -> list[tuple[int, int]]:
    """Schools and classes in *text* (*words*: its :data:`WORD` matches, if already read)."""
    spans = _classes(text)
    if words is None or folded is None:
        words = list(_WORD.finditer(text))  # read once, for school words and for names
        folded = [w.group(0).casefold() for w in words]
    # School words are tried only where a word that can start one is.
    first = found.first
    places = []
    for found_word, word in zip(words, folded, strict=True):
        if word in first:
            places.append(found_word.start())
        elif _JOINED.search(word):  # "ørestad-gymnasium": each part can start one
            offset = found_word.start()
            places.extend(offset + p.start() for p in _PART.finditer(word) if p.group(0) in first)
    for pattern, capitalised in ((found.strong, False), (found.weak, True)):
        if pattern is None or not places:
            continue
        for place in places:
            match = pattern.match(text, place)
            if match is None:
                continue
            start = _name_before(text, match.start(), found, capitalised)
            if start is not None:
                spans.append((start, match.end()))
    names = found.names
    if not names.keys().isdisjoint(folded):
        spans.extend(_named(words, folded, found))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _named(
    words: Sequence[re.Match[str]], folded: Sequence[str], found: SchoolRules
) -> list[tuple[int, int]]:
    """Where the names from the school-names file are (*words* of the text, and folded)."""
    spans = []
    for index, word in enumerate(folded):
        for name in found.names.get(word, ()):
            if tuple(folded[index : index + len(name)]) == name:
                spans.append((words[index].start(), words[index + len(name) - 1].end()))
                break
    return spans
