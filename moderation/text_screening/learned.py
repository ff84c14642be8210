"""A small learned second opinion behind the crisis rules.

One linear model (logistic loss, by SGD) over TF-IDF character 2-5-grams within words (spelling
variants, typos, inflections, any script) plus word 1-2-grams, trained at first use from the
repository's labelled corpora (``moderation/data/screening/eval/*.tsv``), all languages in one
model because young people mix them. Its classes are the five crisis categories and
``safe``: P(crisis) = 1 - P(safe), and a sentence it flags gets the crisis category it finds
most likely. No model file, no download; ``bench/screening_generalisation.py`` measures it on
held-out lines.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

SAFE = "safe"
# P(crisis) at or above which a sentence counts: the median of the thresholds chosen inside the
# training folds by bench/screening_generalisation.py to keep rules OR model at <= 3% false
# alarms on held-out hard negatives.
THRESHOLD = 0.95
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Shorter sentences carry too few n-grams to judge ("My name is Oksana" looked like a crisis):
# they are left to the rules, which catch "kms" and "jeg vil dø".
MIN_WORDS = 4
_MAX_SENTENCE = 400  # a long unpunctuated run is judged in windows of about this size


class Model:
    """Fitted vectorisers and classifier; :meth:`predict` gives (P(crisis), category)."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str]) -> None:
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, lowercase=True
        )
        self.words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True
        )
        features = hstack([self.chars.fit_transform(texts), self.words.fit_transform(texts)])
        # logistic loss by stochastic gradient descent: ~0.4 s on the whole corpus where
        # LogisticRegression(lbfgs) took ~7 s, with the same held-out figures
        self.classifier = SGDClassifier(
            loss="log_loss",
            alpha=1e-5,
            class_weight="balanced",
            max_iter=30,
            tol=None,
            random_state=0,
        )
        self.classifier.fit(features.tocsr(), list(labels))
        classes = list(self.classifier.classes_)
        self.safe = classes.index(SAFE)
        self.categories = [c for c in classes if c != SAFE]
        self.crisis_columns = [i for i, c in enumerate(classes) if c != SAFE]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        features = hstack([self.chars.transform(texts), self.words.transform(texts)])
        return np.asarray(self.classifier.predict_proba(features.tocsr()))

    def predict(self, texts: Sequence[str]) -> list[tuple[float, str]]:
        if not texts:
            return []
        table = self.probabilities(texts)
        crisis = table[:, self.crisis_columns]
        return [
            (_gate(text, 1.0 - row[self.safe]), self.categories[int(np.argmax(c))])
            for text, row, c in zip(texts, table, crisis, strict=True)
        ]


def build_model(texts: Sequence[str], labels: Sequence[str]) -> Model:
    return Model(texts, labels)


def _gate(text: str, probability: float) -> float:
    return float(probability) if len(text.split()) >= MIN_WORDS else 0.0


def crisis_probability(model: Model, texts: Sequence[str]) -> np.ndarray:
    """P(crisis) of each text as screening uses it (0 for texts under MIN_WORDS words)."""
    table = model.probabilities(texts)
    return np.array([_gate(t, 1.0 - row[model.safe]) for t, row in zip(texts, table, strict=True)])


_lock = threading.Lock()
_cached: Model | None = None


def model() -> Model:
    """The model trained from the repository's corpora, once per process (~0.5 s)."""
    global _cached
    with _lock:
        if _cached is None:
            from moderation.text_screening.corpus import read_corpus

            sentences = [s for lines in read_corpus().values() for s in lines]
            _cached = Model(
                [s.text for s in sentences], [s.category if s.crisis else SAFE for s in sentences]
            )
        return _cached


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence with letters in it; long runs cut at a space."""
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end:
            stop = end
            if stop - start > _MAX_SENTENCE:
                cut = text.rfind(" ", start, start + _MAX_SENTENCE)
                stop = cut if cut > start else start + _MAX_SENTENCE
            while start < stop and text[start].isspace():
                start += 1
            if _LETTER.search(text, start, stop):
                yield start, stop
            start = stop


def find_learned(text: str) -> list[tuple[str, int, int]]:
    """(category, start, end) of each sentence of *text* the model judges a crisis."""
    spans = list(sentences(text))
    judged = model().predict([text[a:b] for a, b in spans])
    return [
        (category, a, b)
        for (a, b), (probability, category) in zip(spans, judged, strict=True)
        if probability >= THRESHOLD
    ]
