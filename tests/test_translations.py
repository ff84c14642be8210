"""Every user-facing string is in every catalog, translated."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ["da", "nb"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
NUMBER = re.compile(r"%\((\w+)\)d")
# Numbers in a sentence that are not a count of things ("number 3", "Redaction #12"), and
# the two messages whose numbers never need a plural (labels and abbreviations).
NOT_COUNTS = {"id", "number", "rank"}
NO_PLURAL_NEEDED = {
    "attempts: %(count)d",  # a label and its value
    "Level %(number)d of %(count)d: %(name)s",  # "Level 1 of 1" reads right in every language
    "%(days)d d %(hours)d h",  # abbreviations do not inflect
    "%(hours)d h %(minutes)d min",
    "%(minutes)d min",
    "%(num)d+ new",  # always more than one
    "Choose a number from %(min)d to %(max)d.",  # a range, not a count of things
}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalog template extracted from the code as it is now."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "--quiet",
            "extract",
            "-F",
            "babel.cfg",
            # pybabel skips folders starting with "_" by default; _macros/ and _partials/ count.
            "--ignore-dirs=.* __pycache__ .venv",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "ngettext:1,2",
            "-k",
            "lazy_ngettext:1,2",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete(extracted, language):
    path = ROOT / "community" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing, untranslated, broken = [], [], []
    plural_forms = []
    for message in extracted:
        if not message.id:
            continue
        found = catalog.get(message.id)
        if found is None:
            missing.append(message.id)
            continue
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        if not all(strings) or found.fuzzy:
            untranslated.append(message.id)
        if message.pluralizable and (not found.pluralizable or len(strings) != catalog.num_plurals):
            # msgstr[0] and msgstr[1] (for da and nb), else ngettext falls back to English.
            plural_forms.append(message.id)
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(source)))
        if any(set(PLACEHOLDER.findall(s)) != wanted for s in strings if s):
            broken.append(message.id)
    assert "Waiting for a moderator" in {m.id for m in extracted}  # from templates/_macros/
    assert not missing, f"run `make messages` and translate: {missing}"
    assert not untranslated, untranslated
    assert not broken, f"placeholders differ: {broken}"
    assert catalog.num_plurals == 2 and catalog.plural_expr == "(n != 1)", catalog.plural_expr
    assert not plural_forms, f"needs msgstr[0] and msgstr[1]: {plural_forms}"


def test_every_count_in_a_sentence_uses_plural_forms(extracted):
    """ "1 days" / "1 dage": a number of things goes through ngettext, never plain gettext."""
    singular_only = [
        message.id
        for message in extracted
        if message.id
        and not message.pluralizable
        and message.id not in NO_PLURAL_NEEDED
        and set(NUMBER.findall(message.id)) - NOT_COUNTS
    ]
    assert not singular_only, f"use ngettext for: {singular_only}"
