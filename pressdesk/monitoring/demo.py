"""Demonstration articles: 2024 press coverage of Thanh Hóa, stored and analysed by the real pipeline.

The texts (pressdesk/monitoring/data/demo_articles.json, 90 short articles) were written for the
demonstration, not taken from any outlet: coverage of each area of the 2024 plan and of its
anniversaries, syndicated copies that form story clusters across outlets, negative stories, false
information about a district, and a few articles about other provinces. They go through ingestion's
storage, near-duplicate clustering and the analyser exactly as fetched pages do; only the download
is skipped.

Nothing is ever fetched: each online outlet gets one feed on a reserved `.example` host, switched
off, so the poller (which claims active sources only) never touches it and an administrator who
switches one on gets a name-resolution error, not someone's server. The articles keep their
outlet's own domain (a delivery recorded from one must be on its outlet's domain) under invented
paths. Idempotent: articles are keyed by their canonical URL, sources looked up per outlet.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from pressdesk.accounts.models import Outlet
from pressdesk.core.demo import DemoContext
from pressdesk.ingest import dedup
from pressdesk.ingest.extract import Extracted
from pressdesk.ingest.pipeline import Processed
from pressdesk.ingest.urls import canonical_url
from pressdesk.monitoring import services
from pressdesk.monitoring.models import Article, Source, StoryCluster

DATA = Path(__file__).resolve().parent / "data" / "demo_articles.json"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def load(ctx: DemoContext) -> None:
    items: list[dict[str, str]] = json.loads(DATA.read_text(encoding="utf-8"))
    names = {i["outlet"] for i in items}
    outlets = {o.name: o for o in Outlet.objects.filter(name__in=names) if o.domains}
    missing = sorted(names - set(outlets))
    if missing:
        ctx.lines.append(f"Theo dõi báo chí: thiếu ấn phẩm mẫu {', '.join(missing)}, bỏ qua tin bài mẫu.")
        return
    sources = _sources(outlets.values())
    urls = {i["slug"]: canonical_url(_url(outlets[i["outlet"]], i["slug"])) for i in items}
    stored = set(
        Article.objects.filter(canonical_url__in=urls.values()).values_list("canonical_url", flat=True)
    )
    new_ids: list[int] = []
    for name in sorted(names):
        todo = [i for i in items if i["outlet"] == name and urls[i["slug"]] not in stored]
        if not todo:
            continue
        outlet = outlets[name]
        outcome = services.Outcome()
        # One batch per outlet, as one poll of its feed would store them.
        services._store(sources.get(outlet.pk), outlet.pk, [_processed(outlet, i) for i in todo], outcome)
        new_ids.extend(outcome.new_ids)
    if new_ids:
        services._analyse(new_ids)
    demo = Article.objects.filter(canonical_url__in=urls.values())
    about = demo.filter(about_province=True).count()
    shared = StoryCluster.objects.filter(articles__in=demo, outlet_count__gt=1).distinct().count()
    ctx.lines.append(
        f"Theo dõi báo chí: {demo.count()} tin, bài mẫu năm 2024 ({about} bài về tỉnh, {shared} cụm tin đăng lại "
        "trên nhiều báo), đã phân tích và gom cụm; nguồn tin mẫu tắt, không thu thập (/theo-doi/nguon-tin/)."
    )


def _url(outlet: Outlet, slug: str) -> str:
    return f"https://{outlet.domains[0]}/{slug}.html"


def _sources(outlets: Iterable[Outlet]) -> dict[int, Source]:
    """One switched-off feed per online outlet (outlet id → source), added through the service."""
    out: dict[int, Source] = {}
    for outlet in outlets:
        existing = Source.objects.filter(outlet=outlet).order_by("pk").first()
        if existing is None:
            existing = services.source_add(
                outlet=outlet, url=f"https://{outlet.domains[0]}.example/rss/thanh-hoa.rss", kind="feed"
            )
            existing = services.source_update(source_id=existing.pk, active=False)
        out[outlet.pk] = existing
    return out


def _processed(outlet: Outlet, item: dict[str, str]) -> Processed:
    """What the pure extraction stage would hand to storage for this article's page."""
    url = _url(outlet, item["slug"])
    # Morning to evening, fixed per article: copies of one story do not all appear at the same minute.
    minutes = 6 * 60 + zlib.crc32(item["slug"].encode()) % (14 * 60)
    published = dt.datetime.combine(
        dt.date.fromisoformat(item["date"]), dt.time(minutes // 60, minutes % 60), tzinfo=TZ
    )
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
