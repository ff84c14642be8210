"""Public attack lists against the places they target: ``next`` at log-in, and search."""

from __future__ import annotations

import time
from urllib.parse import quote, urlsplit

import pytest

from tests.security.payloads import lines_of
from tests.security.world import PASSWORD, build_world


@pytest.fixture
def world_app(make_app):
    app = make_app()
    with app.app_context():
        world = build_world()
        yield app, world


def test_open_redirect_payloads_never_leave_the_site(world_app):
    app, world = world_app
    offsite = []
    for payload in lines_of("open-redirect/Open-Redirect-payloads.txt"):
        client = app.test_client()
        response = client.post(
            f"/log-in?next={quote(payload, safe='')}",
            data={"pseudonym": world.users["asker"].pseudonym, "password": PASSWORD},
        )
        assert response.status_code == 302, payload
        location = response.headers["Location"]
        parts = urlsplit(location)
        if (
            parts.scheme
            or parts.netloc
            or not location.startswith("/")
            or location.startswith(("//", "/\\"))
        ):
            offsite.append((payload, location))
    assert not offsite


def test_sql_injection_cannot_log_in_or_break_search(world_app):
    app, world = world_app
    client = app.test_client()
    payloads = lines_of("sql-injection/Auth_Bypass.txt") + lines_of(
        "sql-injection/Generic_TimeBased.txt"
    )
    slow, broken = [], []
    for payload in payloads:
        for data in (
            {"pseudonym": payload, "password": payload},
            {"pseudonym": world.users["asker"].pseudonym, "password": payload},
        ):
            started = time.monotonic()
            response = client.post("/log-in", data=data)
            if time.monotonic() - started > 2:
                slow.append(payload)
            if response.status_code != 422:  # never a bypass (302), never a 5xx
                broken.append((payload, response.status_code))
        for params in ({"topic": payload}, {"filter": payload}, {"after": payload}):
            started = time.monotonic()
            response = client.get("/questions/", query_string=params)
            if time.monotonic() - started > 2:
                slow.append(payload)
            if response.status_code != 200:
                broken.append((payload, response.status_code))
    assert not broken
    assert not slow  # a time-based injection would make these wait for seconds
