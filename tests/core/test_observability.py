"""Request ids, structured logs without secrets, /healthz and /metrics."""

from __future__ import annotations

import io
import json
import logging
import socket
import time
import uuid
from collections.abc import Iterator

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from pressdesk.core.logs import JsonFormatter, PlainFormatter, redact
from pressdesk.core.middleware import RequestIdMiddleware

REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def console_output() -> Iterator[io.StringIO]:
    """The real console handler configured by settings.LOGGING, writing into a buffer."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    old_stream = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(old_stream)


@pytest.fixture
def json_console(console_output: io.StringIO) -> Iterator[io.StringIO]:
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    old = handler.formatter
    handler.setFormatter(JsonFormatter())
    try:
        yield console_output
    finally:
        handler.setFormatter(old)


# --- request ids ---------------------------------------------------------------------------------


def test_a_sane_incoming_request_id_is_kept_and_put_in_logs(console_output):
    seen: list[str] = []

    def view(request):
        logging.getLogger("pressdesk.test").warning("inside the view")
        seen.append(request.request_id)
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="abc-123.DEF:45"))
    assert response["X-Request-ID"] == "abc-123.DEF:45"
    assert seen == ["abc-123.DEF:45"]
    assert "[abc-123.DEF:45] inside the view" in console_output.getvalue()


@pytest.mark.parametrize("incoming", ["", "short", "has spaces in it", "x" * 300, "evil\nINFO forged line"])
def test_an_insane_request_id_is_replaced_by_a_generated_one(incoming):
    response = RequestIdMiddleware(lambda r: HttpResponse("ok"))(
        RequestFactory().get("/", HTTP_X_REQUEST_ID=incoming)
    )
    generated = response["X-Request-ID"]
    assert generated != incoming
    assert uuid.UUID(hex=generated)


@pytest.mark.django_db
def test_every_response_carries_a_request_id():
    response = Client().get("/dang-nhap/")
    assert len(response["X-Request-ID"]) == 32


def test_log_records_outside_a_request_show_a_dash(console_output):
    logging.getLogger("pressdesk.test").warning("no request here")
    assert "[-] no request here" in console_output.getvalue()


# --- no secrets in logs -----------------------------------------------------------------------------

SECRET = "s3cr3t-KEY-value-that-must-never-leak-0123456789"
DB_PASSWORD = "pg-Pa55word-xyz"


@override_settings(SECRET_KEY=SECRET, EMAIL_HOST_PASSWORD="mail-pass-987654")
def test_log_lines_never_contain_secrets(json_console, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"postgres://pressdesk:{DB_PASSWORD}@db.internal:5432/pressdesk")
    log = logging.getLogger("pressdesk.test")
    log.warning("settings loaded with key %s", SECRET)
    log.warning("connecting to postgres://pressdesk:%s@db.internal:5432/pressdesk", DB_PASSWORD)
    log.warning("request headers: {'Authorization': 'Token abcdef0123456789abcdef'}")
    log.warning("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig")
    log.warning("form data password=hunter2hunter2&username=bientap")
    log.warning('json body {"password": "another-pass-1", "token": "tok-998877"}')
    log.warning("mail login with %s", "mail-pass-987654")
    try:
        raise RuntimeError(f"failed with secret {SECRET}")
    except RuntimeError:
        log.exception("an error carrying the secret in its traceback")
    output = json_console.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    assert len(lines) == 8
    for forbidden in (
        SECRET,
        DB_PASSWORD,
        "abcdef0123456789abcdef",
        "eyJhbGciOiJIUzI1NiJ9",
        "hunter2hunter2",
        "another-pass-1",
        "tok-998877",
        "mail-pass-987654",
    ):
        assert forbidden not in output, forbidden
    assert "[redacted]" in lines[0]["message"]
    assert "db.internal" in lines[1]["message"]  # the rest of the message survives
    assert "username=bientap" in lines[4]["message"]
    assert "RuntimeError" in lines[7]["exception"]


def test_json_lines_have_time_level_logger_message_and_request_id(json_console):
    logging.getLogger("pressdesk.test").warning("Xin chào %s", "Thanh Hóa")
    record = json.loads(json_console.getvalue().strip())
    assert record["message"] == "Xin chào Thanh Hóa"
    assert record["level"] == "WARNING"
    assert record["logger"] == "pressdesk.test"
    assert record["request_id"] == "-"
    assert record["time"].endswith("+00:00")


def test_redact_keeps_ordinary_text():
    text = "Đã phê duyệt đơn đặt hàng số 12 của Báo Thanh Hóa"
    assert redact(text, []) == text


def test_plain_formatter_adds_request_id_for_foreign_handlers():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    assert "[-] hello" in PlainFormatter().format(record)


def test_json_logging_is_selected_by_log_format(tmp_path):
    import subprocess
    import sys

    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('pressdesk.x').warning('hello %s', 'world')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "pressdesk.settings",
            "PRESSDESK_DATA_DIR": str(tmp_path),
            "LOG_FORMAT": "json",
            "SECRET_KEY": SECRET,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert {"message": "hello world"}.items() <= lines[-1].items()
    assert SECRET not in result.stderr


# --- /healthz ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_the_database_and_no_broker():
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["latency_ms"] >= 0
    assert body["broker"] == {"ok": True, "configured": False}


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://:hidden-broker-pass@127.0.0.1:1/0")
def test_healthz_is_503_when_the_broker_is_down_and_names_no_address():
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"]["ok"] is False
    text = response.content.decode()
    assert "hidden-broker-pass" not in text and "127.0.0.1" not in text


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise RuntimeError("database gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    from pressdesk.core.health import check_database

    assert check_database() == {"ok": False, "error": "RuntimeError"}


@pytest.mark.skipif(not _redis_up(), reason="Redis not running on 127.0.0.1:6379")
@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL=REDIS_URL)
def test_healthz_with_redis_gives_queue_length_and_the_oldest_message_age():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete("celery")
    try:
        old = {"headers": {"pressdesk_sent_at": time.time() - 120, "task": "x"}, "body": ""}
        new = {"headers": {"pressdesk_sent_at": time.time(), "task": "y"}, "body": ""}
        client.lpush("celery", json.dumps(old))
        client.lpush("celery", json.dumps(new))
        response = Client().get("/healthz")
        assert response.status_code == 200
        queue = response.json()["queue"]
        assert queue["length"] == 2
        assert queue["oldest_age_seconds"] >= 119
        assert response.json()["broker"]["transport"] == "redis"
    finally:
        client.delete("celery")
        client.close()


@pytest.mark.skipif(not _redis_up(), reason="Redis not running on 127.0.0.1:6379")
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_published_tasks_are_stamped_with_their_send_time():
    from celery import current_app
    from kombu import Connection

    import pressdesk.celery  # noqa: F401 - the app whose signals we rely on

    with Connection(REDIS_URL) as conn:
        conn.default_channel.client.delete("celery")
        try:
            with conn.Producer() as producer:
                current_app.send_task("pressdesk.tests.nothing", producer=producer)
            raw = conn.default_channel.client.lindex("celery", -1)
            headers = json.loads(raw)["headers"]
            assert abs(headers["pressdesk_sent_at"] - time.time()) < 60
        finally:
            conn.default_channel.client.delete("celery")


# --- /metrics ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_count_requests_by_route_pattern():
    client = Client()
    client.get("/healthz")
    client.get("/no-such-page/12345")
    text = client.get("/metrics").content.decode()
    assert 'pressdesk_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert 'route="<unmatched>",status="404"' in text
    assert "no-such-page" not in text
    assert 'pressdesk_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz"}' in text


@pytest.mark.django_db
def test_metrics_are_refused_to_other_addresses_without_the_token():
    response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")
    assert response.status_code == 403
    assert "pressdesk_" not in response.content.decode()


@pytest.mark.django_db
@override_settings(PRESSDESK_METRICS_TOKEN="metrics-token-123456", PRESSDESK_METRICS_ALLOW=["10.0.0.0/8"])
def test_metrics_accept_the_bearer_token_or_an_allowed_network():
    outside = Client(REMOTE_ADDR="203.0.113.9")
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 403
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer metrics-token-123456").status_code == 200
    assert Client(REMOTE_ADDR="10.20.30.40").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 403


@pytest.mark.django_db
def test_metrics_show_the_latest_ingestion_run_and_its_skip_reasons():
    from pressdesk.monitoring.models import IngestRun

    IngestRun.objects.create(finished_at=timezone.now(), fetched=1, skips={"old": 9})
    IngestRun.objects.create(
        finished_at=timezone.now(),
        sources=4,
        fetched=40,
        new=30,
        duplicates=7,
        skips={"duplicate_url": 5, "not_html": 2},
        errors={"timeout": ["https://a.example/1", "https://a.example/2"]},
        seconds=12.5,
    )
    IngestRun.objects.create(fetched=99)  # still running: not reported
    text = Client().get("/metrics").content.decode()
    assert 'pressdesk_ingest_last_run_items{kind="fetched"} 40.0' in text
    assert 'pressdesk_ingest_last_run_items{kind="duplicates"} 7.0' in text
    assert 'pressdesk_ingest_last_run_skips{reason="duplicate_url"} 5.0' in text
    assert 'pressdesk_ingest_last_run_skips{reason="not_html"} 2.0' in text
    assert 'reason="old"' not in text
    assert 'pressdesk_ingest_last_run_errors{reason="timeout"} 2.0' in text
    assert "pressdesk_ingest_last_run_seconds 12.5" in text


@pytest.mark.django_db
def test_metrics_time_celery_tasks():
    from celery import shared_task

    @shared_task(name="pressdesk.tests.sample_metrics_task")
    def sample(x: int) -> int:
        return x * 2

    assert sample.delay(21).get() == 42  # eager without a broker: the signals fire in-process
    text = Client().get("/metrics").content.decode()
    assert (
        'pressdesk_task_duration_seconds_count{state="SUCCESS",task="pressdesk.tests.sample_metrics_task"}'
        in text
    )


@pytest.mark.skipif(not _redis_up(), reason="Redis not running on 127.0.0.1:6379")
@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL=REDIS_URL)
def test_metrics_report_the_queue_length():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete("celery")
    try:
        for _ in range(3):
            client.lpush("celery", json.dumps({"headers": {}, "body": ""}))
        text = Client().get("/metrics").content.decode()
        assert "pressdesk_queue_length 3.0" in text
    finally:
        client.delete("celery")
        client.close()
