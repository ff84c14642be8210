"""The hostile-input corpora of ../shared/payloads (read there, never copied), and what a
page's form shows in each field after it was sent back."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from tests.conftest import PAYLOADS


def load_payloads() -> list[str]:
    """Every string of blns.json and xss/*.txt (the run fails if they are missing)."""
    assert PAYLOADS.is_dir(), f"hostile-input corpora missing at {PAYLOADS}"
    strings = [s for s in json.loads((PAYLOADS / "blns.json").read_text()) if isinstance(s, str)]
    for path in sorted((PAYLOADS / "xss").glob("*.txt")):
        strings.extend(line for line in path.read_text(errors="replace").splitlines() if line)
    assert len(strings) > 1000
    return strings


def lines_of(relative: str) -> list[str]:
    path = PAYLOADS / relative
    assert path.exists(), f"missing {path}"
    return [line for line in path.read_text(errors="replace").splitlines() if line.strip()]


class _FieldValues(HTMLParser):
    """Reads what a page's form shows in each field: input values and textarea text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.values.setdefault(attributes["name"], attributes.get("value") or "")
        elif tag == "textarea" and attributes.get("name"):
            self._textarea = attributes["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            text = self.values[self._textarea]
            # HTML drops one newline right after <textarea>; so does every browser.
            for newline in ("\r\n", "\n"):
                if text.startswith(newline):
                    text = text[len(newline) :]
                    break
            self.values[self._textarea] = text
            self._textarea = None


def shown_values(html: str) -> dict[str, str]:
    parser = _FieldValues()
    parser.feed(html)
    return parser.values
