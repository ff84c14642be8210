"""The crisis rules of the language files, compiled once (the format: data/screening/README.md).

Each language's concepts get their own ids (``NEG`` in da.json is Danish); a rule is a tuple
of concept ids with a window. Literal words in a rule become one-word concepts. Old files
with ``crisis``/``not_crisis`` phrase lists still load: each phrase becomes an ordered rule of
adjacent words, each safe phrase an exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from moderation.text_screening.normalise import fold_table, normalise_word

CRISIS_CATEGORIES = ("suicide", "self_harm", "abuse", "grooming", "eating_disorder")
DEFAULT_WINDOW = 4
DEFAULT_NEGATION_WINDOW = 3
_CACHE_MAX = 50_000


@dataclass(frozen=True)
class Rule:
    category: str  # "" for an exception
    elements: tuple[int, ...]  # concept ids
    window: int
    ordered: bool
    negation: int | None  # the language's NEG concept, or None when negation does not apply
    negation_window: int
    weight: float
    pattern: re.Pattern[str] | None = None
    # Exceptions only: the categories they cancel (empty: all), and whether a match anywhere
    # in the text cancels them (instead of only matches sharing a word with it).
    cancels: frozenset[str] = frozenset()
    whole_text: bool = False
    name: str = ""  # "<language>:rules[<index>]", to say which rule matched
    group: str = ""  # rules of one group count once (the highest weight), e.g. "adult"
    needs: frozenset[int] = frozenset()  # the elements as a set, for a quick check


@dataclass
class RiskRules:
    table: dict[int, str]
    abbreviations: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]
    exact: dict[str, set[int]] = field(default_factory=dict)
    prefixes: dict[str, set[int]] = field(default_factory=dict)
    suffixes: dict[str, set[int]] = field(default_factory=dict)
    infixes: list[tuple[str, int]] = field(default_factory=list)
    phrases: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    exceptions: list[Rule] = field(default_factory=list)
    concept_names: list[str] = field(default_factory=list)
    _ids: dict[str, int] = field(default_factory=dict)
    used: frozenset[int] | None = None  # the concepts some rule or exception needs
    normal: dict[str, str] = field(default_factory=dict)  # word as written → normalised
    _cache: dict[str, frozenset[int]] = field(default_factory=dict)
    _by_length: dict[str, dict[int, dict[tuple[str, ...], list[int]]]] | None = None

    def phrases_by_length(self) -> dict[str, dict[int, dict[tuple[str, ...], list[int]]]]:
        """The phrases by first word, then length: one look-up per length, not per phrase."""
        if self._by_length is None:
            index: dict[str, dict[int, dict[tuple[str, ...], list[int]]]] = {}
            for first, entries in self.phrases.items():
                for phrase, concept in entries:
                    sized = index.setdefault(first, {}).setdefault(len(phrase), {})
                    sized.setdefault(phrase, []).append(concept)
            self._by_length = index
        return self._by_length

    def concept(self, name: str) -> int:
        if name not in self._ids:
            self._ids[name] = len(self.concept_names)
            self.concept_names.append(name)
        return self._ids[name]

    def add_entry(self, entry: str, concept: int) -> None:
        entry = entry.strip()
        if not entry:
            return
        if " " in entry.strip("*"):
            words = tuple(normalise_word(w, self.table) for w in entry.split())
            self.phrases.setdefault(words[0], []).append((words, concept))
            return
        core = normalise_word(entry.strip("*"), self.table)
        if not core:
            return
        starts, ends = entry.startswith("*"), entry.endswith("*")
        if starts and ends:
            self.infixes.append((core, concept))
        elif ends:
            self.prefixes.setdefault(core, set()).add(concept)
        elif starts:
            self.suffixes.setdefault(core, set()).add(concept)
        else:
            self.exact.setdefault(core, set()).add(concept)

    def normalise(self, word: str) -> str:
        found = normalise_word(word, self.table)
        if len(self.normal) < _CACHE_MAX:
            self.normal[word] = found
        return found

    def concepts_of(self, word: str) -> frozenset[int]:
        """The concepts a normalised word belongs to (cached)."""
        if word in self._cache:
            return self._cache[word]
        ids: set[int] = set(self.exact.get(word, ()))
        for size in range(1, len(word) + 1):
            ids.update(self.prefixes.get(word[:size], ()))
            ids.update(self.suffixes.get(word[-size:], ()))
        ids.update(concept for core, concept in self.infixes if core in word)
        result = frozenset(ids & self.used if self.used is not None else ids)
        if len(self._cache) < _CACHE_MAX:
            self._cache[word] = result
        return result


def _element(compiled: RiskRules, language: str, element: str, lexicon: Mapping) -> int:
    """A rule element: a concept of *lexicon*, a word, or alternatives ``"KILL|hang*"``."""
    if element in lexicon:
        return compiled.concept(f"{language}:{element}")
    concept = compiled.concept(f"{language}:={element}")
    for part in element.split("|"):
        for entry in lexicon.get(part, [part]):
            compiled.add_entry(entry, concept)
    return concept


def _rule(
    compiled: RiskRules, language: str, data: Mapping, spec: Mapping, negation: int, category: str
) -> Rule:
    lexicon = data.get("lexicon", {})
    weights = data.get("category_weights", {})
    pattern = spec.get("pattern")
    elements = tuple(_element(compiled, language, e, lexicon) for e in spec.get("all", ()))
    negatable = spec.get("negatable", True) and negation not in elements
    return Rule(
        category=category,
        elements=elements,
        window=int(spec.get("window", DEFAULT_WINDOW)),
        ordered=bool(spec.get("ordered", False)),
        negation=negation if negatable and not pattern else None,
        negation_window=int(data.get("negation_window", DEFAULT_NEGATION_WINDOW)),
        weight=float(spec.get("weight", 1.0)) * float(weights.get(category, 1.0)),
        pattern=re.compile(pattern, re.IGNORECASE) if pattern else None,
        needs=frozenset(elements),
    )


def _old_format(data: Mapping) -> tuple[list[dict], list[dict]]:
    """Rules and exceptions from the earlier ``crisis``/``not_crisis`` phrase lists."""
    rules: list[dict] = []
    for category, old in data.get("crisis", {}).items():
        for phrase in old.get("phrases", ()):
            words = phrase.split()
            rules.append(
                {
                    "category": category,
                    "all": words,
                    "window": len(words) - 1,
                    "ordered": True,
                    "negatable": False,
                }
            )
        rules.extend({"category": category, "pattern": p} for p in old.get("patterns", ()))
    safe = data.get("not_crisis", {})
    exceptions = [
        {"all": p.split(), "window": len(p.split()) - 1, "ordered": True}
        for p in safe.get("phrases", ())
    ] + [{"pattern": p} for p in safe.get("patterns", ())]
    return rules, exceptions


def compile_risk(files: Mapping[str, Mapping]) -> RiskRules:
    """Compile the crisis part of every language file (*files*: name → parsed JSON)."""
    folds: dict[str, str] = {}
    for data in files.values():
        folds.update(data.get("fold", {}))
    compiled = RiskRules(table=fold_table(folds), abbreviations={})
    for name, data in files.items():
        _compile_language(compiled, data.get("language", name), data)
    needed = {e for rule in (*compiled.rules, *compiled.exceptions) for e in rule.elements}
    needed.update(rule.negation for rule in compiled.rules if rule.negation is not None)
    compiled.used = frozenset(needed)
    compiled._cache.clear()
    return compiled


def _compile_language(compiled: RiskRules, language: str, data: Mapping) -> None:
    for short, long in data.get("abbreviations", {}).items():
        key = tuple(normalise_word(w, compiled.table) for w in short.split())
        value = tuple(normalise_word(w, compiled.table) for w in long.split())
        if key and all(key):
            entries = compiled.abbreviations.setdefault(key[0], [])
            entries.append((key, value))
            entries.sort(key=lambda pair: -len(pair[0]))
    lexicon = data.get("lexicon", {})
    for name, entries in lexicon.items():
        concept = compiled.concept(f"{language}:{name}")
        for entry in entries:
            compiled.add_entry(entry, concept)
    negation = compiled.concept(f"{language}:NEG")
    for entry in data.get("negations", ()):
        compiled.add_entry(entry, negation)
    old_rules, old_exceptions = _old_format(data)
    for index, spec in enumerate([*data.get("rules", ()), *old_rules]):
        category = spec.get("category", "")
        if category and (spec.get("all") or spec.get("pattern")):
            rule = _rule(compiled, language, data, spec, negation, category)
            name = f"{language}:rules[{index}]"
            group = f"{language}:{spec['group']}" if spec.get("group") else name
            compiled.rules.append(replace(rule, name=name, group=group))
    for spec in [*data.get("exceptions", ()), *old_exceptions]:
        if spec.get("all") or spec.get("pattern"):
            exception = _rule(compiled, language, data, spec, negation, "")
            compiled.exceptions.append(
                replace(
                    exception,
                    negation=None,
                    weight=0.0,
                    cancels=frozenset(spec.get("categories", ())),
                    whole_text=spec.get("scope") == "text",
                )
            )


def languages_of(files: Iterable[str]) -> tuple[str, ...]:
    return tuple(name for name in files if name != "common")
