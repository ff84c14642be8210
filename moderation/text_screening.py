"""Text screening: crisis language and identifying information in a text, from data files.

(The screening *job*, which runs screeners on every submission, is :mod:`moderation.screening`;
this module is the pure part it and the author's feedback share.)

The words live in ``moderation/data/screening/<language>.json`` (plus ``common.json`` for
what every language shares: phone numbers, e-mail addresses, links, @usernames). Every
language file is applied to every text, because young people mix languages; adding a
language (ar, uk, so, ti …) is adding a file. ``MODERATION_SCREENING_DIR`` points at
another folder of the same shape.

:func:`screen_text` needs no database: the author's page runs it on their own text to
explain what was found, and the screening job runs it to store the *codes* of what was
found on the queue item. Nothing here keeps any text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from community.core.registry import app_state

EXTENSION_KEY = "moderation.screening_rules"
CRISIS_CATEGORIES = ("suicide", "self_harm", "abuse")
# When two findings overlap, the earlier kind in this list wins (an e-mail address is not
# also a link; an ID number is not also a phone number).
IDENTIFYING_KINDS = ("email", "id_number", "phone", "link", "handle", "address", "name")
_TAG = re.compile(r"<[^>]+>")
_APOSTROPHES = "['’‘`´]"
_HANDLE_AFTER = r"(?:\s*[:=]?\s*(?:@[\w.]{2,30}|(?=[\w.]*[\d_.])[\w.]{3,30}))?"


@dataclass(frozen=True)
class Finding:
    """One thing a screener found: its code, where it is, and the words themselves.

    ``excerpt`` is shown only to the author, from their own text; it is never stored.
    """

    code: str  # e.g. "risk.self_harm", "identifying.phone"
    start: int
    end: int
    excerpt: str

    @property
    def kind(self) -> str:
        return self.code.partition(".")[2]


@dataclass(frozen=True)
class TextScreening:
    risk: tuple[Finding, ...] = ()
    identifying: tuple[Finding, ...] = ()

    @property
    def is_risk(self) -> bool:
        return bool(self.risk)

    @property
    def reasons(self) -> list[str]:
        """The codes found, each once, risk first."""
        codes: list[str] = []
        for finding in (*self.risk, *self.identifying):
            if finding.code not in codes:
                codes.append(finding.code)
        return codes


@dataclass(frozen=True)
class _Rules:
    crisis: tuple[tuple[str, re.Pattern[str]], ...]  # (category, pattern)
    not_crisis: tuple[re.Pattern[str], ...]
    identifying: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern), in precedence
    safe_numbers: frozenset[str]  # helpline numbers (digits only): never "identifying"
    safe_domains: frozenset[str]  # helpline websites and configured domains
    languages: tuple[str, ...]


# -- loading the data --------------------------------------------------------------------------


def _data_files() -> dict[str, dict]:
    folder = current_app.config.get("MODERATION_SCREENING_DIR")
    if folder:
        paths = sorted(Path(folder).glob("*.json"))
        return {path.stem: json.loads(path.read_text("utf-8")) for path in paths}
    base = resources.files("moderation").joinpath("data/screening")
    return {
        entry.name.removesuffix(".json"): json.loads(entry.read_text("utf-8"))
        for entry in sorted(base.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    }


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


def _build_rules() -> _Rules:
    files = _data_files()
    common = files.pop("common", {})
    platforms = "(?:{})".format(
        "|".join(
            r"\s*".join(re.escape(word) for word in name.split())
            for name in sorted(common.get("platforms", []), key=len, reverse=True)
        )
    )
    crisis: list[tuple[str, re.Pattern[str]]] = []
    not_crisis: list[re.Pattern[str]] = []
    identifying: dict[str, list[str]] = {kind: [] for kind in IDENTIFYING_KINDS}
    for kind, patterns in common.get("identifying", {}).items():
        identifying.setdefault(kind, []).extend(
            p.replace("{platform}", platforms) for p in patterns
        )
    for data in files.values():
        bounded = bool(data.get("word_boundaries", True))
        for category, rules in data.get("crisis", {}).items():
            parts = [_phrase(p, bounded, platforms) for p in rules.get("phrases", [])]
            compiled = _compile(parts + list(rules.get("patterns", [])))
            if compiled is not None:
                crisis.append((category, compiled))
        safe = data.get("not_crisis", {})
        compiled = _compile(
            [_phrase(p, bounded, platforms) for p in safe.get("phrases", [])]
            + list(safe.get("patterns", []))
        )
        if compiled is not None:
            not_crisis.append(compiled)
        for kind, rules in data.get("identifying", {}).items():
            parts = list(rules.get("patterns", []))
            stop = rules.get("not_followed_by", [])
            for phrase in rules.get("phrases", []):
                expression = _phrase(phrase, bounded, platforms)
                if kind == "handle":
                    # "my snap is …": the username after it belongs to the same finding.
                    expression += _HANDLE_AFTER
                if kind == "name":
                    # The intro and the word after it (the name); not "my name is not …".
                    guard = "|".join(re.escape(word) for word in stop)
                    guard = rf"(?!(?:{guard})(?!\w))" if guard else ""
                    expression = rf"{expression}\s+{guard}[^\W\d_]{{2,}}"
                parts.append(expression)
            identifying.setdefault(kind, []).extend(parts)
    numbers, domains = _helpline_numbers_and_domains()
    domains.update(current_app.config.get("MODERATION_SAFE_LINK_DOMAINS", ()))
    ordered = [k for k in IDENTIFYING_KINDS if k in identifying] + sorted(
        k for k in identifying if k not in IDENTIFYING_KINDS
    )
    return _Rules(
        crisis=tuple(crisis),
        not_crisis=tuple(not_crisis),
        identifying=tuple(
            (kind, pattern)
            for kind in ordered
            if (pattern := _compile(identifying[kind])) is not None
        ),
        safe_numbers=frozenset(n for n in numbers if n),
        safe_domains=frozenset(d.lower() for d in domains if d),
        languages=tuple(files),
    )


def rules() -> _Rules:
    """The compiled rules for this app (built once)."""
    state = app_state(EXTENSION_KEY)
    if "rules" not in state:
        state["rules"] = _build_rules()
    return state["rules"]


def languages() -> tuple[str, ...]:
    """The languages with a data file, e.g. ``("da", "en", "nb")``."""
    return rules().languages


# -- screening ---------------------------------------------------------------------------------


def html_to_text(markup: str) -> str:
    """Stored HTML as the plain text a reader sees."""
    return html.unescape(_TAG.sub(" ", markup or ""))


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _is_safe(kind: str, excerpt: str, found: _Rules) -> bool:
    if kind == "phone":
        return "".join(ch for ch in excerpt if ch.isdigit()) in found.safe_numbers
    if kind == "link":
        text = excerpt.lower().rstrip(".,;:!?)")
        host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
        host = host.removeprefix("www.")
        return any(host == d or host.endswith(f".{d}") for d in found.safe_domains)
    return False


def _find_risk(text: str, found: _Rules) -> list[Finding]:
    safe_spans = [m.span() for pattern in found.not_crisis for m in pattern.finditer(text)]
    findings = []
    for category, pattern in found.crisis:
        for match in pattern.finditer(text):
            if not _overlaps(*match.span(), safe_spans):
                findings.append(Finding(f"risk.{category}", *match.span(), match.group(0)))
    return findings


def _find_identifying(text: str, found: _Rules) -> list[Finding]:
    taken: list[tuple[int, int]] = []
    findings = []
    for kind, pattern in found.identifying:
        for match in pattern.finditer(text):
            start, end = match.span()
            excerpt = match.group(0).strip()
            if not excerpt or _overlaps(start, end, taken) or _is_safe(kind, excerpt, found):
                continue
            taken.append((start, end))
            findings.append(Finding(f"identifying.{kind}", start, end, excerpt))
    return sorted(findings, key=lambda f: f.start)


def screen_text(*texts: str | None) -> TextScreening:
    """Crisis language and identifying information in *texts* (e.g. a title and a body)."""
    found = rules()
    risk: list[Finding] = []
    identifying: list[Finding] = []
    for text in texts:
        if not text:
            continue
        risk.extend(_find_risk(text, found))
        identifying.extend(_find_identifying(text, found))
    return TextScreening(risk=tuple(risk), identifying=tuple(identifying))
