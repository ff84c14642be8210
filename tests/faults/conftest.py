"""Processes fault tests start for themselves: a private redis-server, a worker, gunicorn.

Every process listens on 127.0.0.1 only and is stopped when its test ends; the shared
Redis and PostgreSQL of the machine are never stopped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Waits end on an event (a ready line, an answer, a row); this bound only catches a hang. It
# is generous because CI runs on a busy 2-core machine where starting a worker can take 20 s.
HANG = float(os.environ.get("ASSIST_FAULT_HANG_SECONDS", "180"))


def wait_for(
    predicate,
    what: str,
    timeout: float = HANG,
    interval: float = 0.05,
    watch: Service | None = None,
    seen=None,
):
    """Poll *predicate* until it returns something truthy, and return that.

    Fails at once if the *watch*ed process has exited, and after *timeout* seconds otherwise;
    the message says what was awaited, what *seen()* reports and the watched process's log.
    """
    started = time.monotonic()
    deadline = started + timeout
    while True:
        value = predicate()
        if value:
            return value
        exited = watch is not None and watch.process.poll() is not None
        if exited or time.monotonic() >= deadline:
            break
        time.sleep(interval)
    waited = time.monotonic() - started
    lines = [
        f"{what}: the process exited with {watch.process.returncode} after {waited:.1f}s"
        if exited
        else f"timed out after {waited:.1f}s waiting for {what}"
    ]
    if seen is not None:
        lines.append(f"seen: {seen()}")
    if watch is not None:
        lines.append(f"--- {watch.log.name} ---\n{watch.output()[-4000:]}")
    raise AssertionError("\n".join(lines))


class PrivateRedis:
    """A redis-server of our own on a free loopback port, which a test may stop and start."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp = tmp
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            message = "redis-server is not installed (apt-get install redis-server)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, "redis-server to start")

    def ping(self) -> bool:
        from redis import Redis
        from redis.exceptions import RedisError

        try:
            return bool(Redis(host="127.0.0.1", port=self.port, socket_timeout=0.5).ping())
        except RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    """A redis-server only this test uses; stopped at the end whatever happened."""
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Service:
    """A child process in its own process group, with its output kept in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.handle = log.open("wb")
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(15)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.handle.close()

    def output(self) -> str:
        if not self.handle.closed:
            self.handle.flush()
        return self.log.read_text(errors="replace")

    def wait_for_line(self, text: str, what: str) -> None:
        """Wait until the process has printed *text* (its readiness line)."""
        wait_for(lambda: text in self.output(), what, watch=self)


# What ``flask worker`` prints once it takes jobs.
WORKER_READY = "Worker ready:"


@pytest.fixture
def services(tmp_path) -> Iterator:
    """Start child processes (``flask worker``, gunicorn …); all are stopped afterwards."""
    started: list[Service] = []

    def start(args: list[str], env: dict[str, str], name: str) -> Service:
        service = Service(args, {**os.environ, **env}, tmp_path / f"{name}.log")
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()


def app_env(base_config: dict, **extra: str) -> dict[str, str]:
    """Environment that makes ``flask --app wsgi`` or gunicorn use the test database."""
    env = {
        "SECRET_KEY": "fault-test-secret",
        "ASSIST_ENV": "development",
        "ASSIST_SQLALCHEMY_DATABASE_URI": base_config["SQLALCHEMY_DATABASE_URI"],
        "ASSIST_ARGON2_FAST_FOR_TESTS": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


FLASK = [str(BIN / "flask"), "--app", "wsgi"]
GUNICORN = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"]
