"""`pressdesk sources add|list|import`: manage where articles come from."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pressdesk.core.errors import DomainError
from pressdesk.monitoring import selectors, services
from pressdesk.monitoring.models import Source


class Command(BaseCommand):
    help = "Quản lý nguồn tin: add, list, import (CSV: outlet,url,kind,poll_every_minutes)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="thêm một nguồn tin")
        add.add_argument("--outlet", required=True, help="tên ấn phẩm (đã có trong hệ thống)")
        add.add_argument("--url", required=True)
        add.add_argument("--kind", choices=Source.Kind.values, default=Source.Kind.FEED)
        add.add_argument("--every", type=int, default=15, help="chu kỳ thu thập (phút)")
        sub.add_parser("list", help="liệt kê nguồn tin")
        imp = sub.add_parser("import", help="nhập nguồn tin từ tệp CSV")
        imp.add_argument("file")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            if options["action"] == "add":
                source = services.source_add(
                    outlet=options["outlet"],
                    url=options["url"],
                    kind=options["kind"],
                    poll_every_minutes=options["every"],
                )
                self.stdout.write(f"Đã thêm nguồn #{source.pk}: {source.url} ({source.outlet})")
            elif options["action"] == "list":
                for source in selectors.sources_list():
                    status = source.last_error_reason or ("ok" if source.last_ok_at else "-")
                    self.stdout.write(
                        f"{source.pk}\t{source.outlet.name}\t{source.kind}\t"
                        f"{'on' if source.active else 'off'}\t{status}\t{source.article_count}\t{source.url}"
                    )
            else:
                path = Path(options["file"])
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise CommandError(f"Không đọc được tệp {path}: {exc}") from exc
                created = services.source_import_csv(text=text)
                self.stdout.write(f"Đã nhập {len(created)} nguồn tin.")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
