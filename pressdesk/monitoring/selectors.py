"""Reads of the ingestion side: sources, their runs, exported articles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, QuerySet

from pressdesk.monitoring.models import Article, IngestRun, Source


def sources_list() -> QuerySet[Source]:
    return Source.objects.select_related("outlet").annotate(article_count=Count("articles"))


def source_get(*, source_id: int) -> Source | None:
    return sources_list().filter(pk=source_id).first()


def source_runs(*, source: Source, limit: int = 20) -> QuerySet[IngestRun]:
    return IngestRun.objects.filter(source=source).order_by("-started_at")[:limit]


def recent_runs(*, limit: int = 20) -> QuerySet[IngestRun]:
    return IngestRun.objects.filter(source__isnull=True).order_by("-started_at")[:limit]


def articles_export_rows() -> Iterator[dict[str, Any]]:
    """Every stored article as plain data (iterated in chunks: the table may be large)."""
    rows = Article.objects.order_by("pk").values_list(
        "url", "canonical_url", "outlet__name", "title", "lead", "text", "published_at", "cluster_id"
    )
    for url, canonical, outlet, title, lead, text, published, cluster in rows.iterator(chunk_size=1000):
        yield {
            "url": url,
            "canonical_url": canonical,
            "outlet": outlet or "",
            "title": title,
            "lead": lead,
            "text": text,
            "published": published.isoformat() if published else None,
            "cluster": cluster,
        }
