"""`pressdesk worker`: a Celery worker (any number, on any machine sharing the database and broker)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Chạy Celery worker (cần CELERY_BROKER_URL)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--concurrency", type=int, default=None)
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--hostname", default=None)
        parser.add_argument("--queues", default=None, help="hàng đợi, phân cách bằng dấu phẩy")
        parser.add_argument("--pool", default=None, help="prefork (mặc định), solo, threads")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "Chưa đặt CELERY_BROKER_URL (ví dụ redis://127.0.0.1:6379/0). Không có broker thì "
                "`pressdesk start` tự thu thập trong tiến trình, không cần worker."
            )
        from pressdesk.celery import app

        argv = ["worker", f"--loglevel={options['loglevel']}"]
        if options["concurrency"]:
            argv.append(f"--concurrency={options['concurrency']}")
        if options["queues"]:
            argv.append(f"--queues={options['queues']}")
        if options["pool"]:
            argv.append(f"--pool={options['pool']}")
        if options["hostname"]:
            argv.append(f"--hostname={options['hostname']}")
        app.worker_main(argv)
