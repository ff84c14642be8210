"""Odd ids anywhere a number is read: in the path, in the query string, in form fields.

The routes come from the app's URL map, so a route added later is swept too. An id no row
can have (0, 2**31 and up to 2**64 and beyond, thousands of digits, other scripts' digits)
in an ``<int:…>`` part is a 404 for everyone, before any query; in a query string or a form
field it is never a 5xx. (SQLite raised ``OverflowError`` from 2**63, a 500.)
"""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from community.core.forms import MAX_ID
from tests.conftest import SWEEPS
from tests.security.world import ROLES, World, build_world, client_for

# Ids no row can have: the route does not match, so 404 whoever asks.
NO_SUCH_ID = [
    "0",
    "00",
    str(MAX_ID + 1),  # 2**31: past every PostgreSQL integer column
    str(2**32),
    str(2**63 - 1),
    str(2**63),  # SQLite's OverflowError
    str(2**64),
    "9" * 30,
    "9" * 5000,  # more digits than int() converts by default
    "\u0663",  # ARABIC-INDIC DIGIT THREE: int() reads it as 3
    "\uff11",  # FULLWIDTH DIGIT ONE
]
# Numbers a query string or a form field may carry: never a 5xx.
ODD_NUMBERS = [
    *NO_SUCH_ID,
    str(MAX_ID),
    "-1",
    str(-(2**63) - 1),
    "1e309",
    "NaN",
    " 12 ",
    "2026-01-01T00:00:00~" + str(2**63),  # the question list's cursor
    "2026-01-01T00:00:00~-1",
]
# Query keys the pages read as numbers or cursors (and a few they might).
QUERY_KEYS = ("page", "before", "after", "question", "id", "object_id", "item", "user", "next")
# Path arguments the world has a real object for; any other int argument gets 1.
WORLD_IDS = {
    "question_id": "question",
    "assist_id": "assist",
    "item_id": "item_c",
    "user_id": "asker_id",
    "profile_id": "profile",
    "topic_id": "topic",
    "post_id": "lounge_post",
    "redaction_id": "redaction",
    "sanction_id": "sanction",
    "escalation_id": "escalation",
    "request_id": "coach_request",
    "application_id": "application",
    "notification_id": "asker_notification",
}
STRING_ARGUMENTS = {"content_type": "question", "pseudonym": "CalmOtter21", "token": "x"}
PART = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _routes(app) -> list[tuple[str, str, list[str]]]:
    """(rule, method, int argument names) for every route but static files."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        ints = [
            name
            for name, converter in rule._converters.items()
            if isinstance(converter, IntegerConverter)
        ]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.rule, method, ints))
    return routes


def _path(rule: str, world: World, odd: dict[str, str] | None = None) -> str:
    """*rule* with real ids (or 1) in its int parts, except those named in *odd*."""
    odd = odd or {}

    def fill(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        if name in odd:
            return odd[name]
        if converter == "int":
            key = WORLD_IDS.get(name)
            return str(world.ids[key]) if key in world.ids else "1"
        return STRING_ARGUMENTS.get(name, "x")

    return PART.sub(fill, rule)


def test_the_sweep_sees_the_int_routes(app):
    """The URL map has int routes and they use the bounded converter."""
    routes = _routes(app)
    with_ints = {rule for rule, _, ints in routes if ints}
    assert "/questions/<int:question_id>" in with_ints
    assert len(with_ints) >= 20
    for rule in app.url_map.iter_rules():
        for converter in rule._converters.values():
            if isinstance(converter, IntegerConverter):
                assert converter.max == MAX_ID, rule.rule


@pytest.mark.parametrize("role", ROLES)
def test_odd_ids_in_the_path_are_404(make_app, role):
    app = make_app()
    with app.app_context():
        world = build_world()
        client = client_for(app, world, role)
        wrong = []
        for rule, method, ints in _routes(app):
            if rule == "/log-out" or not ints:
                continue
            for name in ints:
                for odd in NO_SUCH_ID:
                    url = _path(rule, world, {name: odd})
                    response = client.open(url, method=method, data={})
                    if response.status_code != 404:
                        wrong.append(f"{method} {url[:80]}: {response.status_code}")
            # The largest id a row could have is looked up like any other: never a 5xx.
            url = _path(rule, world, dict.fromkeys(ints, str(MAX_ID)))
            response = client.open(url, method=method, data={})
            if response.status_code >= 500:
                wrong.append(f"{method} {url[:80]}: {response.status_code}")
        assert not wrong, "\n".join(wrong)


def values_for(key_number: int) -> list[str]:
    """Every odd number in the full sweep; in the quick one, a third, a different third per key
    (so each number still meets a third of the keys)."""
    if SWEEPS == "full":
        return ODD_NUMBERS
    return ODD_NUMBERS[key_number % 3 :: 3]


@pytest.mark.parametrize("role", ["anon", "asker", "coach", "admin"])
def test_odd_numbers_in_query_strings_never_5xx(make_app, role):
    app = make_app()
    with app.app_context():
        world = build_world()
        client = client_for(app, world, role)
        wrong = []
        for rule, method, _ in _routes(app):
            if method != "GET":
                continue
            url = _path(rule, world)
            for number, key in enumerate(QUERY_KEYS):
                for value in values_for(number):
                    response = client.get(url, query_string={key: value})
                    if response.status_code >= 500:
                        wrong.append(f"GET {url}?{key}={value[:40]}: {response.status_code}")
        assert not wrong, "\n".join(wrong)
