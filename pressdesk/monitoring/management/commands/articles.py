"""`pressdesk articles export --format jsonl [--output FILE]`: every stored article, one JSON per line."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from pressdesk.monitoring import selectors


class Command(BaseCommand):
    help = "Xuất bài báo đã thu thập (JSON Lines)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="xuất mọi bài báo")
        export.add_argument("--format", choices=["jsonl"], default="jsonl")
        export.add_argument("--output", help="tệp đích (mặc định: đầu ra chuẩn)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            out = open(options["output"], "w", encoding="utf-8") if options["output"] else sys.stdout  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {options['output']}: {exc}") from exc
        count = 0
        try:
            for row in selectors.articles_export_rows():
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        finally:
            if out is not sys.stdout:
                out.close()
        if options["output"]:
            self.stderr.write(f"Đã xuất {count} bài vào {options['output']}")
