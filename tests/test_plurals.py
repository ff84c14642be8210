"""Every count reads right in every language: "1 day" / "1 dag", "2 days" / "2 dage"."""

import pytest
from flask_babel import force_locale, ngettext

# (singular, plural) as in the code, then what 1 and 2 read as in each language.
SAMPLES = [
    (
        ("%(num)d day", "%(num)d days"),
        {"en": ("1 day", "2 days"), "da": ("1 dag", "2 dage"), "nb": ("1 dag", "2 dager")},
    ),
    (
        ("Choose 1 to %(num)d day.", "Choose 1 to %(num)d days."),
        {
            "en": ("Choose 1 to 1 day.", "Choose 1 to 2 days."),
            "da": ("Vælg 1 til 1 dag.", "Vælg 1 til 2 dage."),
            "nb": ("Velg 1 til 1 dag.", "Velg 1 til 2 dager."),
        },
    ),
    (
        ("%(num)d time", "%(num)d times"),
        {"en": ("1 time", "2 times"), "da": ("1 gang", "2 gange"), "nb": ("1 gang", "2 ganger")},
    ),
    (
        ("%(num)d approved", "%(num)d approved"),
        {
            "en": ("1 approved", "2 approved"),
            "da": ("1 godkendt", "2 godkendte"),
            "nb": ("1 godkjent", "2 godkjente"),
        },
    ),
    (
        (
            "%(num)d thread is waiting for your reply.",
            "%(num)d threads are waiting for your reply.",
        ),
        {
            "en": ("1 thread is waiting for your reply.", "2 threads are waiting for your reply."),
            "da": ("1 tråd venter på dit svar.", "2 tråde venter på dit svar."),
            "nb": ("1 tråd venter på svaret ditt.", "2 tråder venter på svaret ditt."),
        },
    ),
]


@pytest.mark.parametrize("language", ["en", "da", "nb"])
@pytest.mark.parametrize(("message", "expected"), SAMPLES, ids=[m[0][0] for m in SAMPLES])
def test_a_count_of_one_and_of_two_in_each_language(app, language, message, expected):
    with app.test_request_context("/"), force_locale(language):
        shown = tuple(ngettext(*message, n) for n in (1, 2))
    assert shown == expected[language]


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "A first pause of posting lasts 1 day, and of the account 2 days;"),
        ("da", "Den første pause i opslag varer 1 dag, og af kontoen 2 dage;"),
        ("nb", "Den første pausen i innlegg varer 1 dag, og av kontoen 2 dager;"),
    ],
)
def test_the_pause_lengths_a_moderator_sees_use_plural_forms(
    app, client, youth, moderator, login, monkeypatch, language, shown
):
    monkeypatch.setitem(app.config, "MODERATION_SILENCE_DAYS", (1, 3))
    monkeypatch.setitem(app.config, "MODERATION_SUSPEND_DAYS", (2, 7))
    login(moderator)
    page = client.get(f"/moderation/users/{youth.id}", headers={"Accept-Language": language})
    assert shown in page.text
