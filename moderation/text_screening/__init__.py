"""Text screening: crisis language and identifying information in a text, from data files.

(The screening *job*, which runs screeners on every submission, is :mod:`moderation.screening`;
this package is the pure part it and the author's feedback share.)

The words live in ``moderation/data/screening/<language>.json`` (plus ``common.json`` for
what every language shares: phone numbers, e-mail addresses, links, @usernames); how a file
is written, and how a text is read, is in ``moderation/data/screening/README.md``. Every
language file is applied to every text, because young people mix languages; adding a
language is adding a file. ``MODERATION_SCREENING_DIR`` points at another folder of the same
shape, ``MODERATION_SCHOOL_NAMES_FILE`` at another list of school names.

* :mod:`.normalise` -- words as compared (folded, de-leeted, repeats shortened);
* :mod:`.lexicon` -- the crisis rules compiled; :mod:`.matcher` -- finding them in a text;
* :mod:`.identifying` -- phone numbers, names, schools …;
* :mod:`.learned` -- a small learned second opinion behind the rules: a sentence the rules
  pass but the model judges a crisis is a finding of the category it predicts
  (``MODERATION_SCREENING_LEARNED``, off by default; measured by bench/screening_generalisation.py).

:func:`screen_text` needs no database: the author's page runs it on their own text to
explain what was found, and the screening job runs it to store the *codes* of what was
found on the queue item. Nothing here keeps any text.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from flask import current_app

from community.core.registry import app_state
from moderation.text_screening.identifying import (
    IdentifyingRules,
    compile_identifying,
    find_identifying,
)
from moderation.text_screening.lexicon import CRISIS_CATEGORIES, RiskRules, compile_risk
from moderation.text_screening.matcher import THRESHOLD, RiskMatch, find_risk, scored

__all__ = [
    "CRISIS_CATEGORIES",
    "Finding",
    "TextScreening",
    "html_to_text",
    "languages",
    "rules",
    "screen_text",
]

EXTENSION_KEY = "moderation.screening_rules"
_TAG = re.compile(r"<[^>]+>")


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
    scores: tuple[tuple[str, float], ...] = ()  # (category, risk score), also under 1.0

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
    risk: RiskRules
    identifying: IdentifyingRules
    languages: tuple[str, ...]


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


def rules() -> _Rules:
    """The compiled rules for this app (built once)."""
    state = app_state(EXTENSION_KEY)
    if "rules" not in state:
        files = _data_files()
        common = files.pop("common", {})
        state["rules"] = _Rules(
            risk=compile_risk({"common": common, **files}),
            identifying=compile_identifying(common, files),
            languages=tuple(files),
        )
    return state["rules"]


def languages() -> tuple[str, ...]:
    """The languages with a data file, e.g. ``("da", "en", "nb")``."""
    return rules().languages


def html_to_text(markup: str) -> str:
    """Stored HTML as the plain text a reader sees."""
    return html.unescape(_TAG.sub(" ", markup or ""))


def screen_text(*texts: str | None) -> TextScreening:
    """Crisis language and identifying information in *texts* (e.g. a title and a body)."""
    found = rules()
    matches: list[tuple[str, RiskMatch]] = []
    identifying: list[Finding] = []
    for text in texts:
        if not text:
            continue
        matches.extend((text, match) for match in find_risk(text, found.risk))
        identifying.extend(
            Finding(f"identifying.{kind}", start, end, excerpt)
            for kind, start, end, excerpt in find_identifying(text, found.identifying)
        )
    scores = scored([match for _text, match in matches])
    risk = list(
        dict.fromkeys(  # one finding per category and place, however many rules agree
            Finding(f"risk.{m.category}", m.start, m.end, text[m.start : m.end])
            for text, m in matches
            if scores[m.category] >= THRESHOLD - 1e-9
        )
    )
    if current_app.config["MODERATION_SCREENING_LEARNED"]:
        risk.extend(_learned(texts, risk, scores))
    return TextScreening(
        risk=tuple(risk), identifying=tuple(identifying), scores=tuple(sorted(scores.items()))
    )


def _learned(
    texts: tuple[str | None, ...],
    ruled: list[Finding],
    scores: dict[str, float],
) -> list[Finding]:
    """The model's findings in sentences where no rule matched (rules OR model)."""
    from moderation.text_screening.learned import find_learned  # scikit-learn: only if on

    findings = []
    for text in texts:
        if not text:
            continue
        spans = [(f.start, f.end) for f in ruled if text[f.start : f.end] == f.excerpt]
        for category, start, end in find_learned(text):
            if any(a < end and start < b for a, b in spans):
                continue
            findings.append(Finding(f"risk.{category}", start, end, text[start:end]))
            scores[category] = max(scores.get(category, 0.0), THRESHOLD)
    return findings
