"""Demonstration articles: 2024 press coverage of Thanh Hóa, stored and analysed by the real pipeline.

The texts (pressdesk/monitoring/data/demo_articles.json) were written for the demonstration: coverage of
each area of the 2024 plan and of its anniversaries, syndicated copies that form story clusters, negative
stories and false information about two localities, and a few articles about other provinces. They go
through ingestion's storage, near-duplicate clustering and the analyser exactly as fetched pages do; only
the download is skipped. The demonstration sources are inactive, so nothing is ever fetched from them.
Idempotent: articles are keyed by their canonical URL.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from pressdesk.accounts.models import Outlet
from pressdesk.core.demo import DemoContext
from pressdesk.ingest import dedup
from pressdesk.ingest.extract import Extracted
from pressdesk.ingest.pipeline import Processed
from pressdesk.ingest.urls import canonical_url
from pressdesk.monitoring import services
from pressdesk.monitoring.models import Article, Source

DATA = Path(__file__).resolve().parent / "data" / "demo_articles.json"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def load(ctx: DemoContext) -> None:
    items = json.loads(DATA.read_text(encoding="utf-8"))
    outlets = {o.name: o for o in Outlet.objects.filter(name__in={i["outlet"] for i in items})}
    missing = sorted({i["outlet"] for i in items} - set(outlets))
    if missing:
        ctx.lines.append(f"Theo dõi báo chí: thiếu ấn phẩm mẫu {', '.join(missing)}, bỏ qua tin bài mẫu.")
        return
    _sources(outlets)
    new_ids: list[int] = []
    for outlet_name in sorted({i["outlet"] for i in items}):
        outlet = outlets[outlet_name]
        batch = [_processed(outlet, i) for i in items if i["outlet"] == outlet_name]
        batch = [
            p for p in batch if not Article.objects.filter(canonical_url=p.article.canonical_url).exists()
        ]
        if not batch:
            continue
        outcome = services.Outcome()
        services._store(None, outlet.pk, batch, outcome)
        new_ids.extend(outcome.new_ids)
    if new_ids:
        services._analyse(new_ids)
    about = Article.objects.filter(about_province=True).count()
    ctx.lines.append(
        f"Theo dõi báo chí: {Article.objects.count()} tin, bài mẫu năm 2024 ({about} bài về tỉnh), "
        "đã phân tích và gom cụm; nguồn tin mẫu không thu thập (/theo-doi/nguon-tin/)."
    )


def _sources(outlets: dict[str, Outlet]) -> None:
    """One feed per online outlet, inactive: shown on the sources page, never fetched."""
    for outlet in outlets.values():
        if outlet.domains and not Source.objects.filter(outlet=outlet).exists():
            Source.objects.create(
                outlet=outlet, url=f"https://{outlet.domains[0]}/rss/thanh-hoa.rss", kind="feed", active=False
            )


def _processed(outlet: Outlet, item: dict[str, str]) -> Processed:
    domain = outlet.domains[0] if outlet.domains else "example.vn"
    url = f"https://{domain}/{item['slug']}.html"
    published = dt.datetime.combine(dt.date.fromisoformat(item["date"]), dt.time(8, 30), tzinfo=TZ)
    article = Extracted(
        url=url,
        canonical_url=canonical_url(url),
        title=item["title"],
        lead=item["lead"],
        text=item["text"],
        author="",
        published_at=published,
    )
    sig = dedup.signature(f"{article.title}\n{article.lead}\n{article.text}")
    return Processed(article=article, minhash=dedup.to_bytes(sig), bands=dedup.band_hashes(sig))
