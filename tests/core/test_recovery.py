"""Broker restart: the web side notices (health 503), producers retry, a real worker reconnects and the
work queued after the restart is done. No timing assertions: the waits are upper bounds for liveness.

The test runs its OWN redis-server on a free port and restarts that one, so nothing shared (the
machine's Redis on 6379, other tests' queues) is touched. PostgreSQL restarts are not tested here: the
database is shared by every test run on the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up after {seconds} s waiting for {what}")


class PrivateRedis:
    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self.up, 20, f"redis on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.3) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def queue(self) -> tuple[int, int]:
        """(waiting messages, unacknowledged deliveries)."""
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)
        try:
            return int(client.llen("celery")), int(client.hlen("unacked"))
        finally:
            client.close()


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(_free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


def _send(url: str, *args: int) -> None:
    """Publish like the application does (kombu producer with Celery's retry policy)."""
    from celery import current_app
    from kombu import Connection

    import pressdesk.celery  # noqa: F401 - registers the app and its publish hooks

    with Connection(url, connect_timeout=2) as conn, conn.Producer() as producer:
        current_app.send_task(
            "celery.accumulate",
            args=args,
            producer=producer,
            retry=True,
            retry_policy={"max_retries": 60, "interval_start": 0.5, "interval_step": 0.5, "interval_max": 1},
        )


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_redis_restart_health_producer_and_worker_recover(private_redis: PrivateRedis, tmp_path):
    url = f"redis://127.0.0.1:{private_redis.port}/0"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": url,
        "PRESSDESK_DATA_DIR": str(tmp_path / "data"),
        "LOG_LEVEL": "INFO",
    }
    env.pop("DATABASE_URL", None)
    worker_log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pressdesk.celery",
            "worker",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            "celery",
            "--loglevel",
            "INFO",
        ],
        env=env,
        cwd=ROOT,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        with override_settings(CELERY_BROKER_URL=url):
            client = Client()
            assert client.get("/healthz").status_code == 200

            _send(url, 1)
            _wait(lambda: private_redis.queue() == (0, 0), 90, "the worker to take the first task")

            private_redis.stop()
            down = client.get("/healthz")
            assert down.status_code == 503
            assert down.json()["broker"]["ok"] is False

            # A producer publishing while the broker is down retries and succeeds once it is back.
            sender = threading.Thread(target=_send, args=(url, 2), daemon=True)
            sender.start()
            time.sleep(1.5)
            private_redis.start()
            sender.join(timeout=60)
            assert not sender.is_alive()

            _wait(lambda: private_redis.queue() == (0, 0), 90, "the reconnected worker to take the task")
            assert worker.poll() is None  # the worker survived the restart
            healthy = client.get("/healthz")
            assert healthy.status_code == 200
            assert healthy.json()["queue"]["length"] == 0
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        worker_log.close()
    # Both tasks really ran in the worker (one before, one after the restart), each exactly once.
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert log.count("Task celery.accumulate[") == 4, log[-3000:]  # received + succeeded, twice
    assert log.count("succeeded in") == 2, log[-3000:]
