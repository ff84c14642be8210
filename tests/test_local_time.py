"""Times show in the reader's local time (their browser's zone, else their country's), with
the zone named where someone has to act on it; stored times stay UTC."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from flask import render_template_string
from sqlalchemy import update

from community.core.database import commit_unit_of_work
from community.core.security import CONTENT_SECURITY_POLICY
from community.extensions import db
from moderation import sanctions
from moderation.models import Sanction

ROOT = Path(__file__).resolve().parents[1]
ENDS = datetime(2030, 1, 15, 12, 0)  # naive UTC, as stored


@pytest.fixture
def silenced(youth, moderator):
    """``youth``, silenced until 15 January 2030, 12:00 UTC."""
    sanction = sanctions.apply_sanction(moderator, youth.id, "silence", "hurtful")
    commit_unit_of_work()
    db.session.execute(update(Sanction).where(Sanction.id == sanction.id).values(ends_at=ENDS))
    commit_unit_of_work()
    return youth


@pytest.mark.parametrize(
    ("cookies", "language", "shown"),
    [
        ({}, "en", "Jan 15, 2030, 1:00\u202fPM (Denmark Time)"),
        ({"assist_country": "GB"}, "en", "Jan 15, 2030, 12:00\u202fPM (United Kingdom Time)"),
        ({}, "da", "15. jan. 2030, 13.00 (Danmark-tid)"),
        ({}, "nb", "15. jan. 2030, 13:00 (tidssone for Norge)"),
        # The browser's own zone (static/timezone.js) beats the country's.
        (
            {"assist_tz": "America/New_York", "assist_country": "NO"},
            "en",
            "Jan 15, 2030, 7:00\u202fAM (United States (New York) Time)",
        ),
    ],
)
def test_the_end_of_a_pause_shows_in_local_time_with_its_zone(
    client, silenced, login, cookies, language, shown
):
    for name, value in cookies.items():
        client.set_cookie(name, value)
    login(silenced)
    page = client.get("/me/standing", headers={"Accept-Language": language}).text
    assert shown in page
    assert "12:00 UTC" not in page
    # The banner on every page says the same.
    assert shown in client.get("/", headers={"Accept-Language": language}).text


@pytest.mark.parametrize("value", ["../../etc/passwd", "Not/AZone", "/etc/localtime", "x" * 500])
def test_a_forged_zone_cookie_falls_back_to_the_countrys_zone(client, silenced, login, value):
    client.set_cookie("assist_tz", value)
    login(silenced)
    page = client.get("/me/standing")
    assert page.status_code == 200
    assert "1:00\u202fPM (Denmark Time)" in page.text


def test_the_zone_script_is_a_static_file_and_pages_name_no_inline_script(client):
    page = client.get("/")
    assert '<script src="/static/timezone.js" defer></script>' in page.text
    assert re.findall(r"<script(?![^>]*\bsrc=)", page.text) == []  # nothing inline
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    with client.get("/static/timezone.js") as script:
        assert script.status_code == 200 and "assist_tz=" in script.text
        assert "SameSite=Lax" in script.text


def test_the_time_filters_keep_the_exact_utc_moment(app):
    with app.test_request_context("/", headers={"Accept-Language": "en-GB"}):
        html = render_template_string("{{ moment|time_tag }}", moment=ENDS)
    assert html == '<time datetime="2030-01-15T12:00:00Z">Jan 15, 2030, 12:00\u202fPM</time>'


def test_no_template_formats_a_time_by_hand():
    """Every time goes through the local-time filters: no strftime and no "UTC" in a
    sentence (the dashboard's per-day counts are UTC days, and say so)."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text("utf-8")
        if "strftime" in text or re.search(r"%\(\w+\)s UTC", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
