"""The helplines a person sees on "Need help now?", chosen by their language.

The list is data (``community/data/helplines.json`` or ``HELPLINES_FILE``), not
template text, so an organisation can ship its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from flask import current_app

from community.core.registry import app_state


@dataclass(frozen=True)
class Helpline:
    name: str
    phone: str
    description: str
    url: str


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: str
    lines: tuple[Helpline, ...]


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


def regions_for(locale: str) -> list[Region]:
    """Every region, the one for *locale* first."""
    data = _data()
    first = data["locales"].get(locale) or data["locales"].get("en")
    codes = sorted(data["regions"], key=lambda code: (code != first, code))
    return [
        Region(
            code=code,
            name=_pick(data["regions"][code]["name"], locale),
            emergency=data["regions"][code]["emergency"],
            lines=tuple(
                Helpline(line["name"], line["phone"], _pick(line["for"], locale), line["url"])
                for line in data["regions"][code]["lines"]
            ),
        )
        for code in codes
    ]
