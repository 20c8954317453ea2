"""`pressdesk web`: the production web server (gunicorn, settings from the environment)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Chạy máy chủ web gunicorn (PRESSDESK_WEB_BIND, PRESSDESK_WEB_WORKERS, PRESSDESK_WEB_THREADS, "
        "PRESSDESK_WEB_TIMEOUT). Không tự chạy migrate."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--bind", help="địa chỉ:cổng, mặc định PRESSDESK_WEB_BIND hoặc 127.0.0.1:8000")
        parser.add_argument("--workers", type=int, help="số tiến trình (PRESSDESK_WEB_WORKERS)")
        parser.add_argument("--threads", type=int, help="số luồng mỗi tiến trình (PRESSDESK_WEB_THREADS)")
        parser.add_argument("--print-command", action="store_true", help="chỉ in lệnh gunicorn rồi thoát")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        env = dict(os.environ)
        for option, name in (
            ("bind", "PRESSDESK_WEB_BIND"),
            ("workers", "PRESSDESK_WEB_WORKERS"),
            ("threads", "PRESSDESK_WEB_THREADS"),
        ):
            if options[option] is not None:
                env[name] = str(options[option])
        workers = int(env.get("PRESSDESK_WEB_WORKERS") or 0) or None
        if workers != 1 and not env.get("PROMETHEUS_MULTIPROC_DIR"):
            # Several processes: each writes its request/task samples here and /metrics adds them up.
            metrics_dir = Path(settings.DATA_DIR) / "prometheus"
            shutil.rmtree(metrics_dir, ignore_errors=True)
            metrics_dir.mkdir(parents=True)
            env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        if settings.PRESSDESK_STATIC_MANIFEST and not self._manifest_exists():
            self.stdout.write("Chưa có tệp tĩnh đã thu gom: chạy collectstatic...")
            call_command("collectstatic", interactive=False, verbosity=0)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:pressdesk.core.gunicorn_conf",
            "pressdesk.wsgi:application",
        ]
        if options["print_command"]:
            self.stdout.write(" ".join(command))
            return
        self.stdout.flush()
        try:
            os.execvpe(command[0], command, env)  # noqa: S606 - replaces this process: signals go straight to gunicorn
        except OSError as exc:
            raise CommandError(f"Không chạy được gunicorn: {exc}") from exc

    @staticmethod
    def _manifest_exists() -> bool:
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        return bool(manifest) and (Path(settings.STATIC_ROOT) / str(manifest)).exists()
