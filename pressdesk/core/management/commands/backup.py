"""`pressdesk backup --output FILE`: database and uploaded files in one archive, safe while running."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pressdesk.core.backup import backup
from pressdesk.core.errors import DomainError


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (SQLite hoặc PostgreSQL) và tệp đính kèm vào một tệp .tar."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--output",
            help="tệp sao lưu (mặc định: DATA_DIR/backups/pressdesk-<thời điểm>.tar)",
        )
        parser.add_argument("--no-media", action="store_true", help="không kèm tệp đính kèm (MEDIA_ROOT)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        output = options["output"] or str(
            Path(settings.DATA_DIR) / "backups" / f"pressdesk-{dt.datetime.now():%Y%m%d-%H%M%S}.tar"
        )
        try:
            result = backup(Path(output), include_media=not options["no_media"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {result.vendor} và {result.media_files} tệp đính kèm vào {result.path} "
                f"({result.size_bytes / 1024 / 1024:.1f} MB)."
            )
        )
