"""A real Celery worker over a real broker (Redis in CI) with PostgreSQL: ingest through it, kill it
mid-ingestion (SIGKILL), start another: nothing lost, nothing duplicated.

Needs CELERY_TEST_BROKER_URL (CI: redis://127.0.0.1:6379/15) and DATABASE_URL on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from pressdesk.monitoring.models import Article, Source
from tests.factories import OutletFactory
from tests.ingest.pages import article_page, rss
from tests.ingest.server import LocalServer
from tests.monitoring.stories import story

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def _require_broker() -> None:
    if not BROKER:
        pytest.skip(
            "CELERY_TEST_BROKER_URL is not set (CI sets redis://127.0.0.1:6379/15): no real worker test"
        )
    if connection.vendor != "postgresql":
        pytest.skip(
            "the broker test needs DATABASE_URL on PostgreSQL (a worker process shares the test database)"
        )


def _database_url() -> str:
    """The test database (pytest-django's test_<name>) as a URL the worker process can use."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _start_worker(queue: str, server: LocalServer, tmp: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "PRESSDESK_FETCH_ALLOW": f"127.0.0.1:{server.port}",
        "PRESSDESK_FETCH_DELAY": "0",
        "PRESSDESK_DATA_DIR": str(tmp),
        # An abandoned (unacknowledged) message comes back after 3 s, swept every second.
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "DJANGO_SETTINGS_MODULE": "pressdesk.settings",
    }
    log = open(tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pressdesk",
            "worker",
            "--queues",
            queue,
            "--concurrency",
            "1",
            "--hostname",
            f"{name}-{queue}@%h",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the worker and its pool children, no goodbye
    process.wait(timeout=30)


def _wait(condition: Callable[[], bool], timeout: float, what: str, logs: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    tails = "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(logs.glob("*.log")))
    pytest.fail(f"timed out waiting for {what}\n{tails}")


def test_worker_ingests_and_a_killed_worker_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    _require_broker()
    from celery import Celery

    total = 24
    server = LocalServer()
    try:
        urls = []
        for i in range(total):
            title, lead, body = story(i)
            path = f"/tin/bai-{i}-{700000 + i}.html"
            html = article_page(title=title, lead=lead, body=body).encode()

            def slow(handler: Any, html: bytes = html) -> None:
                time.sleep(0.4)  # slow pages: the kill lands in the middle of the ingestion
                handler.send_response(200)
                handler.send_header("Content-Type", "text/html; charset=utf-8")
                handler.send_header("Content-Length", str(len(html)))
                handler.end_headers()
                handler.wfile.write(html)

            server.routes[path] = slow
            urls.append(server.url(path))
        server.add(
            "/rss.xml", rss([(u, f"Tin {i}") for i, u in enumerate(urls)]), content_type="application/rss+xml"
        )
        source = Source.objects.create(outlet=OutletFactory(), url=server.url("/rss.xml"))

        queue = f"pressdesk-test-{uuid.uuid4().hex[:8]}"  # no other worker on this broker takes our tasks
        client = Celery("pressdesk-test", broker=BROKER)
        first = _start_worker(queue, server, tmp_path, "w1")
        try:
            client.send_task("pressdesk.monitoring.tasks.ingest_source_task", args=[source.pk], queue=queue)
            # Mid-ingestion: the worker has fetched some article pages but not all of them.
            _wait(
                lambda: sum(p.startswith("/tin/") for p in server.paths_hit()) >= 4,
                120,
                "the first pages",
                tmp_path,
            )
        finally:
            _kill(first)
        stored_at_kill = Article.objects.count()
        second = _start_worker(queue, server, tmp_path, "w2")
        try:
            _wait(lambda: Article.objects.count() >= total, 180, "all articles after the restart", tmp_path)
            time.sleep(2)  # a late duplicate would show up now
        finally:
            _kill(second)
        canonical = list(Article.objects.values_list("canonical_url", flat=True))
        assert len(canonical) == total and len(set(canonical)) == total
        assert set(Article.objects.values_list("url", flat=True)) == set(urls)
        assert stored_at_kill < total
        assert server.paths_hit().count("/rss.xml") >= 2  # the task really ran twice (redelivered)
        source.refresh_from_db()
        assert source.last_error_reason == "" and source.last_ok_at is not None
    finally:
        server.close()
