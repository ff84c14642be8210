"""Words as the screener compares them: folded, de-leeted, repeats shortened, with their place.

The same :func:`normalise_word` runs on the words of the data files and on the words of a
post, so the data files are written in ordinary spelling ("dø", "kill") and still match
"DØØØ", "d0e", "kiiill" or "doe".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

# Letters used for other letters in "leetspeak", only inside words that have letters.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_LEET_CHARS = frozenset("013457@$")
_APOSTROPHES = re.compile("['’‘`´]")
_REPEATS = re.compile(r"([^\W\d_])\1+")  # letters only: "22" stays 22
# A sentence ends at . ! ? or a line break (not at "..." which teens use as a pause).
SENTENCE_GAP = 10
_CACHE: dict[tuple[str, int], str] = {}
_CACHE_MAX = 100_000  # a sentence end counts as this many words


@dataclass(frozen=True)
class Token:
    word: str  # normalised
    start: int  # where it is in the original text
    end: int
    pos: int  # its place, in words (a sentence end adds SENTENCE_GAP)


def fold_table(folds: Mapping[str, str]) -> dict[int, str]:
    """A ``str.translate`` table from the merged ``fold`` entries of the language files."""
    single = {k: v for k, v in folds.items() if len(k) == 1}
    return {ord(k): v for k, v in single.items()}


def normalise_word(word: str, table: Mapping[int, str]) -> str:
    key = (word, id(table))
    found = _CACHE.get(key)
    if found is None:
        found = _normalise(word, table)
        if len(_CACHE) < _CACHE_MAX:
            _CACHE[key] = found
    return found


def _normalise(word: str, table: Mapping[int, str]) -> str:
    text = unicodedata.normalize("NFKC", word).casefold()
    # Leetspeak only inside words with at least two letters: "k1ll", "d1e", not "3d" or "5g".
    if sum(ch.isalpha() for ch in text) >= 2 and any(ch in _LEET_CHARS for ch in text):
        text = text.translate(_LEET)
    # Repeats go before folding, so "døøø" is "dø" but "hår" (haar) stays apart from "har".
    text = _REPEATS.sub(r"\1", _APOSTROPHES.sub("", text)).translate(table)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_PIECES = re.compile(
    r"(?P<word>(?:[^\W_]|[@$])+(?:['’‘`´](?:[^\W_]|[@$])+)*)"
    r"|(?P<end>\n|[!?]|(?<!\.)\.(?!\.))|(?P<comma>,)"
)


def words(text: str) -> list[tuple[str, int, int, int]]:
    """(word, start, end, gap before it: 0, 1 after a comma, 2 after a sentence end)."""
    found = []
    gap = 0
    for match in _PIECES.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            found.append((match.group(0), match.start(), match.end(), gap))
            gap = 0
        elif kind == "end":
            gap = 2
        elif gap == 0:
            gap = 1
    return found
