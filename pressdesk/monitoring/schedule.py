"""Embedded default: poll due sources every PRESSDESK_POLL_SECONDS in the server process (no broker).

With CELERY_BROKER_URL set, `pressdesk scheduler` (Celery beat) runs the same poll instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings


def poll_due_sources() -> None:
    from pressdesk.monitoring.services import ingest_due

    ingest_due()


JOBS: list[tuple[int, Callable[[], object]]] = (
    [] if settings.CELERY_BROKER_URL else [(settings.PRESSDESK_POLL_SECONDS, poll_due_sources)]
)
