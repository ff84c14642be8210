"""The screener against the labelled corpus in moderation/data/screening/eval/: for every
language that has a corpus file, at least 95% of the crisis sentences are caught and at most
5% of the hard negatives raise a crisis (bench/screening.py prints the same figures, with
timings, per category)."""

import pytest

from moderation.text_screening import screen_text
from moderation.text_screening.corpus import EVAL_DIR, read_corpus

TARGET_RECALL = 0.95
TARGET_FALSE_POSITIVES = 0.05
CORPUS = read_corpus(EVAL_DIR)


def test_there_is_a_corpus_for_the_languages_in_use():
    assert {"en", "da", "nb"} <= set(CORPUS)
    for language in ("en", "da", "nb"):
        sentences = CORPUS[language]
        assert sum(s.crisis for s in sentences) >= 150, language
        assert sum(not s.crisis for s in sentences) >= 150, language
        crisis_categories = {s.category for s in sentences if s.crisis}
        assert crisis_categories == {
            "suicide", "self_harm", "abuse", "grooming", "eating_disorder"
        }, language  # fmt: skip


@pytest.mark.parametrize("language", sorted(CORPUS))
def test_recall_and_false_positives_per_language(app, language):
    sentences = CORPUS[language]
    crisis = [s.text for s in sentences if s.crisis]
    safe = [s.text for s in sentences if not s.crisis]
    missed = [text for text in crisis if not screen_text(text).is_risk]
    false = [text for text in safe if screen_text(text).is_risk]
    recall = 1 - len(missed) / len(crisis)
    false_rate = len(false) / len(safe)
    assert recall >= TARGET_RECALL, (language, recall, missed[:20])
    assert false_rate <= TARGET_FALSE_POSITIVES, (language, false_rate, false[:20])
