"""Finding crisis language: concepts within a window of words, negations, idioms, a score.

(The rules come from :mod:`moderation.text_screening.lexicon`; the format is described in
``moderation/data/screening/README.md``.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from moderation.text_screening.lexicon import RiskRules, Rule
from moderation.text_screening.normalise import SENTENCE_GAP, normalise_word, words

THRESHOLD = 1.0
_COMMA_GAP = 2  # a comma separates clauses: a negation before it does not reach past it


@dataclass(frozen=True)
class Hit:
    pos: int
    start: int
    end: int


@dataclass(frozen=True)
class RiskMatch:
    rule: str  # which rule, e.g. "da:rules[3]"
    category: str
    start: int
    end: int
    weight: float


def _tokens(text: str, found: RiskRules) -> list[tuple[str, int, int, int]]:
    """(normalised word, start, end, position), abbreviations written out."""
    raw = words(text)
    normal = [normalise_word(word, found.table) for word, *_ in raw]
    tokens: list[tuple[str, int, int, int]] = []
    pos = 0
    index = 0
    while index < len(raw):
        _word, start, end, gap = raw[index]
        pos += SENTENCE_GAP if gap == 2 else _COMMA_GAP if gap == 1 else 0
        replaced = False
        for key, value in found.abbreviations.get(normal[index], ()):
            if tuple(normal[index : index + len(key)]) == key:
                last_end = raw[index + len(key) - 1][2]
                for word in value:
                    tokens.append((word, start, last_end, pos))
                    pos += 1
                index += len(key)
                replaced = True
                break
        if not replaced:
            tokens.append((normal[index], start, end, pos))
            pos += 1
            index += 1
    return tokens


def _occurrences(tokens: Sequence[tuple[str, int, int, int]], found: RiskRules) -> dict[int, list[Hit]]:
    occurrences: dict[int, list[Hit]] = {}
    for index, (word, start, end, pos) in enumerate(tokens):
        for concept in found.concepts_of(word):
            occurrences.setdefault(concept, []).append(Hit(pos, start, end))
        for phrase, concept in found.phrases.get(word, ()):
            following = tokens[index : index + len(phrase)]
            if tuple(t[0] for t in following) == phrase:
                occurrences.setdefault(concept, []).append(Hit(pos, start, following[-1][2]))
    return occurrences


def _candidates(rule: Rule, occurrences: dict[int, list[Hit]]):
    lists = [occurrences.get(element) for element in rule.elements]
    if not all(lists):
        return
    if rule.ordered:
        for first in lists[0]:
            chain = [first]
            for hits in lists[1:]:
                nxt = next(
                    (h for h in hits if h.pos > chain[-1].pos and h.pos - first.pos <= rule.window),
                    None,
                )
                if nxt is None:
                    break
                chain.append(nxt)
            else:
                yield chain
        return
    anchors = sorted({hit for hits in lists for hit in hits}, key=lambda h: h.pos)
    for anchor in anchors:
        chain = []
        for hits in lists:
            hit = next((h for h in hits if anchor.pos <= h.pos <= anchor.pos + rule.window), None)
            if hit is None:
                break
            chain.append(hit)
        else:
            yield chain


def _negated(rule: Rule, chain: Sequence[Hit], occurrences: dict[int, list[Hit]]) -> bool:
    if rule.negation is None:
        return False
    low = min(h.pos for h in chain) - rule.negation_window
    high = max(h.pos for h in chain)
    return any(low <= n.pos <= high for n in occurrences.get(rule.negation, ()))


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


@dataclass(frozen=True)
class _Excepted:
    spans: tuple[tuple[int, int, frozenset[str]], ...]
    categories: frozenset[str]  # cancelled in the whole text
    everything: bool

    def covers(self, category: str, start: int, end: int) -> bool:
        if self.everything or category in self.categories:
            return True
        return any(
            start < e_end and e_start < end and (not cancels or category in cancels)
            for e_start, e_end, cancels in self.spans
        )


def _excepted(text: str, found: RiskRules, occurrences) -> _Excepted:
    spans: list[tuple[int, int, frozenset[str]]] = []
    categories: set[str] = set()
    everything = False
    for exception in found.exceptions:
        if exception.pattern is not None:
            found_spans = [m.span() for m in exception.pattern.finditer(text)]
        else:
            found_spans = [
                (min(h.start for h in chain), max(h.end for h in chain))
                for chain in _candidates(exception, occurrences)
            ]
        if not found_spans:
            continue
        if exception.whole_text:
            categories.update(exception.cancels)
            everything = everything or not exception.cancels
        else:
            spans.extend((start, end, exception.cancels) for start, end in found_spans)
    return _Excepted(tuple(spans), frozenset(categories), everything)


def find_risk(text: str, found: RiskRules) -> list[RiskMatch]:
    """Every rule that matched *text* once, with where (categories under the threshold too)."""
    occurrences = _occurrences(_tokens(text, found), found)
    excepted: _Excepted | None = None
    matches = []
    for rule in found.rules:
        if rule.pattern is not None:
            spans = [m.span() for m in rule.pattern.finditer(text)]
        else:
            if not all(element in occurrences for element in rule.elements):
                continue
            spans = [
                (min(h.start for h in chain), max(h.end for h in chain))
                for chain in _candidates(rule, occurrences)
                if not _negated(rule, chain, occurrences)
            ]
        if not spans:
            continue
        if excepted is None:
            excepted = _excepted(text, found, occurrences)
        span = next((s for s in spans if not excepted.covers(rule.category, *s)), None)
        if span is not None:
            matches.append(RiskMatch(rule.name, rule.category, span[0], span[1], rule.weight))
    return matches


def scored(matches: Sequence[RiskMatch]) -> dict[str, float]:
    """Each category's score: the weights of one language's rules that matched, added up
    (the highest language counts: each file scores on its own, so a number like "25" that
    two files both call "an adult" is not counted twice)."""
    per_language: dict[tuple[str, str], float] = {}
    for match in matches:
        key = (match.category, match.rule.partition(":")[0])
        per_language[key] = per_language.get(key, 0.0) + match.weight
    scores: dict[str, float] = {}
    for (category, _language), score in per_language.items():
        scores[category] = max(scores.get(category, 0.0), score)
    return scores
