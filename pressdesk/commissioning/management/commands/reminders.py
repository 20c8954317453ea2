"""`pressdesk reminders`: e-mail contract lines that are due soon or overdue (once per line per day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pressdesk.commissioning import selectors, services


class Command(BaseCommand):
    help = "Đôn đốc: gửi thư cho các dòng hợp đồng sắp hết hạn hoặc quá hạn mà chưa đăng, phát đủ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="ngày tính hạn (YYYY-MM-DD), mặc định hôm nay")
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không gửi thư")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        due = selectors.reminders_due(today=today)
        for r in due:
            self.stdout.write(
                f"{r.kind:9} {r.item.contract.number} · {r.item} · {r.delivered}/{r.item.quantity} "
                f"· hạn {r.item.window_end:%d/%m/%Y}"
            )
        if options["dry_run"]:
            self.stdout.write(f"{len(due)} dòng cần đôn đốc (không gửi thư).")
            return
        sent = services.reminders_send(today=today)
        self.stdout.write(f"{len(due)} dòng cần đôn đốc, đã gửi {sent} thư (mỗi dòng một lần mỗi ngày).")
