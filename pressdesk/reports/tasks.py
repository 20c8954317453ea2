"""Celery tasks of reports: ids in, one service call. Without a broker they run in-process (eager)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from pressdesk.accounts.models import User


@shared_task(acks_late=True, reject_on_worker_lost=True)
def delivery_verify_task(delivery_id: int, actor_id: int | None = None) -> dict[str, Any]:
    """Enqueue on commit after a delivery with a URL is recorded:
    `enqueue_on_commit(delivery_verify_task, delivery.pk, actor.pk)`."""
    from pressdesk.reports.services import delivery_verify

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    verification = delivery_verify(delivery_id=delivery_id, actor=actor)
    return {"verification": verification.pk, "overall": verification.overall}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_job_task(job_id: int) -> dict[str, Any]:
    from pressdesk.reports.services import report_job_run

    job = report_job_run(job_id=job_id)
    return {"job": job.pk, "status": job.status}
