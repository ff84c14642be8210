"""Identifying information: phone numbers, e-mail addresses, links, usernames, addresses,
names, and schools and classes (patterns, and the names in ``schools.txt``).

Helpline numbers and websites (and ``MODERATION_SAFE_LINK_DOMAINS``) are never identifying.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from moderation.text_screening.schools import (
    _JOINED,
    _PART,
    _WORD,
    SchoolRules,
    compile_schools,
    find_schools,
)

# When two findings overlap, the earlier kind in this list wins (an e-mail address is not
# also a link; an ID number is not also a phone number).
IDENTIFYING_KINDS = (
    "email", "id_number", "phone", "link", "handle", "address", "school", "name",
)  # fmt: skip
_APOSTROPHES = "['’‘`´]"
# What a text must contain before a kind's patterns can match at all: checked first, so a
# long post without any "@" or digits is not scanned by every pattern (address patterns
# must have a digit; e-mail addresses an "@" or "at").
_NEEDS = {
    "email": re.compile(
        r"@|(?:at|snabel-?a|krøllalfa)\W{1,3}(?:gmail|hotmail|outlook|yahoo|icloud|live|msn|"
        r"proton|protonmail|mail|me)(?!\w)",
        re.IGNORECASE,
    ),
    "id_number": re.compile(r"\d{6}"),
    "phone": re.compile(r"(?:\d[\s-]?){6}"),
    "link": re.compile(r"://|www\.|[a-z0-9]\.[a-z]{2}", re.IGNORECASE),
    "address": re.compile(r"\d"),
}
_HANDLE_AFTER = r"(?:\s*[:=]?\s*(?:@[\w.]{2,30}|(?=[\w.]*[\d_.])[\w.]{3,30}))?"


@dataclass(frozen=True)
class Starts:
    """Where a pattern can start: a word beginning with one of *words* (case-folded), or an
    "@" when *at*. Found from the text's words, read once, instead of a scan per pattern."""

    words: tuple[str, ...]
    at: bool = False

    def places(self, text: str, words: Sequence[re.Match[str]], folded: Sequence[str]) -> list[int]:
        starts = self.words
        found = []
        for match, word in zip(words, folded, strict=True):
            if word.startswith(starts):
                found.append(match.start())
            elif _JOINED.search(word):  # "e-mail": each part starts a word too
                offset = match.start()
                found.extend(
                    offset + part.start()
                    for part in _PART.finditer(word)
                    if part.group(0).startswith(starts)
                )
        if self.at and "@" in text:
            found.extend(index for index, ch in enumerate(text) if ch == "@")
            found.sort()
        return found


@dataclass(frozen=True)
class IdentifyingRules:
    # (kind, pattern, where it can start): phrases are tried only where one of their
    # first words is, which keeps a long post fast.
    patterns: tuple[tuple[str, re.Pattern[str], Starts | None], ...]
    schools: SchoolRules
    safe_numbers: frozenset[str]  # helpline numbers (digits only): never "identifying"
    safe_domains: frozenset[str]  # helpline websites and configured domains


def _token(token: str, platforms: str) -> str:
    escaped = re.escape(token).replace(re.escape("{platform}"), platforms)
    escaped = re.sub("['’]", lambda _match: _APOSTROPHES, escaped)
    return escaped.replace(r"\-", r"[\-\s]?")


def _phrase(phrase: str, boundaries: bool, platforms: str) -> str:
    body = r"\s+".join(_token(token, platforms) for token in phrase.split())
    return rf"(?<!\w){body}(?!\w)" if boundaries else body


def _compile(parts: Sequence[str]) -> re.Pattern[str] | None:
    if not parts:
        return None
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


def _helpline_numbers_and_domains() -> tuple[set[str], set[str]]:
    from community.core.helplines import regions_for

    numbers: set[str] = set()
    domains: set[str] = set()
    for region in regions_for(current_app.config["BABEL_DEFAULT_LOCALE"]):
        numbers.update(
            "".join(ch for ch in part if ch.isdigit()) for part in region.emergency.split("/")
        )
        for line in region.lines:
            numbers.update(
                "".join(ch for ch in number if ch.isdigit())
                for number in (line.phone, line.sms)
                if number
            )
            host = urlsplit(line.url).hostname or ""
            domains.add(host.removeprefix("www."))
    return numbers, domains


def _first_words(phrase: str, platforms: Sequence[str]) -> list[str]:
    """What the words a phrase can start with begin with (for finding where to try it)."""
    first = phrase.split()[0].lower()
    if "{platform}" in first:
        return [name.split()[0].lower() for name in platforms]
    return [first]


def _language_parts(
    data: Mapping, platforms: str, names: Sequence[str]
) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, list[str]]]]]:
    """A language's identifying patterns, and its phrases as (expression, first words)."""
    parts: dict[str, list[str]] = {}
    phrases: dict[str, list[tuple[str, list[str]]]] = {}
    bounded = bool(data.get("word_boundaries", True))
    for kind, found in data.get("identifying", {}).items():
        parts.setdefault(kind, []).extend(found.get("patterns", []))
        stop = found.get("not_followed_by", [])
        for phrase in found.get("phrases", []):
            expression = _phrase(phrase, bounded, platforms)
            if kind == "handle":
                # "my snap is …": the username after it belongs to the same finding.
                expression += _HANDLE_AFTER
            if kind == "name":
                # The intro and the word after it (the name); not "my name is not …".
                guard = "|".join(re.escape(word) for word in stop)
                guard = rf"(?!(?:{guard})(?!\w))" if guard else ""
                expression = rf"{expression}\s+{guard}[^\W\d_]{{2,}}"
            phrases.setdefault(kind, []).append((expression, _first_words(phrase, names)))
    return parts, phrases


def compile_identifying(common: Mapping, files: Mapping[str, Mapping]) -> IdentifyingRules:
    names = common.get("platforms", [])
    platforms = "(?:{})".format(
        "|".join(
            r"\s*".join(re.escape(word) for word in name.split())
            for name in sorted(names, key=len, reverse=True)
        )
    )
    identifying: dict[str, list[str]] = {kind: [] for kind in IDENTIFYING_KINDS}
    phrases: dict[str, list[tuple[str, list[str]]]] = {}
    for kind, patterns in common.get("identifying", {}).items():
        identifying.setdefault(kind, []).extend(
            p.replace("{platform}", platforms) for p in patterns
        )
    for data in files.values():
        parts, said = _language_parts(data, platforms, names)
        for kind, expressions in parts.items():
            identifying.setdefault(kind, []).extend(expressions)
        for kind, pairs in said.items():
            phrases.setdefault(kind, []).extend(pairs)
    numbers, domains = _helpline_numbers_and_domains()
    domains.update(current_app.config.get("MODERATION_SAFE_LINK_DOMAINS", ()))
    compiled: list[tuple[str, re.Pattern[str], Starts | None]] = []
    # Usernames start with "@" or an app's name: tried only there.
    app_words = [n.split()[0] for n in sorted(names, key=len, reverse=True)]
    handle_starts = Starts(_folded(app_words), at=True)
    for kind, expressions in identifying.items():
        if (pattern := _compile(expressions)) is not None:
            compiled.append((kind, pattern, handle_starts if kind == "handle" else None))
    for kind, pairs in phrases.items():
        starts = sorted({w for _expression, words in pairs for w in words}, key=len, reverse=True)
        pattern = _compile([expression for expression, _words in pairs])
        if pattern is not None:
            compiled.append((kind, pattern, Starts(_folded(starts))))
    return IdentifyingRules(
        patterns=tuple(compiled),
        schools=compile_schools(common, files),
        safe_numbers=frozenset(n for n in numbers if n),
        safe_domains=frozenset(d.lower() for d in domains if d),
    )


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _folded(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted({w.casefold() for w in words if w}))


def _is_safe(kind: str, excerpt: str, found: IdentifyingRules) -> bool:
    if kind == "phone":
        return "".join(ch for ch in excerpt if ch.isdigit()) in found.safe_numbers
    if kind == "link":
        text = excerpt.lower().rstrip(".,;:!?)")
        host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
        host = host.removeprefix("www.")
        return any(host == d or host.endswith(f".{d}") for d in found.safe_domains)
    return False


_REACH = 120  # characters either side of what a kind needs: longer than any address or e-mail


def _around(needs: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The parts of *text* within reach of a match of *needs*, widened to whole words and
    merged where they overlap (a kind's match always contains what it needs)."""
    spans: list[tuple[int, int]] = []
    for found in needs.finditer(text):
        low = max(0, found.start() - _REACH)
        high = found.end() + _REACH
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], high)
        else:
            spans.append((low, high))
    size = len(text)
    widened = []
    for low, high in spans:
        low = max(text.rfind(" ", 0, low), text.rfind("\n", 0, low)) + 1 if low else 0
        if high >= size:
            high = size
        else:
            ends = [i for i in (text.find(" ", high), text.find("\n", high)) if i >= 0]
            high = min(ends) if ends else size
        widened.append((low, high))
    return widened


def find_identifying(text: str, found: IdentifyingRules) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, excerpt) for each identifying part of *text*, in text order."""
    words = list(_WORD.finditer(text))  # read once: schools, names and usernames start at words
    folded = [word.group(0).casefold() for word in words]
    candidates: list[tuple[str, int, int, str]] = [
        ("school", start, end, text[start:end])
        for start, end in find_schools(text, found.schools, words, folded)
    ]
    for kind, pattern, starts in found.patterns:
        needs = _NEEDS.get(kind)
        if needs is not None and starts is None:
            # Only the words around what the kind needs (an "@", a digit …) are scanned.
            matches = [
                match
                for low, high in _around(needs, text)
                for match in pattern.finditer(text, low, high)
            ]
        elif starts is None:
            matches = list(pattern.finditer(text))
        else:
            tried = (pattern.match(text, start) for start in starts.places(text, words, folded))
            matches = [match for match in tried if match is not None]
        candidates.extend((kind, *m.span(), m.group(0).strip()) for m in matches)
    order = {kind: index for index, kind in enumerate(IDENTIFYING_KINDS)}
    candidates.sort(key=lambda c: (order.get(c[0], len(order)), c[1]))
    taken: list[tuple[int, int]] = []
    findings = []
    for kind, start, end, excerpt in candidates:
        if not excerpt or _overlaps(start, end, taken) or _is_safe(kind, excerpt, found):
            continue
        taken.append((start, end))
        findings.append((kind, start, end, excerpt))
    return sorted(findings, key=lambda f: f[1])
