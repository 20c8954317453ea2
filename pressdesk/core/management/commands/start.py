"""`pressdesk start`: the embedded default in one command (migrate, demo data, scheduler, web server)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from pressdesk.core.demo import load_demo
from pressdesk.core.scheduler import start_in_process


class Command(BaseCommand):
    help = "Khởi động PressDesk (SQLite, xử lý nền trong tiến trình) với dữ liệu minh họa."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="không nạp dữ liệu minh họa")
        parser.add_argument(
            "--no-scheduler", action="store_true", help="không chạy lịch thu thập trong tiến trình"
        )
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from waitress import serve

        from pressdesk.wsgi import application

        call_command("migrate", interactive=False, verbosity=0)
        lines: list[str] = []
        if not options["no_demo"]:
            lines = load_demo().lines
        if not options["no_scheduler"] and not settings.CELERY_BROKER_URL:
            start_in_process()
        address = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            self.style.SUCCESS(f"PressDesk đang chạy tại {address}  (dữ liệu: {settings.DATA_DIR})")
        )
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("Dừng bằng Ctrl+C.")
        self.stdout.flush()
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="PressDesk",
        )
