"""Periodic work in the embedded default: a daemon thread runs each app's `schedule.JOBS`.

With a broker, `pressdesk scheduler` (Celery beat) takes over and this thread is not started.
Each app may define `schedule.py` with `JOBS: list[tuple[int, Callable[[], object]]]` (seconds, callable).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
import time
from collections.abc import Callable

from django.apps import apps
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def collect_jobs() -> list[tuple[int, Callable[[], object]]]:
    jobs: list[tuple[int, Callable[[], object]]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("pressdesk."):
            continue
        name = f"{config.name}.schedule"
        if importlib.util.find_spec(name) is not None:
            jobs.extend(importlib.import_module(name).JOBS)
    return jobs


def _loop(jobs: list[tuple[int, Callable[[], object]]], stop: threading.Event) -> None:
    next_run = {i: time.monotonic() + 5 for i in range(len(jobs))}
    while not stop.is_set():
        now = time.monotonic()
        for i, (every, job) in enumerate(jobs):
            if now < next_run[i]:
                continue
            next_run[i] = now + every
            close_old_connections()
            try:
                job()
            except Exception:  # a failing job must not stop the others; it is logged with its traceback
                logger.exception("scheduled job %s failed", getattr(job, "__name__", job))
            finally:
                close_old_connections()
        stop.wait(1.0)


def start_in_process() -> threading.Event:
    stop = threading.Event()
    jobs = collect_jobs()
    if jobs:
        threading.Thread(target=_loop, args=(jobs, stop), name="pressdesk-scheduler", daemon=True).start()
    return stop
