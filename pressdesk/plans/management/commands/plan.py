"""`pressdesk plan import PATH [--replace]` and `pressdesk plan show YEAR --json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pressdesk.core.errors import DomainError
from pressdesk.plans import selectors, services


class Command(BaseCommand):
    help = "Nhập kế hoạch từ văn bản (.txt, .docx) hoặc xem kế hoạch đã lưu."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="nhập kế hoạch từ tệp văn bản (.txt UTF-8 hoặc .docx)")
        imp.add_argument("path")
        imp.add_argument("--replace", action="store_true", help="thay kế hoạch cùng năm đã có")
        show = sub.add_parser("show", help="in kế hoạch của một năm")
        show.add_argument("year", type=int)
        show.add_argument("--json", action="store_true", dest="as_json", help="in dạng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(Path(options["path"]), replace=options["replace"])
        else:
            self._show(options["year"], as_json=options["as_json"])

    def _import(self, path: Path, *, replace: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror or exc}") from exc
        try:
            plan = services.plan_import(document=data, filename=path.name, replace=replace)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        c = selectors.plan_counts(plan)
        self.stdout.write(
            f"Kế hoạch {plan.year}: {c['areas']} lĩnh vực, {c['topics']} nội dung, {c['events']} sự kiện, "
            f"{c['responsibilities']} cơ quan thực hiện, {c['signers']} người ký, {c['recipients']} nơi nhận "
            f"({plan.title})"
        )

    def _show(self, year: int, *, as_json: bool) -> None:
        try:
            plan = selectors.plan_for_year(year=year)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        data = selectors.plan_as_dict(plan)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{data['title']} ({data['year']})")
        for area in data["areas"]:
            self.stdout.write(f"{area['number']}. {area['title']}")
            for topic in area["topics"]:
                self.stdout.write(f"   {area['number']}.{topic['order']} {topic['text'][:100]}")
        for event in data["events"]:
            when = event["date"] or str(event["year"])
            self.stdout.write(f"* {when}: {event['title']}")
