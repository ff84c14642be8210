"""No raw client address or user agent is stored anywhere: database, Redis or logs.

A whole journey runs through gunicorn (with our config) as a client with a marker
address (sent the way a reverse proxy would, in X-Forwarded-For) and a marker user
agent; then every row, every Redis key and value, and every log line is searched.
"""

from __future__ import annotations

import http.cookiejar
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from redis import Redis
from sqlalchemy import select

from community.extensions import db
from tests.faults.conftest import GUNICORN, app_env, free_port, wait_for

MARKER_ADDRESS = "198.51.100.77"  # TEST-NET-2: documentation only, never routed
MARKER_AGENT = "AssistProbe/7.3 (anonymity-marker-5e1f)"
# Malformed requests come straight from this loopback address (Linux routes all of
# 127.0.0.0/8 to lo), so gunicorn itself sees it as the client's.
MARKER_PEER = "127.0.0.77"
MALFORMED = (
    b"GARBAGE\r\n\r\n",  # not a request line
    b"GET / HTTP/1.1\r\nHost: x\r\nNo colon in this header\r\n\r\n",
    b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",  # request line too long
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
)
PASSWORD = "a long and private password"


class Browser:
    """Just enough of a browser: cookies, CSRF tokens from forms, marker headers."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={
                "User-Agent": MARKER_AGENT,
                "X-Forwarded-For": MARKER_ADDRESS,
            },
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def form(self, path: str) -> tuple[str, str]:
        status, page = self.request(path)
        assert status == 200, (path, status)
        return page, re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _send_raw(port: int, raw: bytes) -> bytes:
    """Send *raw* bytes from the marker peer address and return the start of the answer."""
    with socket.create_connection(
        ("127.0.0.1", port), timeout=10, source_address=(MARKER_PEER, 0)
    ) as sock:
        sock.sendall(raw)
        return sock.recv(200)


def _database_text(uri: str) -> str:
    """Every value of every row of every table, as text (and SQLite's raw files)."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            parts.append(" ".join(str(value) for value in row))
    db.session.rollback()
    if uri.startswith("sqlite"):
        path = Path(uri.removeprefix("sqlite:///"))
        for candidate in (path, path.with_name(path.name + "-wal")):
            if candidate.exists():
                parts.append(candidate.read_bytes().decode("latin-1"))
    return "\n".join(parts)


def _redis_text(url: str) -> tuple[str, int]:
    client = Redis.from_url(url)
    parts, keys = [], 0
    for key in client.scan_iter(count=500):
        keys += 1
        parts.append(key.decode("latin-1"))
        kind = client.type(key).decode()
        if kind == "string":
            parts.append((client.get(key) or b"").decode("latin-1"))
        elif kind == "hash":
            parts.extend(f"{k}={v}" for k, v in client.hgetall(key).items())
        elif kind == "list":
            parts.extend(map(str, client.lrange(key, 0, -1)))
        elif kind == "set":
            parts.extend(map(str, client.smembers(key)))
        elif kind == "zset":
            parts.extend(map(str, client.zrange(key, 0, -1, withscores=True)))
        elif kind == "stream":
            parts.append(str(client.xrange(key)))
    return "\n".join(parts), keys


def test_no_address_or_user_agent_is_kept(make_app, base_config, private_redis, services):
    app = make_app()  # empties the tables the journey will use
    port = free_port()
    env = app_env(
        base_config,
        REDIS_URL=private_redis.url,
        ASSIST_RATELIMIT_ENABLED="true",
        ASSIST_PROXY_FIX_X_FOR="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    server = services(GUNICORN, env, "gunicorn")
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return urllib.request.urlopen(base + "/healthz", timeout=1).status == 200
        except OSError:
            return False

    wait_for(up, "gunicorn to answer /healthz", watch=server)
    browser = Browser(base)
    page, token = browser.form("/sign-up")
    pseudonym = re.search(r'id="pseudonym"[^>]*value="([^"]+)"', page)[1]
    status, _ = browser.request(
        "/sign-up",
        {"csrf_token": token, "pseudonym": pseudonym, "age_band": "16-17", "password": PASSWORD},
    )
    assert status == 200
    _, token = browser.form("/questions/ask")
    status, _ = browser.request(
        "/questions/ask",
        {
            "csrf_token": token,
            "title": "Can anyone tell where I am from?",
            "body": "Just checking that nobody can see my address or my phone.",
            "topic": "other",
        },
    )
    assert status == 302
    browser.request("/log-out", {"csrf_token": token})
    _, token = browser.form("/log-in")
    assert (
        browser.request(
            "/log-in", {"csrf_token": token, "pseudonym": pseudonym, "password": "wrong password"}
        )[0]
        == 422
    )
    assert (
        browser.request(
            "/log-in", {"csrf_token": token, "pseudonym": pseudonym, "password": PASSWORD}
        )[0]
        == 302
    )
    for path in ("/", "/questions/", "/leaderboard/", "/help", "/no-such-page", "/me/posts"):
        browser.request(path)
    answers = [_send_raw(port, raw) for raw in MALFORMED]
    assert [answer[:12] for answer in answers] == [b"HTTP/1.1 400"] * 2 + [
        b"HTTP/1.1 414",
        b"HTTP/1.1 400",
    ]
    server.stop()

    with app.app_context():
        stored = _database_text(base_config["SQLALCHEMY_DATABASE_URI"])
    assert pseudonym in stored  # the journey really reached the database
    in_redis, keys = _redis_text(private_redis.url)
    assert keys > 0  # rate limits (keyed by a hash of the address) and jobs are there
    logs = server.output()
    assert '"POST /questions/ask" 302' in logs  # the access log was written
    assert "Invalid request from ip=" in logs  # the error log was written, without the address
    assert MARKER_PEER not in logs, "a malformed request's client address is in the error log"
    for where, text in (("database", stored), ("redis", in_redis), ("logs", logs)):
        assert MARKER_ADDRESS not in text, f"client address found in {where}"
        assert "anonymity-marker-5e1f" not in text, f"user agent found in {where}"
