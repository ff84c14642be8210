"""The learned second opinion behind the crisis rules (``moderation.text_screening.learned``).

The sentences here are in no corpus: paraphrases the rules alone pass, and harmless sentences
with crisis-like words that must stay harmless."""

import pytest

from moderation.text_screening import screen_text

PARAPHRASES = [
    "honestly been feeling like everyone would be fine if i just wasnt here anymore",
    "everyone at home would be better off if i just stopped existing",
    "jeg tror ærligt talt alle ville have det bedre hvis jeg bare forsvandt",
    "alle hjemme hadde hatt det bedre om jeg bare sluttet å finnes",
]

HARD_NEGATIVES = [
    "this chemistry homework is going to be the death of me lol",
    "my grandad passed away last year and I still miss him",
    "My name is Oksana and I am new here",
    "vi så en dokumentar om selvmord i samfundsfag i dag",
    "bestemoren min døde i fjor og jeg savner henne",
    "jeg skal klippe håret i morgen og jeg gruer meg",
]


@pytest.mark.parametrize("text", PARAPHRASES)
def test_paraphrases_the_rules_miss_are_caught(make_app, text):
    with make_app(MODERATION_SCREENING_LEARNED=False).app_context():
        assert not screen_text(text).is_risk  # the rules alone pass it
    with make_app(MODERATION_SCREENING_LEARNED=True).app_context():
        found = screen_text("Hej. " + text + ". Tak for svar")
    assert found.reasons == ["risk.suicide"]
    assert found.risk[0].excerpt.startswith(text)  # the whole sentence it judged


@pytest.fixture
def learned(make_app):
    with make_app(MODERATION_SCREENING_LEARNED=True).app_context():
        yield


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_harmless_sentences_stay_harmless(learned, text):
    assert not screen_text(text).is_risk


def test_a_long_post_is_judged_sentence_by_sentence(learned):
    harmless = "We played football after school and then went home for dinner. " * 60
    post = harmless + PARAPHRASES[1] + ". " + harmless
    found = screen_text(post)
    assert [f.code for f in found.risk] == ["risk.suicide"]
    assert found.risk[0].excerpt.startswith(PARAPHRASES[1])
    assert not screen_text(harmless).is_risk
