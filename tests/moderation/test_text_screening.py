"""Text screening, per language: what it catches, and what only looks risky."""

import json
import shutil
from pathlib import Path

import pytest

from moderation.text_screening import languages, screen_text

ROOT = Path(__file__).resolve().parents[2]

CRISIS = {
    "en": [
        ("I want to kill myself", "risk.suicide"),
        ("Sometimes I think about suicide", "risk.suicide"),
        ("I wish I wasn’t alive anymore", "risk.suicide"),
        ("honestly i dont want to live like this", "risk.suicide"),
        ("I cut myself again last night", "risk.self_harm"),
        ("I keep hurting myself when I'm sad", "risk.self_harm"),
        ("I've been starving myself for weeks", "risk.self_harm"),
        ("My stepdad hits me when he is drunk", "risk.abuse"),
        ("I'm scared to go home after school", "risk.abuse"),
        ("my ex is threatening to share my nudes", "risk.abuse"),
    ],
    "da": [
        ("Jeg har lyst til at slå mig selv ihjel", "risk.suicide"),
        ("jeg tænker på selvmord hver dag", "risk.suicide"),
        ("Jeg vil ikke leve mere", "risk.suicide"),
        ("Jeg skærer i mig selv", "risk.self_harm"),
        ("jeg kaster op med vilje efter aftensmad", "risk.eating_disorder"),
        ("Min far slår mig", "risk.abuse"),
        ("Jeg tør ikke gå hjem", "risk.abuse"),
    ],
    "nb": [
        ("Jeg vil ta livet mitt", "risk.suicide"),
        ("jeg har selvmordstanker", "risk.suicide"),
        ("Jeg orker ikke å leve", "risk.suicide"),
        ("Jeg kutter meg selv", "risk.self_harm"),
        ("jeg sulter meg selv", "risk.eating_disorder"),
        ("Stefaren min slår meg", "risk.abuse"),
        ("Jeg føler meg ikke trygg hjemme", "risk.abuse"),
    ],
}

# Words that look risky but are not: these must never bring up the crisis panel.
NEAR_MISSES = {
    "en": [
        "This homework is killing me",
        "I could die of embarrassment",
        "I almost died laughing at that video",
        "We were just killing time after school",
        "My brother beat me at FIFA again",
        "I hurt myself playing football on Sunday",
        "I cut myself shaving, it's fine",
        "Has anyone seen Suicide Squad?",
        "I want to die my hair blue",
        "The new skins are to die for",
    ],
    "da": [
        "Jeg var ved at dø af grin",
        "Vi spiste slik for at slå tiden ihjel",
        "Lektierne slår mig ihjel",
        "Min bror slår mig altid i FIFA",
        "Jeg dør af sult efter træning",
    ],
    "nb": [
        "Vi spilte kort for å drepe tiden",
        "Jeg holdt på å dø av latter",
        "Leksene dreper meg",
        "Broren min slår meg i sjakk hver gang",
        "Jeg dør av kjedsomhet i timen",
    ],
}

IDENTIFYING = [
    ("Call me on 12 34 56 78", "identifying.phone", "12 34 56 78"),
    ("mit nummer er 12345678", "identifying.phone", "12345678"),
    ("ring 412 34 567 hvis du vil", "identifying.phone", "412 34 567"),
    ("text +45 20 30 40 50", "identifying.phone", "+45 20 30 40 50"),
    ("mitt nummer: +47 912 34 567", "identifying.phone", "+47 912 34 567"),
    ("my mobile is +44 7700 900123", "identifying.phone", "+44 7700 900123"),
    ("or 07700 900123", "identifying.phone", "07700 900123"),
    ("mail me at lily.k@gmail.com", "identifying.email", "lily.k@gmail.com"),
    ("lily at hotmail dot com", "identifying.email", "lily at hotmail dot com"),
    ("my insta is @lily_22", "identifying.handle", "my insta is @lily_22"),
    ("add me on snap", "identifying.handle", "add me on snap"),
    ("snap: coolkid_22", "identifying.handle", "snap: coolkid_22"),
    ("tilføj mig på discord", "identifying.handle", "tilføj mig på discord"),
    ("snappen min er cool.kid", "identifying.handle", "snappen min er cool.kid"),
    ("see www.example.com/me", "identifying.link", "www.example.com/me"),
    ("https://tiktok.com/@someone", "identifying.link", "https://tiktok.com/@someone"),
    ("I live at 12 Baker Street", "identifying.address", "12 Baker Street"),
    ("jeg bor på Vestergade 12", "identifying.address", "Vestergade 12"),
    ("jeg bor i Storgata 5B", "identifying.address", "Storgata 5B"),
    ("My name is Emma and I'm 15", "identifying.name", "My name is Emma"),
    ("Jeg hedder Sofie", "identifying.name", "Jeg hedder Sofie"),
    ("jeg heter Ola og er 14", "identifying.name", "jeg heter Ola"),
    ("mit cpr er 010203-1234", "identifying.id_number", "010203-1234"),
    ("Jeg går på Hellerup Skole", "identifying.school", "Hellerup Skole"),
    ("jeg går i 8.b", "identifying.school", "8.b"),
    ("ja jeg går i 8b", "identifying.school", "8b"),
    ("jeg går på oslo katedralskole", "identifying.school", "oslo katedralskole"),
    ("jeg går på Elvebakken vgs", "identifying.school", "Elvebakken vgs"),
    ("eg går på Voss skule", "identifying.school", "Voss skule"),
    ("hun går i VG2B", "identifying.school", "VG2B"),
    ("I go to Westfield High", "identifying.school", "Westfield High"),
    ("she's in class 9C", "identifying.school", "9C"),
]

NOT_IDENTIFYING = [
    "I use TikTok every day",
    "Oh snap, I forgot my homework",
    "My name is not important here",
    "Jeg hedder ikke noget særligt",
    "The school year 2024-2025 was hard",
    "It costs 150 kr and lasts 3 hours",
    "I have 2 very close friends",
    "e.g. when I am sad",
    "I'm in year 9 and 15 years old",
    "My PS5 has 2TB",
    "Min skole er dårlig",
    "på skolen i dag var det sjovt",
    "jeg går i 9. klasse",
    "jeg går i VG2",
    "I'm starting High School next year",
    "starting college in the autumn",
    "My School is so strict",
    "we watched it in 3d",
    "I have work from 9 a.m. tomorrow",
]


def _codes(text: str) -> list[str]:
    return screen_text(text).reasons


def test_every_language_has_a_data_file(app):
    assert {"en", "da", "nb"} <= set(languages())


@pytest.mark.parametrize(
    ("language", "text", "code"),
    [(lang, text, code) for lang, cases in CRISIS.items() for text, code in cases],
)
def test_crisis_language_is_caught(app, language, text, code):
    found = screen_text(text)
    assert found.is_risk and code in found.reasons, (language, text, found)


@pytest.mark.parametrize(
    ("language", "text"),
    [(lang, text) for lang, cases in NEAR_MISSES.items() for text in cases],
)
def test_words_that_only_look_risky_are_not_a_crisis(app, language, text):
    assert not screen_text(text).is_risk, (language, text)


@pytest.mark.parametrize(("text", "code", "excerpt"), IDENTIFYING)
def test_identifying_information_is_found_with_the_words_themselves(app, text, code, excerpt):
    found = screen_text(text).identifying
    assert [f.code for f in found] == [code], found
    assert found[0].excerpt == excerpt  # shown to the author, never stored


@pytest.mark.parametrize("text", NOT_IDENTIFYING)
def test_ordinary_words_are_not_identifying(app, text):
    assert screen_text(text).identifying == (), text


def test_helpline_numbers_and_websites_are_never_identifying(app):
    text = "Ring til Livslinien på 70 201 201 eller se bornetelefonen.dk og www.116111.no"
    assert screen_text(text).identifying == ()


def test_an_email_is_not_also_a_link_and_a_title_is_screened_too(app):
    found = screen_text("Help, my name is Emma", "write to me: emma.h@outlook.com")
    assert [f.code for f in found.identifying] == ["identifying.name", "identifying.email"]


def test_a_language_is_added_as_data_only(make_app, tmp_path):
    """Ukrainian (or Arabic, Somali, Tigrinya) is a file in the data folder, no code."""
    folder = tmp_path / "screening"
    shutil.copytree(ROOT / "moderation" / "data" / "screening", folder)
    (folder / "uk.json").write_text(
        json.dumps(
            {
                "language": "uk",
                "word_boundaries": True,
                "crisis": {"suicide": {"phrases": ["хочу померти"]}},
                "not_crisis": {"phrases": ["померти від сміху"]},
                "identifying": {"name": {"phrases": ["мене звати"], "not_followed_by": []}},
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    app = make_app(MODERATION_SCREENING_DIR=str(folder))
    with app.app_context():
        assert "uk" in languages()
        assert screen_text("Я хочу померти").reasons == ["risk.suicide"]
        assert not screen_text("Я хочу померти від сміху").is_risk
        assert screen_text("Мене звати Оксана").reasons == ["identifying.name"]
        assert screen_text("I want to kill myself").is_risk  # the others still apply


@pytest.mark.parametrize(
    "text",
    [
        "Ring Kirkens SOS på 22 40 00 40, de er der hele natten",
        "Call Childline on 0800 1111 or text SHOUT to 85258",
        "Ring Psykiatrifonden 39 25 25 25 eller se psykiatrifonden.dk",
    ],
)
def test_every_countrys_helplines_are_never_identifying(app, text):
    """Someone pointing another person to help in any country is not sharing a phone number."""
    assert screen_text(text).identifying == ()


def test_crisis_categories_have_their_own_codes(app):
    assert screen_text("he keeps asking me for nudes").reasons == ["risk.grooming"]
    assert screen_text("i make myself throw up after every meal").reasons == [
        "risk.eating_disorder"
    ]


def test_both_word_orders_negation_and_idioms(app):
    assert screen_text("nogle gange vil jeg bare dø").is_risk
    assert screen_text("jeg vil bare dø").is_risk
    assert screen_text("jeg vil bare dooo").is_risk  # repeats and no ø on the keyboard
    assert screen_text("i w4nt to d1e").is_risk  # leetspeak
    assert not screen_text("jeg vil ikke dø, jeg er bare træt").is_risk  # negation
    assert screen_text("jeg vil ikke leve mere").is_risk  # a negation that is the crisis
    assert not screen_text("jeg var ved at dø af grin").is_risk  # an idiom
    assert not screen_text("matteprøven tok livet av meg").is_risk
    assert screen_text("jeg vil ta livet av meg").is_risk


def test_a_deployment_brings_its_own_school_names(make_app, tmp_path):
    names = tmp_path / "schools.txt"
    names.write_text("# our municipality\nSankt Petri\n", "utf-8")
    app = make_app(MODERATION_SCHOOL_NAMES_FILE=str(names))
    with app.app_context():
        found = screen_text("jeg går på sankt petri og det er fint").identifying
        assert [(f.code, f.excerpt) for f in found] == [("identifying.school", "sankt petri")]
        assert screen_text("jeg går på oslo katedralskole").identifying[0].excerpt == (
            "oslo katedralskole"  # a name with a school word still counts
        )


def test_a_word_with_arabic_vowel_marks_stays_one_word(app):
    # shadda and harakat are inside the word: "قطّعت" is not "قط" + "عت"
    for text in ("قطّعت ايدي", "قَطَّعْتُ ايدي"):
        found = screen_text(text)
        assert "risk.self_harm" in found.reasons, text
        assert found.risk[0].excerpt.startswith(text.split()[0]), text


def test_phone_numbers_and_dates_are_not_ages(app):
    # "12 34 56 78" is neither a 12-year-old nor a 34-year-old, whichever files know ages
    for text in (
        "ring mig på 12 34 56 78, det er hemmeligt",
        "ring meg på 12 34 56 78, det er hemmelig",
        "my number is 12 34 56 78 but keep it secret",
        "ruf an unter +49 30 12 34 56 78, es ist geheim",
    ):
        assert "risk.grooming" not in screen_text(text).reasons, text
    # ages written on their own still count
    assert "risk.grooming" in screen_text("he is 22 and im 14, keep it secret").reasons


def test_arabic_and_ethiopic_punctuation_ends_sentences_and_clauses():
    from moderation.text_screening.normalise import words

    gaps = [gap for _w, _s, _e, gap in words("ما بدي عيش؟ بدي، موت؛ لا")]
    assert gaps == [0, 0, 0, 2, 1, 1]
    gaps = [gap for _w, _s, _e, gap in words("ሞት። ሕይወት፣ ሞት፤ ሞት፧ ሞት")]
    assert gaps == [0, 2, 1, 1, 2]
