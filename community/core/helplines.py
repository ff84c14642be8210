"""The helplines a person sees on "Need help now?" and in the crisis panel: those of their
country (not their language), with names and descriptions in their language.

The list is data (``community/data/helplines.json`` or ``HELPLINES_FILE``), not
template text, so an organisation can ship its own. Each country also names the time
zone its readers see times in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from flask import current_app, has_request_context

from community.core.registry import app_state


@dataclass(frozen=True)
class Helpline:
    name: str
    phone: str  # to call; "" when the line only takes texts
    description: str
    url: str
    sms: str = ""  # a number to text, with the keyword to send
    keyword: str = ""


@dataclass(frozen=True)
class EmergencyNumber:
    number: str
    label: str  # what it reaches ("Police"), in the reader's language


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency_numbers: tuple[EmergencyNumber, ...]
    lines: tuple[Helpline, ...]
    timezone: str

    @property
    def emergency(self) -> str:
        """Every emergency number as one text ("112 / 113"), for places that only list them."""
        return " / ".join(number.number for number in self.emergency_numbers)


def _data() -> dict:
    state = app_state("assist.helplines")
    if "data" not in state:
        path = current_app.config.get("HELPLINES_FILE")
        if path:
            text = Path(path).read_text("utf-8")
        else:
            text = resources.files("community").joinpath("data/helplines.json").read_text("utf-8")
        state["data"] = json.loads(text)
    return state["data"]


def _pick(texts: dict[str, str], locale: str) -> str:
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()))


def country_codes() -> list[str]:
    """Every country there are helplines for (ISO 3166 codes, as in the data file)."""
    return list(_data()["countries"])


def known_country(code: str | None) -> str | None:
    """*code* as one of our countries ("gb" → "GB"), or ``None``."""
    if not code:
        return None
    code = code.strip().upper()
    return code if code in _data()["countries"] else None


def country_for_language(language: str | None) -> str | None:
    """The country a language points to when nothing better is known ("nb" → "NO")."""
    if not language:
        return None
    return known_country(_data().get("languages", {}).get(language.split("-")[0].lower()))


def country_name(code: str, locale: str) -> str:
    return _pick(_data()["countries"][code]["name"], locale)


def timezone_for(code: str) -> str:
    """The IANA time zone readers in country *code* see times in."""
    return _data()["countries"][code].get("timezone", "UTC")


def _region(code: str, locale: str) -> Region:
    country = _data()["countries"][code]
    return Region(
        code=code,
        name=_pick(country["name"], locale),
        emergency_numbers=tuple(
            EmergencyNumber(entry["number"], _pick(entry["for"], locale))
            for entry in country["emergency"]
        ),
        lines=tuple(
            Helpline(
                name=line["name"],
                phone=line.get("phone", ""),
                description=_pick(line["for"], locale),
                url=line["url"],
                sms=line.get("sms", ""),
                keyword=line.get("keyword", ""),
            )
            for line in country["lines"]
        ),
        timezone=country.get("timezone", "UTC"),
    )


def regions_for(locale: str, country: str | None = None) -> list[Region]:
    """Every country's helplines in *locale*, *country* first (by default the reader's)."""
    if country is None and has_request_context():
        from community.core.i18n import current_country

        country = current_country()
    codes = sorted(_data()["countries"], key=lambda code: (code != country, code))
    return [_region(code, locale) for code in codes]
