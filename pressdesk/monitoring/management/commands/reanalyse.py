"""`pressdesk reanalyse [--since DATE] [--all]`: analyse again what an older model or plan labelled."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from pressdesk.monitoring.analysis import analyse_articles, expected_version_for_year
from pressdesk.monitoring.models import Article


class Command(BaseCommand):
    help = "Phân tích lại các bài có model_version khác phiên bản hiện tại."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="chỉ các bài đăng từ ngày này (YYYY-MM-DD)")
        parser.add_argument(
            "--all", action="store_true", help="phân tích lại mọi bài, kể cả bài đã đúng phiên bản"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        qs = Article.objects.all()
        if options.get("since"):
            try:
                since = dt.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError(f"Ngày không hợp lệ: {options['since']!r} (cần dạng YYYY-MM-DD).") from exc
            qs = qs.filter(
                Q(published_at__date__gte=since) | Q(published_at__isnull=True, fetched_at__date__gte=since)
            )
        todo: list[int] = []
        versions: dict[int, str] = {}
        for pk, version, published, fetched in qs.values_list(
            "pk", "model_version", "published_at", "fetched_at"
        ).iterator():
            year = (published or fetched).year
            if year not in versions:
                versions[year] = expected_version_for_year(year)
            if options["all"] or version != versions[year]:
                todo.append(pk)
        analyse_articles(todo)
        self.stdout.write(f"Đã phân tích lại {len(todo)} bài.")
