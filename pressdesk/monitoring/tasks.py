"""Celery tasks of ingestion: thin, ids in, one service call, retry policy only.

acks_late + reject_on_worker_lost: a worker killed mid-task leaves the message unacknowledged, the
broker redelivers it, and the service's idempotence (unique canonical URL) makes the rerun safe.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from pressdesk.monitoring import services


class RetryableIngestError(Exception):
    """The source failed for a reason a later attempt may cure (timeout, 5xx, connection)."""


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(RetryableIngestError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
)
def ingest_source_task(self: Any, source_id: int) -> dict[str, Any]:
    outcome = services.ingest_source(source_id=source_id)
    if outcome.error_reason and outcome.retryable and not settings.CELERY_TASK_ALWAYS_EAGER:
        raise RetryableIngestError(outcome.error_reason)
    return outcome.summary(0.0)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def ingest_due_task() -> dict[str, Any]:
    """With a broker: claim due sources and fan out one task each. Without: poll them in-process."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        run, outcome = services.ingest_due()
        return outcome.summary(run.seconds)
    ids = services.claim_due_sources()
    for source_id in ids:
        ingest_source_task.delay(source_id)
    return {"enqueued": len(ids)}
