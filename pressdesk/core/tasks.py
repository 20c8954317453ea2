"""Enqueueing background work: after commit, over Celery when a broker is set, in-process otherwise."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Run `task` (a Celery task) once the current transaction commits.

    Without CELERY_BROKER_URL, Celery runs tasks eagerly, so this executes in-process after commit.
    """
    transaction.on_commit(lambda: task.delay(*args, **kwargs))
