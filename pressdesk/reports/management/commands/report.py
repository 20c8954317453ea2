"""`pressdesk report --plan 2024 --period 2024-05 --format docx --output bao-cao.docx`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pressdesk.core.errors import DomainError
from pressdesk.reports.services import FORMATS, report_build, report_params


class Command(BaseCommand):
    help = "Lập báo cáo kết quả thông tin, tuyên truyền (DOCX theo Nghị định 30/2020/NĐ-CP hoặc XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="năm của kế hoạch, ví dụ 2024")
        parser.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn hoặc YYYY")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--output", required=True, help="tệp kết quả")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan, period, fmt = report_params(
                plan_year=options["plan"], period=options["period"], fmt=options["fmt"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        output = Path(options["output"])
        report_build(plan=plan, period=period, fmt=fmt, output=output)
        self.stdout.write(f"Đã lập báo cáo {period.label}: {output} ({output.stat().st_size} byte)")
