"""`pressdesk web`: gunicorn from the environment's settings, with metrics summed over its processes."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_print_command_shows_gunicorn_with_our_config(tmp_path):
    env = {**os.environ, "PRESSDESK_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "pressdesk", "web", "--print-command"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert "-m gunicorn --config python:pressdesk.core.gunicorn_conf pressdesk.wsgi:application" in out


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    import importlib

    monkeypatch.setenv("PRESSDESK_WEB_WORKERS", "3")
    monkeypatch.setenv("PRESSDESK_WEB_THREADS", "6")
    monkeypatch.setenv("PRESSDESK_WEB_BIND", "127.0.0.1:9001,[::1]:9001")
    import pressdesk.core.gunicorn_conf as conf

    conf = importlib.reload(conf)
    assert (conf.workers, conf.threads, conf.worker_class) == (3, 6, "gthread")
    assert conf.bind == ["127.0.0.1:9001", "[::1]:9001"]
    monkeypatch.setenv("PRESSDESK_WEB_THREADS", "1")
    assert importlib.reload(conf).worker_class == "sync"


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_pressdesk_web_serves_pages_health_and_summed_metrics(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update({"PRESSDESK_DATA_DIR": str(tmp_path), "PROMETHEUS_MULTIPROC_DIR": ""})
    subprocess.run([sys.executable, "-m", "pressdesk", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pressdesk",
            "web",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not come up"
            time.sleep(0.3)
        for _ in range(20):  # new connections: both processes get some
            response = httpx.get(f"{base}/dang-nhap/", timeout=10)
            assert response.status_code == 200
            assert response.headers["server"].startswith("gunicorn")
            assert "default-src 'self'" in response.headers["content-security-policy"]
        css = httpx.get(f"{base}/static/pressdesk/pressdesk.css", timeout=10)
        assert css.status_code == 200 and "htmx-indicator" in css.text
        metrics = httpx.get(f"{base}/metrics", timeout=10).text
        match = re.search(
            r'pressdesk_http_requests_total\{method="GET",route="/dang-nhap/",status="200"\} (\S+)', metrics
        )
        assert match and float(match.group(1)) == 20.0  # summed over the gunicorn processes
        assert (tmp_path / "prometheus").is_dir()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
