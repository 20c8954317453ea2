"""Articles for the watch tests, created directly (ingestion and analysis are other helpers' work)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from pressdesk.monitoring.models import Article, ArticlePlace, StoryCluster

_seq = itertools.count(1)


def make_article(
    title: str,
    text: str = "",
    *,
    lead: str = "",
    outlet: Any = None,
    published: dt.datetime | None = None,
    places: list[tuple[str, str]] | None = None,
    cluster: StoryCluster | None = None,
    **fields: Any,
) -> Article:
    n = next(_seq)
    article = Article.objects.create(
        canonical_url=f"https://example.vn/bai-{n}",
        url=f"https://example.vn/bai-{n}",
        outlet=outlet,
        title=title,
        lead=lead,
        text=text,
        published_at=published or timezone.now() - dt.timedelta(hours=n),
        cluster=cluster,
        **fields,
    )
    for code, name in places or []:
        ArticlePlace.objects.create(article=article, code=code, name=name, level="district")
    return article
