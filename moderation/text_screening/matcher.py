"""Finding crisis language: concepts within a window of words, negations, idioms, a score.

(The rules come from :mod:`moderation.text_screening.lexicon`; the format is described in
``moderation/data/screening/README.md``.)
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import cast

from moderation.text_screening.lexicon import RiskRules, Rule
from moderation.text_screening.normalise import SENTENCE_GAP, words

THRESHOLD = 1.0
_COMMA_GAP = 2  # a comma separates clauses: a negation before it does not reach past it


Hit = tuple[int, int, int]  # (position in words, start, end in the text)
_POS = itemgetter(0)


@dataclass(frozen=True)
class RiskMatch:
    rule: str  # which rule, e.g. "da:rules[3]"
    group: str  # matches of one group count once
    category: str
    start: int
    end: int
    weight: float


def _tokens(text: str, found: RiskRules) -> list[tuple[str, int, int, int]]:
    """(normalised word, start, end, position), abbreviations written out."""
    raw = words(text)
    cache = found.normal
    normal = [cache[word] if word in cache else found.normalise(word) for word, _s, _e, _g in raw]
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


def _occurrences(
    tokens: Sequence[tuple[str, int, int, int]], found: RiskRules
) -> dict[int, list[Hit]]:
    """Where each concept occurs: (position, start, end) in text order."""
    occurrences: defaultdict[int, list[Hit]] = defaultdict(list)
    phrases = found.phrases_by_length()
    concepts_of = found.concepts_of
    words = [token[0] for token in tokens]
    for index, (word, start, end, pos) in enumerate(tokens):
        concepts = concepts_of(word)
        if concepts:
            hit = (pos, start, end)
            for concept in concepts:
                occurrences[concept].append(hit)
        sizes = phrases.get(word)
        if sizes:
            for size, known in sizes.items():
                found_concepts = known.get(tuple(words[index : index + size]))
                if found_concepts:
                    last_end = tokens[index + size - 1][2]
                    for concept in found_concepts:
                        occurrences[concept].append((pos, start, last_end))
    return dict(occurrences)


def _first_from(hits: list[Hit], pos: int) -> Hit | None:
    """The first hit at *pos* or after."""
    index = bisect_left(hits, pos, key=_POS)
    return hits[index] if index < len(hits) else None


def _near_rarest(lists: list[list[Hit]], window: int) -> set[int]:
    """The positions a chain can start at: each chain holds a hit of the rarest element, so
    it starts at most *window* words before one (a common word such as "i" is not tried
    hundreds of times when the rare word is there once)."""
    rarest = min(lists, key=len)
    starts: set[int] = set()
    for hit in rarest:
        low, high = hit[0] - window, hit[0]
        for hits in lists:
            index = bisect_left(hits, low, key=_POS)
            while index < len(hits) and hits[index][0] <= high:
                starts.add(hits[index][0])
                index += 1
    return starts


def _candidates(rule: Rule, occurrences: dict[int, list[Hit]]) -> Iterator[list[Hit]]:
    """Each way the rule's elements sit within its window (lazily: one is often enough)."""
    found = [occurrences.get(element) for element in rule.elements]
    if not all(found):
        return
    lists = cast(list[list[Hit]], found)
    window = rule.window
    starts = _near_rarest(lists, window) if len(lists) > 1 else None
    if rule.ordered:
        for first in lists[0]:
            if starts is not None and first[0] not in starts:
                continue
            chain = [first]
            for hits in lists[1:]:
                nxt = _first_from(hits, chain[-1][0] + 1)
                if nxt is None or nxt[0] - first[0] > window:
                    break
                chain.append(nxt)
            else:
                yield chain
        return
    if starts is None:
        anchors = [hit[0] for hit in lists[0]]
    else:
        anchors = sorted(starts)
    for anchor in anchors:
        chain = []
        for hits in lists:
            hit = _first_from(hits, anchor)
            if hit is None or hit[0] > anchor + window:
                break
            chain.append(hit)
        else:
            yield chain


def _negated(rule: Rule, chain: Sequence[Hit], occurrences: dict[int, list[Hit]]) -> bool:
    if rule.negation is None or rule.negation not in occurrences:
        return False
    low = min(h[0] for h in chain) - rule.negation_window
    high = max(h[0] for h in chain)
    hit = _first_from(occurrences[rule.negation], low)
    return hit is not None and hit[0] <= high


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


def _span(chain: Sequence[Hit]) -> tuple[int, int]:
    return min(h[1] for h in chain), max(h[2] for h in chain)


def _excepted(text: str, found: RiskRules, occurrences) -> _Excepted:
    spans: list[tuple[int, int, frozenset[str]]] = []
    categories: set[str] = set()
    everything = False
    for exception in found.exceptions:
        if exception.pattern is not None:
            found_spans = [m.span() for m in exception.pattern.finditer(text)]
        else:
            found_spans = [_span(chain) for chain in _candidates(exception, occurrences)]
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
    present = occurrences.keys()
    for rule in found.rules:
        if rule.pattern is not None:
            spans: Iterator[tuple[int, int]] = (m.span() for m in rule.pattern.finditer(text))
        else:
            if not present >= rule.needs:
                continue
            spans = (
                _span(chain)
                for chain in _candidates(rule, occurrences)
                if not _negated(rule, chain, occurrences)
            )
        for span in spans:
            if excepted is None:
                excepted = _excepted(text, found, occurrences)
            if not excepted.covers(rule.category, *span):
                matches.append(
                    RiskMatch(rule.name, rule.group, rule.category, span[0], span[1], rule.weight)
                )
                break
    return matches


def scored(matches: Sequence[RiskMatch]) -> dict[str, float]:
    """Each category's score: the weights of one language's rules that matched, added up
    (a group of rules counts once, with its highest weight; the highest language counts:
    each file scores on its own, so a word two files both know is not counted twice)."""
    groups: dict[tuple[str, str, str], float] = {}
    for match in matches:
        key = (match.category, match.rule.partition(":")[0], match.group)
        groups[key] = max(groups.get(key, 0.0), match.weight)
    per_language: dict[tuple[str, str], float] = {}
    for (category, language, _group), weight in groups.items():
        per_language[(category, language)] = per_language.get((category, language), 0.0) + weight
    scores: dict[str, float] = {}
    for (category, _language), score in per_language.items():
        scores[category] = max(scores.get(category, 0.0), score)
    return scores
