"""Periodic work of the information hub for the embedded scheduler (pressdesk.core.scheduler)."""

from __future__ import annotations

from collections.abc import Callable


def check_websites() -> dict[str, int]:
    from pressdesk.infohub.services import websites_check_all

    return websites_check_all()


# Daily: a body's site is "stale" after PRESSDESK_WEBSITE_STALE_DAYS days, so a day's resolution is enough.
JOBS: list[tuple[int, Callable[[], object]]] = [(24 * 3600, check_websites)]
