"""``flask worker``: an RQ worker in the app's context that outlives Redis outages.

It listens to the urgent queue (risk screening) before the routine one, runs the outbox
sweeper in a thread (one sweep per interval across all workers), and when Redis goes
away it waits and reconnects instead of exiting. Supervision (systemd ``Restart=always``)
stays recommended for everything else.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import Flask

from community.core.delivery import start_sweeper, sweep, worker_queues

log = logging.getLogger(__name__)

READY = "Worker ready:"  # printed each time the worker (re)connects and takes jobs
MAX_WAIT_SECONDS = 10.0


def _wait_for_redis(connection, echo: Callable[[str], None]) -> None:
    from redis.exceptions import RedisError

    wait = 0.5
    said = False
    while True:
        try:
            connection.ping()
            return
        except RedisError as error:
            if not said:
                echo(f"Redis unreachable ({error}); waiting for it to come back.")
                said = True
            time.sleep(wait)
            wait = min(wait * 2, MAX_WAIT_SECONDS)


def run_worker(app: Flask, burst: bool, echo: Callable[[str], None]) -> None:
    """Take jobs until stopped (or, with *burst*, until the queues are empty)."""
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue, Worker

    # A connection of the worker's own: RQ sets its socket timeout to outlast its blocking
    # dequeue, which a connection shared with the sweeper (5 s timeouts) would not.
    connection = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=1)
    queues = [Queue(q.name, connection=connection) for q in worker_queues(app)]
    # Whatever waited in the outbox while no worker (or no Redis) was there is handed over
    # by the sweeper, whose first round starts at once in its own thread.
    stop = None if burst else start_sweeper(app, app.config["OUTBOX_SWEEP_SECONDS"], True)
    try:
        while True:
            _wait_for_redis(connection, echo)
            if burst:
                sweep()
            try:
                rq_worker = Worker(queues, connection=connection)
                rq_worker.max_connection_wait_time = MAX_WAIT_SECONDS  # RQ's own: 60 s
                names = ", ".join(repr(q.name) for q in queues)
                echo(f"{READY} taking jobs from queues {names}.")
                rq_worker.work(burst=burst, with_scheduler=not burst)
            except (RedisError, OSError) as error:
                log.warning("lost Redis (%s); the worker reconnects when it is back", error)
                echo(f"Lost Redis ({error}); reconnecting when it is back.")
                time.sleep(1)
                continue
            if burst or getattr(rq_worker, "_shutdown_requested_date", True) is not None:
                return  # done, or stopped by a signal (warm shut-down)
            # work() returned without being asked to stop: Redis went away under it.
            echo("The worker stopped taking jobs; reconnecting.")
            time.sleep(1)
    finally:
        if stop is not None:
            stop.set()
