"""`pressdesk scheduler`: Celery beat enqueueing the periodic poll of due sources."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Chạy Celery beat: đặt lịch thu thập định kỳ (cần CELERY_BROKER_URL)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "Chưa đặt CELERY_BROKER_URL. Không có broker thì `pressdesk start` đã tự chạy lịch thu thập."
            )
        from pressdesk.celery import app

        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "monitoring-ingest-due": {
                "task": "pressdesk.monitoring.tasks.ingest_due_task",
                "schedule": float(settings.PRESSDESK_POLL_SECONDS),
            },
        }
        schedule_file = settings.DATA_DIR / "celerybeat-schedule"
        schedule_file.parent.mkdir(parents=True, exist_ok=True)
        app.start(["beat", f"--loglevel={options['loglevel']}", f"--schedule={schedule_file}"])
