"""Prometheus metrics: HTTP requests, Celery task durations, ingestion counts and queue length.

Request and task metrics are recorded where they happen (middleware, Celery signals). Ingestion counts
and the queue length are read at scrape time by a collector, so they are right whichever process
did the work. With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (`pressdesk web` does): each
process then writes its samples there and /metrics adds them up.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "pressdesk_http_requests",
    "HTTP requests by method, route pattern and status",
    ["method", "route", "status"],
)
REQUEST_LATENCY = Histogram(
    "pressdesk_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route pattern",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASK_DURATION = Histogram(
    "pressdesk_task_duration_seconds",
    "Celery task run time by task name and final state",
    ["task", "state"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0),
)

_task_started: dict[str, float] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    REQUEST_LATENCY.labels(method=method, route=route).observe(seconds)


def _task_prerun(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


def _task_postrun(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any) -> None:
    started = _task_started.pop(task_id or "", None)
    if started is None:
        return
    name = getattr(task, "name", None) or "unknown"
    TASK_DURATION.labels(task=name, state=state or "UNKNOWN").observe(time.perf_counter() - started)


def connect_signals() -> None:
    """Hook task timing into Celery (workers, and eager runs in the web process)."""
    from celery import signals

    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="pressdesk-metrics-prerun")
    signals.task_postrun.connect(_task_postrun, weak=False, dispatch_uid="pressdesk-metrics-postrun")
    from pressdesk.core.health import stamp_sent_at

    signals.before_task_publish.connect(stamp_sent_at, weak=False, dispatch_uid="pressdesk-sent-at")


class IngestionCollector(Collector):
    """Gauges from the latest finished monitoring.IngestRun and the broker queue, read at scrape time."""

    def collect(self) -> Iterator[Metric]:
        yield from self._ingestion()
        yield from self._queue()

    def _ingestion(self) -> Iterator[Metric]:
        try:
            from pressdesk.monitoring.models import IngestRun

            run = IngestRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
        except Exception:
            log.warning("metrics: cannot read the latest ingestion run", exc_info=True)
            return
        if run is None:
            return
        counts = GaugeMetricFamily(
            "pressdesk_ingest_last_run_items", "Counts of the latest ingestion run", labels=["kind"]
        )
        for kind in ("sources", "fetched", "new", "duplicates", "clustered"):
            counts.add_metric([kind], float(getattr(run, kind) or 0))
        yield counts
        for name, field, doc in (
            ("pressdesk_ingest_last_run_skips", "skips", "Skipped items of the latest run by reason"),
            ("pressdesk_ingest_last_run_errors", "errors", "Errors of the latest run by reason"),
        ):
            family = GaugeMetricFamily(name, doc, labels=["reason"])
            for reason, value in _reason_counts(getattr(run, field)).items():
                family.add_metric([reason], value)
            yield family
        yield GaugeMetricFamily(
            "pressdesk_ingest_last_run_seconds", "Duration of the latest ingestion run", value=run.seconds
        )
        if run.finished_at is not None:
            yield GaugeMetricFamily(
                "pressdesk_ingest_last_run_finished_timestamp_seconds",
                "When the latest ingestion run finished (Unix time)",
                value=run.finished_at.timestamp(),
            )

    def _queue(self) -> Iterator[Metric]:
        from pressdesk.core.health import queue_length

        length = queue_length()
        if length is not None:
            yield GaugeMetricFamily(
                "pressdesk_queue_length", "Messages waiting in the default Celery queue", value=length
            )


def _reason_counts(value: Any) -> dict[str, float]:
    """`{"reason": 3}` or `{"reason": [...]}` or `[{"reason": ...}]` → {reason: count}."""
    out: dict[str, float] = {}
    if isinstance(value, dict):
        for reason, item in value.items():
            if isinstance(item, int | float):  # bool included
                out[str(reason)] = float(item)
            elif isinstance(item, list | dict):
                out[str(reason)] = float(len(item))
            else:
                out[str(reason)] = 1.0
    elif isinstance(value, list):
        for item in value:
            reason = (
                str(item.get("reason") or item.get("code") or "unknown")
                if isinstance(item, dict)
                else str(item)
            )
            out[reason] = out.get(reason, 0.0) + 1.0
    return out


def scrape() -> tuple[bytes, str]:
    """The exposition text for /metrics: this process (or all processes in multiprocess mode) + scrape-time gauges."""
    multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if multiproc_dir and os.path.isdir(multiproc_dir):
        from prometheus_client import multiprocess

        process_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry, path=multiproc_dir)
    else:
        from prometheus_client import REGISTRY as process_registry
    scrape_time = CollectorRegistry()
    scrape_time.register(IngestionCollector())
    return generate_latest(process_registry) + generate_latest(scrape_time), CONTENT_TYPE_LATEST
