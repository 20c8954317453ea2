"""Gunicorn configuration for `pressdesk web`, read from the environment.

PRESSDESK_WEB_BIND (default 127.0.0.1:8000), PRESSDESK_WEB_WORKERS (processes, default 2 × CPUs + 1,
at most 8), PRESSDESK_WEB_THREADS (threads per process, default 4), PRESSDESK_WEB_TIMEOUT (seconds,
default 60), PRESSDESK_WEB_ACCESS_LOG=1 to print gunicorn's access log.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


bind = [item.strip() for item in os.environ.get("PRESSDESK_WEB_BIND", "127.0.0.1:8000").split(",") if item]
workers = _int("PRESSDESK_WEB_WORKERS", min(8, multiprocessing.cpu_count() * 2 + 1))
threads = _int("PRESSDESK_WEB_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("PRESSDESK_WEB_TIMEOUT", 60)
graceful_timeout = _int("PRESSDESK_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Restart workers now and then so a slow leak cannot grow without bound.
max_requests = _int("PRESSDESK_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
accesslog = "-" if os.environ.get("PRESSDESK_WEB_ACCESS_LOG", "").lower() in {"1", "true", "yes"} else None
errorlog = "-"
forwarded_allow_ips = os.environ.get("PRESSDESK_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "pressdesk-web"


def child_exit(server: Any, worker: Any) -> None:
    """Drop a dead worker's live gauges from the shared Prometheus directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# Gunicorn 24+ opens a control socket in $HOME by default; several instances on one host would clash.
control_socket_disable = True
