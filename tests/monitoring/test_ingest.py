"""Ingestion end to end against a local site: idempotence, clustering, bad sources, commands."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pressdesk.core.errors import ValidationFailed
from pressdesk.monitoring import services
from pressdesk.monitoring.models import (
    Article,
    ClusterBand,
    IngestRun,
    Mention,
    MentionEvent,
    MentionTopic,
    Source,
    StoryCluster,
)
from tests.factories import OutletFactory
from tests.ingest.pages import article_page, rss
from tests.ingest.server import LocalServer
from tests.monitoring.stories import story

pytestmark = pytest.mark.django_db


def publish(
    server: LocalServer,
    index: int,
    *,
    path: str | None = None,
    variant: str = "",
    published: str = "2024-10-01T08:30:00+07:00",
    canonical: str | None = None,
) -> str:
    title, lead, body = story(index, variant=variant)
    path = path or f"/tin/bai-so-{index}-{100000 + index}.html"
    server.add(
        path, article_page(title=title, lead=lead, body=body, published=published, canonical=canonical)
    )
    return server.url(path)


def feed(server: LocalServer, path: str, urls: list[str]) -> str:
    server.add(path, rss([(u, f"Tin {i}") for i, u in enumerate(urls)]), content_type="application/rss+xml")
    return server.url(path)


def add_source(url: str, outlet: Any = None, kind: str = "feed") -> Source:
    return services.source_add(outlet=outlet or OutletFactory(), url=url, kind=kind)


def test_feed_is_ingested_and_second_run_adds_nothing(server: LocalServer) -> None:
    urls = [publish(server, i) for i in range(3)]
    source = add_source(feed(server, "/rss.xml", urls))
    outcome = services.ingest_source(source_id=source.pk)
    assert (outcome.new, outcome.fetched, outcome.duplicates) == (3, 3, 0)
    article = Article.objects.get(url=urls[0])
    assert article.title == story(0)[0] and article.outlet_id == source.outlet_id and article.minhash
    assert article.published_at is not None and article.published_at.isoformat().startswith(
        "2024-10-01T01:30"
    )
    assert ClusterBand.objects.filter(article=article).count() == 21
    pages_before = len(server.hits)
    again = services.ingest_source(source_id=source.pk)
    assert (again.new, again.fetched, again.duplicates) == (0, 0, 3)
    assert Article.objects.count() == 3
    # stored URLs are skipped before fetching: only robots/feed requests the second time
    assert all(not p.startswith("/tin/") for p in server.paths_hit()[pages_before:])
    source.refresh_from_db()
    assert source.last_ok_at and source.last_error_reason == "" and source.next_poll_at
    run = IngestRun.objects.filter(source=source).order_by("-pk").first()
    assert run is not None and run.duplicates == 3 and run.skips == {"duplicate": 3}


def test_same_article_from_two_sources_and_twice_in_a_feed_is_one_row(server: LocalServer) -> None:
    url = publish(server, 1)
    tracked = url + "?utm_source=facebook&fbclid=abc"
    one = add_source(feed(server, "/a.xml", [url, tracked, url]))
    two = add_source(feed(server, "/b.xml", [tracked]))
    first = services.ingest_source(source_id=one.pk)
    second = services.ingest_source(source_id=two.pk)
    assert first.new == 1 and second.new == 0 and second.duplicates == 1
    assert Article.objects.count() == 1


def test_insert_race_is_settled_by_the_unique_constraint(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retry or another worker that stored the article between our check and our insert: one row."""
    url = publish(server, 2)
    source = add_source(feed(server, "/rss.xml", [url]))
    real_store = services._store

    def store_after_rival(src: Any, outlet_id: Any, batch: Any, outcome: Any) -> None:
        item = batch[0].article
        Article.objects.create(canonical_url=item.canonical_url, url=item.url, title="rival copy")
        real_store(src, outlet_id, batch, outcome)

    monkeypatch.setattr(services, "_store", store_after_rival)
    outcome = services.ingest_source(source_id=source.pk)
    assert outcome.new == 0 and outcome.duplicates == 1 and outcome.skips["duplicate"] == 1
    assert Article.objects.count() == 1 and Article.objects.get().title == "rival copy"


def test_amp_and_rel_canonical_fold_to_one_article(server: LocalServer) -> None:
    canonical = server.url("/tin/goc-200001.html")
    publish(server, 3, path="/tin/goc-200001.html", canonical=canonical)
    publish(server, 3, path="/amp/tin/goc-200001.html", canonical=canonical)
    source = add_source(feed(server, "/rss.xml", [server.url("/amp/tin/goc-200001.html"), canonical]))
    services.ingest_source(source_id=source.pk)
    assert list(Article.objects.values_list("canonical_url", flat=True)) == [canonical]


def test_two_pages_declaring_one_canonical_in_one_batch_are_one_article(server: LocalServer) -> None:
    canonical = server.url("/tin/goc-300001.html")
    first = publish(server, 4, path="/tin/ban-in-300001.html", canonical=canonical)
    second = publish(server, 4, path="/tin/ban-di-dong-300001.html", canonical=canonical)
    other = publish(server, 5)
    source = add_source(feed(server, "/rss.xml", [first, second, other]))
    outcome = services.ingest_source(source_id=source.pk)
    assert (outcome.new, outcome.duplicates, outcome.skips["duplicate"]) == (2, 1, 1)
    kept = Article.objects.get(canonical_url=canonical)
    assert kept.url == first and Article.objects.count() == 2
    assert sorted(outcome.new_ids) == sorted(Article.objects.values_list("pk", flat=True))
    assert ClusterBand.objects.filter(article=kept).count() == 21


def test_near_duplicates_cluster_and_first_publisher_is_known(server: LocalServer) -> None:
    original = publish(server, 4, path="/tin/goc-300001.html", published="2024-10-01T08:00:00+07:00")
    copy = publish(
        server, 4, path="/tin/ban-sao-300002.html", variant="(TTXVN) ", published="2024-10-01T09:00:00+07:00"
    )
    other = publish(server, 5, path="/tin/khac-300003.html")
    outlet_a, outlet_b = OutletFactory(), OutletFactory()
    # The copy arrives first (its outlet is polled first) but was published later.
    services.ingest_source(source_id=add_source(feed(server, "/b.xml", [copy, other]), outlet_b).pk)
    outcome = services.ingest_source(source_id=add_source(feed(server, "/a.xml", [original]), outlet_a).pk)
    assert outcome.clustered == 1
    a, b, c = (Article.objects.get(url=u) for u in (original, copy, other))
    assert a.cluster_id is not None and a.cluster_id == b.cluster_id and c.cluster_id is None
    cluster = StoryCluster.objects.get(pk=a.cluster_id)
    assert cluster.first_article_id == a.pk and cluster.size == 2 and cluster.outlet_count == 2


def test_similar_titles_different_stories_do_not_cluster(server: LocalServer) -> None:
    urls = [publish(server, i) for i in range(6)]
    outcome = services.ingest_source(source_id=add_source(feed(server, "/rss.xml", urls)).pk)
    assert outcome.new == 6 and outcome.clustered == 0 and StoryCluster.objects.count() == 0


BAD_SOURCES = [
    (
        "/malformed.xml",
        b"<?xml version='1.0'?><rss><channel><item><title>x</ti",
        "application/rss+xml",
        "malformed_xml",
    ),
    ("/html.xml", b"<!DOCTYPE html><html><body>Trang chu</body></html>", "text/html", "not_a_feed"),
    ("/huge.xml", b"<rss>" + b"x" * 400_000, "application/rss+xml", "too_large"),
    ("/missing.xml", None, "", "http_status"),
]


@pytest.mark.parametrize(("path", "body", "ctype", "reason"), BAD_SOURCES)
def test_bad_source_is_reported_and_never_stops_the_others(
    server: LocalServer, settings: Any, path: str, body: bytes | None, ctype: str, reason: str
) -> None:
    settings.PRESSDESK_FETCH_MAX_BYTES = 200_000
    services.reset_fetcher()
    if body is not None:
        server.add(path, body, content_type=ctype)
    bad = add_source(server.url(path))
    good = add_source(feed(server, "/good.xml", [publish(server, 0)]))
    run, outcome = services.ingest_due()
    assert outcome.sources == 2 and outcome.new == 1 and outcome.errors == {reason: 1}
    bad.refresh_from_db()
    assert bad.last_error_reason == reason and bad.consecutive_failures == 1 and bad.last_ok_at is None
    good.refresh_from_db()
    assert good.last_error_reason == "" and good.last_ok_at is not None
    assert run.errors == {reason: 1} and run.new == 1


def test_refused_address_source(server: LocalServer) -> None:
    source = add_source("http://10.20.30.40/rss.xml")
    outcome = services.ingest_source(source_id=source.pk)
    assert outcome.error_reason == "refused_address"
    source.refresh_from_db()
    assert source.last_error_reason == "refused_address" and "10.20.30.40" in source.last_error


def test_article_page_problems_are_counted_by_reason(server: LocalServer) -> None:
    server.add(
        "/tin/ngan-400001.html",
        "<html><head><title>Ngắn</title></head><body><article><h1>Ngắn</h1><p>Một dòng.</p></article></body></html>",
    )
    server.add("/robots.txt", "User-agent: *\nDisallow: /cam/\n", content_type="text/plain")
    urls = [
        publish(server, 0),
        server.url("/tin/ngan-400001.html"),
        server.url("/tin/mat-400002.html"),
        server.url("/cam/bai-400003.html"),
    ]
    outcome = services.ingest_source(source_id=add_source(feed(server, "/rss.xml", urls)).pk)
    assert outcome.new == 1
    assert dict(outcome.skips) == {"no_text": 1, "http_status": 1, "robots": 1}


def test_not_modified_feed_is_a_named_skip(server: LocalServer) -> None:
    def conditional(handler: Any) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        body = rss([(server.url("/tin/x-500001.html"), "x")]).encode()
        handler.send_response(200)
        handler.send_header("ETag", '"v1"')
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    publish(server, 1, path="/tin/x-500001.html")
    server.routes["/rss.xml"] = conditional
    source = add_source(server.url("/rss.xml"))
    assert services.ingest_source(source_id=source.pk).new == 1
    source.refresh_from_db()
    assert source.etag == '"v1"'
    again = services.ingest_source(source_id=source.pk)
    assert again.skips == {"not_modified": 1} and again.error_reason == ""


def test_sitemap_and_listing_sources(server: LocalServer) -> None:
    a, b = publish(server, 0), publish(server, 1)
    server.add(
        "/sitemap.xml",
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{a}</loc></url></urlset>',
        content_type="application/xml",
    )
    server.add(
        "/thoi-su", f'<html><body><nav><a href="/">Trang chủ</a></nav><a href="{b}">Bài b</a></body></html>'
    )
    outlet = OutletFactory()
    services.ingest_source(source_id=add_source(server.url("/sitemap.xml"), outlet, "sitemap").pk)
    services.ingest_source(source_id=add_source(server.url("/thoi-su"), outlet, "page").pk)
    assert set(Article.objects.values_list("url", flat=True)) == {a, b}


def test_ingest_once_prints_a_json_last_line(server: LocalServer) -> None:
    add_source(feed(server, "/rss.xml", [publish(server, i) for i in range(2)]))
    add_source(server.url("/missing.xml"))
    out = io.StringIO()
    call_command("ingest", "--once", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(summary) == {"sources", "fetched", "new", "duplicates", "clustered", "errors", "seconds"}
    assert summary["sources"] == 2 and summary["new"] == 2 and summary["fetched"] == 2
    assert summary["errors"] == {"http_status": 1} and summary["seconds"] >= 0
    out = io.StringIO()
    call_command("ingest", "--once", "--all", stdout=out, stderr=io.StringIO())
    again = json.loads(out.getvalue().strip().splitlines()[-1])
    assert again["new"] == 0 and again["duplicates"] == 2


def test_ingest_due_polls_only_due_sources(server: LocalServer) -> None:
    source = add_source(feed(server, "/rss.xml", [publish(server, 0)]))
    services.ingest_due()
    _run, outcome = services.ingest_due()
    assert outcome.sources == 0
    source.refresh_from_db()
    assert source.next_poll_at is not None


def test_claim_is_exclusive() -> None:
    add_source("https://example.com/rss.xml")
    assert len(services.claim_due_sources()) == 1
    assert services.claim_due_sources() == []


def test_analysis_hook_receives_new_article_ids(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[int]] = []
    monkeypatch.setattr(services, "_analyse", lambda ids, **_options: seen.append(list(ids)))
    source = add_source(feed(server, "/rss.xml", [publish(server, 0), publish(server, 1)]))
    services.ingest_source(source_id=source.pk)
    assert seen == [sorted(Article.objects.values_list("pk", flat=True))]


def test_pool_extracts_and_analyses_as_in_process(server: LocalServer) -> None:
    """With worker processes (PRESSDESK_INGEST_PROCESSES) extraction and analysis run in the pool;
    what ends up stored is what in-process analysis stores."""
    from pressdesk.ingest import pipeline
    from pressdesk.monitoring.analysis import analyse_articles
    from tests.nlp.test_analysis_db import make_plan

    plan = make_plan()
    elsewhere_path = "/tin/nghe-an-100099.html"  # an article about another province
    server.add(
        elsewhere_path,
        article_page(
            title="Nghệ An khai mạc lễ hội Làng Sen",
            lead="Sa pô: Nghệ An khai mạc lễ hội Làng Sen quê Bác.",
            body="\n".join(
                [
                    "Tối 19/5, tại huyện Nam Đàn, tỉnh Nghệ An khai mạc lễ hội Làng Sen năm 2024.",
                    "Lễ hội thu hút hàng nghìn du khách về thăm quê hương Chủ tịch Hồ Chí Minh ở Kim Liên.",
                    "Ban tổ chức tỉnh Nghệ An cho biết lễ hội kéo dài đến cuối tháng với nhiều hoạt động.",
                    "Các đoàn nghệ thuật của thành phố Vinh biểu diễn dân ca ví giặm phục vụ du khách.",
                ]
            ),
            published="2024-05-19T20:00:00+07:00",
        ),
    )
    urls = [publish(server, i) for i in range(3)] + [server.url(elsewhere_path)]
    source = add_source(feed(server, "/rss.xml", urls))
    try:
        outcome = services.ingest_source(source_id=source.pk, processes=1)
    finally:
        pipeline.close_pool()
    assert outcome.new == 4 and "analysis_failed" not in outcome.skips

    def stored() -> list[tuple[Any, ...]]:
        return [
            (
                a.about_province,
                a.relevance,
                a.relevance_decision,
                a.tone,
                a.tone_score,
                a.false_info,
                a.model_version,
                sorted(a.places.values_list("code", "count")),
                sorted(a.mentions.values_list("plan_id", "area_id", "area_score")),
                sorted(MentionTopic.objects.filter(mention__article=a).values_list("topic_id", "score")),
                sorted(MentionEvent.objects.filter(mention__article=a).values_list("event_id", "score")),
            )
            for a in Article.objects.order_by("pk")
        ]

    by_pool = stored()
    assert all(row[6] for row in by_pool) and not Article.objects.filter(analysed_at=None).exists()
    assert {row[0] for row in by_pool} == {True, False}  # both storing paths taken
    about = Article.objects.filter(about_province=True).first()
    elsewhere = Article.objects.filter(about_province=False).first()
    assert about is not None and elsewhere is not None
    Mention.objects.filter(article=about).delete()
    Mention.objects.create(article=elsewhere, plan=plan)  # stale: must go when analysed again
    analyse_articles(Article.objects.values_list("pk", flat=True))
    assert stored() == by_pool


def test_articles_export_jsonl(server: LocalServer, tmp_path: Any) -> None:
    services.ingest_source(source_id=add_source(feed(server, "/rss.xml", [publish(server, 0)])).pk)
    target = tmp_path / "out.jsonl"
    call_command("articles", "export", "--format", "jsonl", "--output", str(target), stderr=io.StringIO())
    (row,) = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert set(row) == {"url", "canonical_url", "outlet", "title", "lead", "text", "published", "cluster"}
    assert row["title"] == story(0)[0] and row["text"].startswith("Ngày 1/10")


# --- sources: command line and CSV import -----------------------------------------------------------
def test_sources_add_and_list_commands() -> None:
    outlet = OutletFactory(name="Báo Thanh Hóa")
    call_command(
        "sources",
        "add",
        "--outlet",
        "báo thanh hóa",
        "--url",
        "https://baothanhhoa.vn/rss/home.rss",
        stdout=io.StringIO(),
    )
    assert Source.objects.get().outlet == outlet
    out = io.StringIO()
    call_command("sources", "list", stdout=out)
    assert "https://baothanhhoa.vn/rss/home.rss" in out.getvalue()
    with pytest.raises(CommandError, match="đã có"):
        call_command(
            "sources", "add", "--outlet", "Báo Thanh Hóa", "--url", "https://baothanhhoa.vn/rss/home.rss"
        )
    with pytest.raises(CommandError, match="Không có ấn phẩm"):
        call_command("sources", "add", "--outlet", "Không tồn tại", "--url", "https://x.vn/rss")


def test_csv_import_writes_all_lines(tmp_path: Any) -> None:
    OutletFactory(name="Nhân Dân")
    OutletFactory(name="Báo Thanh Hóa")
    path = tmp_path / "sources.csv"
    path.write_text(
        "outlet,url,kind\nNhân Dân,https://nhandan.vn/rss/home.rss,feed\n"
        "Báo Thanh Hóa,https://baothanhhoa.vn/sitemap.xml,sitemap\n",
        encoding="utf-8",
    )
    call_command("sources", "import", str(path), stdout=io.StringIO())
    assert Source.objects.count() == 2


def test_csv_import_reports_every_bad_line_and_writes_nothing() -> None:
    OutletFactory(name="Nhân Dân")
    text = (
        "outlet,url,kind\n"
        "Nhân Dân,https://nhandan.vn/rss/a.rss,feed\n"
        "Báo Ma,https://x.vn/rss,feed\n"
        "Nhân Dân,ftp://nhandan.vn/rss,feed\n"
        "Nhân Dân,https://nhandan.vn/rss/b.rss,podcast\n"
        "Nhân Dân,https://nhandan.vn/rss/a.rss,feed\n"
    )
    with pytest.raises(ValidationFailed) as info:
        services.source_import_csv(text=text)
    lines = info.value.message.splitlines()
    assert [line.split(":")[0] for line in lines] == ["dòng 3", "dòng 4", "dòng 5", "dòng 6"]
    assert "Báo Ma" in lines[0] and "ftp://" in lines[1] and "podcast" in lines[2] and "dòng 2" in lines[3]
    assert Source.objects.count() == 0


def test_csv_without_header_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="outlet, url"):
        services.source_import_csv(text="https://a.vn/rss\n")


def test_postgres_clustering_under_advisory_lock(server: LocalServer) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL-only; SQLite serialises writers itself")
    services.ingest_source(source_id=add_source(feed(server, "/rss.xml", [publish(server, 0)])).pk)
    assert Article.objects.count() == 1


def test_an_unexpected_failure_on_one_source_does_not_stop_the_others(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = add_source(feed(server, "/a.xml", [publish(server, 0)]))
    good = add_source(feed(server, "/b.xml", [publish(server, 1)]))
    real = services.ingest_source

    def flaky(*, source_id: int, **kwargs: Any) -> Any:
        if source_id == broken.pk:
            raise RuntimeError("database hiccup")
        return real(source_id=source_id, **kwargs)

    monkeypatch.setattr(services, "ingest_source", flaky)
    _run, outcome = services.ingest_due()
    assert outcome.new == 1 and outcome.errors == {"internal_error": 1}
    broken.refresh_from_db()
    assert broken.last_error_reason == "internal_error" and "database hiccup" in broken.last_error
    assert Article.objects.get().source_id == good.pk


def test_failing_analysis_keeps_the_articles(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(ids: list[int], **_options: Any) -> None:
        raise ValueError("model missing")

    monkeypatch.setattr(services, "_analyse", boom)
    outcome = services.ingest_source(source_id=add_source(feed(server, "/rss.xml", [publish(server, 0)])).pk)
    assert outcome.new == 1 and outcome.skips["analysis_failed"] == 1 and Article.objects.count() == 1


def test_source_update_checks_role_and_values(make_user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from pressdesk.accounts.models import Role

    source = add_source("https://nhandan.vn/rss/home.rss")
    with pytest.raises(PermissionDenied):
        services.source_update(source_id=source.pk, actor=make_user(Role.MONITOR), active=False)
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationFailed):
        services.source_update(source_id=source.pk, actor=admin, poll_every_minutes=0)
    with pytest.raises(ValidationFailed):
        services.source_update(source_id=source.pk, actor=admin, kind="podcast")
    updated = services.source_update(
        source_id=source.pk, actor=admin, active=False, kind="sitemap", poll_every_minutes=30
    )
    assert (updated.active, updated.kind, updated.poll_every_minutes) == (False, "sitemap", 30)
    assert services.claim_due_sources() == []  # inactive sources are not polled
