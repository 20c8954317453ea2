"""`pressdesk ingest --once`: poll every due source once; the last line is one JSON summary."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pressdesk.monitoring import services


class Command(BaseCommand):
    help = "Thu thập một lượt mọi nguồn tin đến hạn; dòng cuối là tóm tắt JSON."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--once", action="store_true", help="một lượt rồi thoát (bắt buộc)")
        parser.add_argument(
            "--all", action="store_true", help="coi mọi nguồn đang bật là đến hạn (bỏ qua lịch)"
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="số tiến trình trích xuất (mặc định PRESSDESK_INGEST_PROCESSES)",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not options["once"]:
            raise CommandError(
                "Dùng `pressdesk ingest --once`; thu thập định kỳ chạy trong `pressdesk start` "
                "hoặc `pressdesk scheduler` + `pressdesk worker`."
            )
        processes = options["processes"]
        if processes is None:
            processes = settings.PRESSDESK_INGEST_PROCESSES
        if options["all"]:
            from pressdesk.monitoring.models import Source

            Source.objects.filter(active=True).update(next_poll_at=None)
        run, outcome = services.ingest_due(processes=processes)
        for reason, count in outcome.errors.items():
            self.stderr.write(f"{reason}: {count}")
        self.stdout.write(json.dumps(outcome.summary(run.seconds), ensure_ascii=False))
