"""Periodic work of commissioning for the embedded scheduler (pressdesk.core.scheduler)."""

from __future__ import annotations

from collections.abc import Callable


def send_reminders() -> int:
    from pressdesk.commissioning.services import reminders_send

    return reminders_send()


# Hourly is enough: each line is e-mailed at most once a day (ReminderSent is unique per day).
JOBS: list[tuple[int, Callable[[], object]]] = [(3600, send_reminders)]
