"""Health checks for /healthz: database, broker, default queue length and age. No addresses, no secrets."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0
SENT_AT_HEADER = "pressdesk_sent_at"


def default_queue() -> str:
    return str(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", None) or "celery")


def check_database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        log.warning("health: database unreachable: %s", type(exc).__name__)
        return {"ok": False, "error": type(exc).__name__}
    return {
        "ok": True,
        "vendor": connections["default"].vendor,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
    }


def _broker_connection() -> Any:
    from kombu import Connection

    return Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
        transport_options={"socket_timeout": BROKER_TIMEOUT_SECONDS, "socket_connect_timeout": 2},
    )


def check_broker() -> dict[str, Any]:
    """Reachability of CELERY_BROKER_URL (none configured: tasks run in-process, nothing to check)."""
    if not settings.CELERY_BROKER_URL:
        return {"ok": True, "configured": False}
    started = time.perf_counter()
    try:
        with _broker_connection() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
            transport = conn.transport.driver_type
    except Exception as exc:
        log.warning("health: broker unreachable: %s", type(exc).__name__)
        return {"ok": False, "configured": True, "error": type(exc).__name__}
    return {
        "ok": True,
        "configured": True,
        "transport": str(transport),
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
    }


def queue_length() -> int | None:
    """Messages waiting in the default queue, or None without a broker or when it cannot be asked."""
    if not settings.CELERY_BROKER_URL:
        return None
    try:
        with _broker_connection() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
            channel = conn.channel()
            try:
                ok = channel.queue_declare(queue=default_queue(), passive=True)
            finally:
                channel.close()
            return int(ok.message_count)
    except Exception as exc:
        # A queue never declared yet has no messages (AMQP answers 404 to a passive declare).
        if "NOT_FOUND" in str(exc) or "404" in str(exc):
            return 0
        log.warning("health: cannot read queue length: %s", type(exc).__name__)
        return None


def oldest_message_age() -> float | None:
    """Seconds since the oldest waiting message was sent (Redis broker only; None when unknown).

    Kombu's Redis transport LPUSHes and BRPOPs, so the oldest message is the list's last element; the
    send time is the header our `before_task_publish` hook stamps on every task.
    """
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    try:
        import redis

        client = redis.Redis.from_url(
            url, socket_timeout=BROKER_TIMEOUT_SECONDS, socket_connect_timeout=BROKER_TIMEOUT_SECONDS
        )
        raw = client.lindex(default_queue(), -1)
        client.close()
    except Exception as exc:
        log.warning("health: cannot read the oldest message: %s", type(exc).__name__)
        return None
    if raw is None:
        return 0.0
    try:
        message = json.loads(raw)
        sent_at = float(message.get("headers", {}).get(SENT_AT_HEADER))
    except (TypeError, ValueError, AttributeError):
        return None
    return max(0.0, time.time() - sent_at)


def stamp_sent_at(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """Celery before_task_publish hook: record when each task message was sent (for the queue age)."""
    if headers is not None:
        headers.setdefault(SENT_AT_HEADER, time.time())


def health() -> tuple[dict[str, Any], bool]:
    database = check_database()
    broker = check_broker()
    queue: dict[str, Any] = {"name": default_queue()}
    if broker.get("configured") and broker["ok"]:
        queue["length"] = queue_length()
        age = oldest_message_age()
        if age is not None:
            queue["oldest_age_seconds"] = round(age, 1)
        else:
            queue["note"] = "age unavailable for this broker; length only"
    elif not broker.get("configured"):
        queue["note"] = "no broker: tasks run in-process"
    healthy = bool(database["ok"] and broker["ok"])
    return {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "broker": broker,
        "queue": queue,
    }, healthy
