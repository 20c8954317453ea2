"""`pressdesk search QUERY [--json] [--limit N] [filters]`: the same results as the search page."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pressdesk.accounts.models import Outlet
from pressdesk.core.errors import DomainError
from pressdesk.watch.search import Filters, search_articles, search_catch_up, search_reindex


class Command(BaseCommand):
    help = (
        "Tìm bài báo (có dấu hoặc không dấu, cụm từ trong ngoặc kép) với bộ lọc; --reindex dựng lại chỉ mục."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="*", help='từ khóa, ví dụ: thanh hoa "sam son"')
        parser.add_argument("--json", action="store_true", dest="as_json")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--offset", type=int, default=0)
        parser.add_argument(
            "--outlet", action="append", default=[], help="mã số hoặc tên ấn phẩm (lặp lại được)"
        )
        parser.add_argument("--level", dest="outlet_level", default="", help="central | provincial | other")
        parser.add_argument("--area", default="", help="số thứ tự lĩnh vực của kế hoạch")
        parser.add_argument("--topic", default="")
        parser.add_argument("--event", default="")
        parser.add_argument("--tone", default="", help="negative | neutral | positive")
        parser.add_argument("--relevance", default="", help="subject | substantial | passing | none")
        parser.add_argument("--from", dest="date_from", default="", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", default="", help="YYYY-MM-DD")
        parser.add_argument("--place", default="", help="mã huyện cũ hoặc xã mới")
        parser.add_argument("--cluster", default="")
        parser.add_argument("--channel", default="")
        parser.add_argument("--sort", default="relevance", choices=["relevance", "date"])
        parser.add_argument("--reindex", action="store_true", help="dựng lại toàn bộ chỉ mục tìm kiếm")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["reindex"]:
            count = search_reindex()
            self.stdout.write(f"Đã lập chỉ mục {count} bài.")
            if not opts["query"]:
                return
        outlets = []
        for value in opts["outlet"]:
            if str(value).isdigit():
                outlets.append(str(value))
                continue
            outlet = Outlet.objects.filter(name__iexact=value).first()
            if outlet is None:
                raise CommandError(f"Không tìm thấy ấn phẩm “{value}”.")
            outlets.append(str(outlet.pk))
        params: dict[str, Any] = {
            k: opts[k]
            for k in (
                "outlet_level",
                "area",
                "topic",
                "event",
                "tone",
                "relevance",
                "date_from",
                "date_to",
                "place",
                "cluster",
                "channel",
            )
        }
        params["outlet"] = outlets
        try:
            filters = Filters.from_mapping(params)
            search_catch_up()
            result = search_articles(
                query=" ".join(opts["query"]),
                filters=filters,
                sort=opts["sort"],
                limit=opts["limit"],
                offset=opts["offset"],
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        if opts["as_json"]:
            self.stdout.write(json.dumps([h.as_json() for h in result.hits], ensure_ascii=False, indent=2))
            return
        self.stdout.write(result.total_label)
        for hit in result.hits:
            data = hit.as_json()
            score = "" if data["score"] is None else f"  [{data['score']:.3f}]"
            self.stdout.write(
                f"#{data['id']}  {(data['published'] or '')[:10]}  {data['outlet']}  {data['title']}{score}"
            )
            self.stdout.write(f"    {data['url']}")
