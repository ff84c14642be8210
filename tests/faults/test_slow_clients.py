"""Idle and slow clients never starve the server: the shipped nginx front (deploy/) reads
whole requests before gunicorn sees them.

200 connections that send nothing and 200 that send their headers a line at a time
(slowloris) are opened; normal requests must still answer within 1 s. The same load
straight at gunicorn (2 workers x 4 threads, each thread reading its own request) is shown
to starve it, which is why the front is part of the shipped set-up.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.faults.conftest import GUNICORN, ROOT, app_env, free_port, wait_for

IDLE = 200
SLOW = 200
NORMAL = 20
WITHIN = 1.0


def _nginx() -> str:
    binary = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if binary is None:
        message = "nginx is not installed (apt-get install nginx-light)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return binary


def _nginx_config(tmp: Path, port: int, upstream: int) -> Path:
    """deploy/nginx-assist.conf as shipped, on our ports and in our temporary folder."""
    site = (ROOT / "deploy" / "nginx-assist.conf").read_text()
    site = (
        site.replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};")
        .replace("/var/log/nginx/assist-error.log", str(tmp / "nginx-error.log"))
        .replace("/srv/assist/static/", f"{ROOT / 'static'}/")
    )
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir(mode=0o777, exist_ok=True)
        os.chmod(tmp / name, 0o777)  # nginx's workers drop root for "nobody"
    config = tmp / "nginx.conf"
    config.write_text(
        f"""
worker_processes 1;
worker_rlimit_nofile 8192;
pid {tmp}/nginx.pid;
daemon off;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{site}
}}
"""
    )
    return config


class BadClients:
    """IDLE connections that send nothing and SLOW ones that trickle their headers."""

    def __init__(self, port: int) -> None:
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()
        for n in range(IDLE + SLOW):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if n >= IDLE:
                sock.sendall(b"GET /questions/ HTTP/1.1\r\nHost: localhost\r\n")
            self.sockets.append(sock)
        self.trickler = threading.Thread(target=self._trickle, daemon=True)
        self.trickler.start()

    def _trickle(self) -> None:
        n = 0
        while not self.stop.wait(0.5):
            n += 1
            for sock in self.sockets[IDLE:]:
                try:
                    sock.sendall(f"X-Slow-{n}: a\r\n".encode())
                except OSError:
                    pass  # dropped by the server: that's its defence

    def close(self) -> None:
        self.stop.set()
        self.trickler.join(5)
        for sock in self.sockets:
            sock.close()


def _timed_get(base: str, path: str) -> float:
    began = time.monotonic()
    with urllib.request.urlopen(base + path, timeout=WITHIN * 5) as response:
        assert response.status == 200
        response.read()
    return time.monotonic() - began


def _up(base: str):
    def check():
        try:
            return urllib.request.urlopen(base + "/healthz", timeout=1).status == 200
        except OSError:
            return False

    return check


def test_idle_and_slow_clients_never_starve_the_server(make_app, base_config, services, tmp_path):
    nginx = _nginx()
    make_app()  # empty tables
    upstream, port = free_port(), free_port()
    env = app_env(base_config, GUNICORN_BIND=f"127.0.0.1:{upstream}", ASSIST_PROXY_FIX_X_FOR="1")
    server = services(GUNICORN, env, "gunicorn")
    wait_for(_up(f"http://127.0.0.1:{upstream}"), "gunicorn to answer", watch=server)
    front = services(
        [
            nginx,
            "-e",
            "stderr",
            "-p",
            str(tmp_path),
            "-c",
            str(_nginx_config(tmp_path, port, upstream)),
        ],
        {},
        "nginx",
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(_up(base), "nginx to answer", watch=front)

    # Straight at gunicorn, the same load starves it: nobody else gets an answer in time.
    direct = BadClients(upstream)
    try:
        with pytest.raises(OSError):  # a timeout
            with urllib.request.urlopen(f"http://127.0.0.1:{upstream}/healthz", timeout=WITHIN * 3):
                pass
    finally:
        direct.close()
    wait_for(_up(f"http://127.0.0.1:{upstream}"), "gunicorn to recover", watch=server)

    # Behind nginx: every normal request answers within the second.
    bad = BadClients(port)
    try:
        took = [_timed_get(base, path) for path in ("/healthz", "/questions/") * (NORMAL // 2)]
    finally:
        bad.close()
    report = (
        f"{NORMAL} requests beside {IDLE} idle + {SLOW} slow: slowest {max(took) * 1000:.0f} ms"
    )
    print(report)
    assert max(took) <= WITHIN, report
    errors = tmp_path / "nginx-error.log"  # at "crit": no "client: <address>" lines
    assert not errors.exists() or "client:" not in errors.read_text(errors="replace")
