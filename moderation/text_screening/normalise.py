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


# Combining marks (Arabic harakat and shadda, Hebrew points, Ethiopic and Latin combining
# accents, zero-width joiners) belong to the word they are in: "قطّع" is one word, not "قط" + "ع".
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8"
    "\u06ea-\u06ed\u135d-\u135f\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff"
    "\ufe00-\ufe0f\ufe20-\ufe2f"
)
# One character class (quicker than alternatives); "_" is split off afterwards.
_LETTER = rf"[\w@${_MARKS}]"
_NO_UNDERSCORE = re.compile(r"[^_]+")
_PIECES = re.compile(
    # A run of three or more numbers ("12 34 56 78", "+45 20-30-40") is one word (a phone
    # number, a date), so its parts are not read as ages.
    r"(?P<number>\+?\d+(?:[ \-./]\d+){2,}(?!\w))"
    rf"|(?P<word>{_LETTER}+(?:['’‘`´]{_LETTER}+)*)"
    # Sentence ends and commas of the scripts in use: Arabic ؟ and ، ؛, Ethiopic ። ፧ and ፣ ፤ ፥ ፦.
    r"|(?P<end>\n|[!?؟።፧፨۔]|(?<!\.)\.(?!\.))|(?P<comma>[,;،؛፣፤፥፦])"
)


def words(text: str) -> list[tuple[str, int, int, int]]:
    """(word, start, end, gap before it: 0, 1 after a comma, 2 after a sentence end)."""
    found = []
    gap = 0
    for match in _PIECES.finditer(text):
        kind = match.lastgroup
        if kind == "word" or kind == "number":
            word = match.group(0)
            if "_" not in word:
                found.append((word, match.start(), match.end(), gap))
                gap = 0
                continue
            offset = match.start()  # "kill_me" is two words, as "kill me"
            for part in _NO_UNDERSCORE.finditer(word):
                found.append((part.group(0), offset + part.start(), offset + part.end(), gap))
                gap = 0
        elif kind == "end":
            gap = 2
        elif gap == 0:
            gap = 1
    return found
