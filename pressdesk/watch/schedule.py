"""Embedded periodic jobs: index and evaluate newly analysed articles, escalate overdue alerts.

Every 15 s by default so that an article ingested (and analysed) becomes a routed alert well under a
minute after it is stored, with no change to ingestion.
"""

from __future__ import annotations

import os
from collections.abc import Callable


def evaluate_new_articles() -> None:
    from pressdesk.watch.search import search_catch_up
    from pressdesk.watch.services import alerts_evaluate_pending

    search_catch_up(limit=20000)
    alerts_evaluate_pending()


def escalate_overdue() -> None:
    from pressdesk.watch.services import alerts_escalate_overdue

    alerts_escalate_overdue()


EVALUATE_SECONDS = int(os.environ.get("PRESSDESK_WATCH_SECONDS", "15"))

JOBS: list[tuple[int, Callable[[], object]]] = [
    (EVALUATE_SECONDS, evaluate_new_articles),
    (300, escalate_overdue),
]
