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
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(source)))
        if any(set(PLACEHOLDER.findall(s)) != wanted for s in strings if s):
            broken.append(message.id)
    assert "Waiting for a moderator" in {m.id for m in extracted}  # from templates/_macros/
    assert not missing, f"run `make messages` and translate: {missing}"
    assert not untranslated, untranslated
    assert not broken, f"placeholders differ: {broken}"
