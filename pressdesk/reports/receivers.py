"""Reactions to other parts' signals."""

from __future__ import annotations

from typing import Any

from pressdesk.core.tasks import enqueue_on_commit


def verify_recorded_delivery(
    sender: Any, *, delivery: Any, actor: Any, quiet: bool = False, **kwargs: Any
) -> None:
    """A published work recorded with a URL is checked by machine once its transaction commits.

    `quiet`: recorded while notifications are muted (demonstration data), whose URLs are never fetched.
    """
    if not delivery.url or quiet:
        return
    from pressdesk.reports.tasks import delivery_verify_task

    enqueue_on_commit(delivery_verify_task, delivery.pk, actor.pk if actor else None)
