"""Filter tags in the search index: the index applies the filters, so its tags must follow the
articles (analysis after indexing, an outlet's level edited later, dates in local time)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.utils import timezone

from pressdesk.accounts.models import OutletLevel
from pressdesk.monitoring.analysis import analyse_articles
from pressdesk.monitoring.models import Article, Mention
from pressdesk.plans.models import ContentArea, Plan
from pressdesk.watch.search import (
    Filters,
    _date_cover,
    filtered_articles,
    fold,
    recency_tag,
    search_articles,
    search_reindex,
    search_retag,
    split_filters,
    word_pairs,
)
from tests.factories import OutletFactory
from tests.nlp.test_analysis_db import make_plan
from tests.watch.factories import make_article

pytestmark = pytest.mark.django_db


def found(query: str, sort: str = "relevance", **params: str) -> set[int]:
    result = search_articles(query=query, filters=Filters.from_mapping(params), sort=sort, limit=100)
    return {hit.article.pk for hit in result.hits}


def test_date_cover_uses_whole_years_and_months():
    assert _date_cover(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == ["y2024"]
    assert _date_cover(dt.date(2024, 1, 30), dt.date(2024, 3, 2)) == [
        "d20240130",
        "d20240131",
        "m202402",
        "d20240301",
        "d20240302",
    ]
    assert _date_cover(dt.date(2023, 12, 1), dt.date(2025, 1, 1)) == ["m202312", "y2024", "d20250101"]
    assert _date_cover(dt.date(2024, 5, 10), dt.date(2024, 5, 10)) == ["d20240510"]


def test_analysis_after_indexing_rewrites_the_tags():
    """Ingestion may index an article before it is analysed: the analysis re-tags it, so the area,
    place, tone and about-the-province filters find it without a re-index."""
    plan = make_plan()
    when = timezone.make_aware(dt.datetime(2024, 5, 6, 9))
    event = Article.objects.create(
        canonical_url="https://e.vn/1",
        url="https://e.vn/1",
        title="Thanh Hóa kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
        lead="Tỉnh ủy, UBND tỉnh Thanh Hóa tổ chức lễ kỷ niệm 70 năm Chiến thắng Điện Biên Phủ.",
        text="Lễ kỷ niệm diễn ra tại TP Thanh Hóa, huyện Sầm Sơn với sự tham dự của các cựu chiến binh.",
        published_at=when,
    )
    search_reindex()  # indexed before analysis: no area, place or decision yet
    assert found("ky niem", relevance="subject") == set()

    analyse_articles([event.pk])
    event.refresh_from_db()
    mention = Mention.objects.get(article=event, plan=plan)
    assert event.about_province and mention.area is not None
    place = event.places.order_by("code").first()
    assert place is not None
    checks = [
        {"area": str(mention.area.number)},
        {"relevance": event.relevance_decision},
        {"tone": event.tone},
        {"place": place.code},
        {"date_from": "2024-05-06", "date_to": "2024-05-06"},
    ]
    for params in checks:
        for sort in ("relevance", "date"):
            assert found("ky niem", sort, **params) == {event.pk}, params
    assert found("ky niem", area=str(mention.area.number % 6 + 1)) == set()
    assert search_retag([event.pk]) == 0  # nothing changed since: nothing rewritten


def test_retag_follows_edits_and_matches_the_sql_filters():
    plan = Plan.objects.create(year=2024, title="Kế hoạch")
    area = ContentArea.objects.create(plan=plan, number=2, title="Văn hóa")
    outlet = OutletFactory(level=OutletLevel.PROVINCIAL)
    articles = [
        make_article(f"Lễ hội Lam Kinh {i}", "Thanh Hóa đón khách.", outlet=outlet, tone="neutral")
        for i in range(4)
    ]
    search_reindex()
    Article.objects.filter(pk=articles[0].pk).update(tone="negative", relevance_decision="subject")
    Mention.objects.create(article=articles[1], plan=plan, area=area)
    assert found("le hoi", tone="negative") == set()  # stale until re-tagged
    assert search_retag([a.pk for a in articles]) == 2
    assert search_retag([a.pk for a in articles]) == 0
    for params in (
        {"tone": "negative"},
        {"relevance": "subject"},
        {"area": "2"},
        {"tone": "neutral", "outlet_level": "provincial"},
    ):
        expected = set(filtered_articles(Filters.from_mapping(params)).values_list("pk", flat=True))
        assert found("le hoi lam kinh", **params) == expected, params
        assert expected


def test_outlet_level_edited_after_indexing_needs_no_reindex():
    outlet = OutletFactory(level=OutletLevel.OTHER)
    article = make_article("Nghi Sơn thu hút đầu tư", outlet=outlet)
    search_reindex()
    assert found("nghi son", outlet_level="central") == set()
    outlet.level = OutletLevel.CENTRAL
    outlet.save()
    assert found("nghi son", outlet_level="central") == {article.pk}
    assert found("nghi son", outlet_level="other") == set()


def test_dates_are_local_days_and_open_ended_ranges_work():
    late = make_article(
        "Pù Luông mùa lúa chín", published=timezone.make_aware(dt.datetime(2024, 5, 10, 23, 30))
    )  # 16:30 UTC: still 10 May in Thanh Hóa
    early = make_article("Pù Luông đón khách", published=timezone.make_aware(dt.datetime(2024, 5, 11, 0, 10)))
    undated = make_article("Pù Luông ngày mới", published=None)
    Article.objects.filter(pk=undated.pk).update(published_at=None)
    search_reindex()
    assert found("pu luong", date_to="2024-05-10") == {late.pk}
    assert found("pu luong", date_from="2024-05-11") == {early.pk}
    assert found("pu luong", date_from="2024-05-10", date_to="2024-05-11") == {late.pk, early.pk}
    assert found("pu luong", date_from="2030-01-01") == set()
    assert found("pu luong") == {late.pk, early.pk, undated.pk}


@pytest.mark.parametrize("strategy", ["by month", "walk", "sort"])
def test_date_order_across_a_local_month_boundary(monkeypatch, strategy):
    """31 May 23:30 and 1 June 00:30 in Thanh Hóa are both 31 May in UTC: the month reading must
    still put June first, whatever strategy the date order takes."""
    from pressdesk.watch import search as search_module

    local = [dt.datetime(2024, 5, 31, 23, 30), dt.datetime(2024, 6, 1, 0, 30), dt.datetime(2024, 5, 2, 8)]
    made = [
        make_article(f"Hàm Rồng {i}", published=timezone.make_aware(when)) for i, when in enumerate(local)
    ]
    search_reindex()
    monkeypatch.setattr(search_module, "COUNT_CAP", 1)
    monkeypatch.setattr(search_module, "WALK_MIN_DENSITY", 0.0 if strategy == "walk" else 2.0)
    if strategy == "sort":
        monkeypatch.setattr(search_module, "MAX_MONTH_BUCKETS", 0)
    newest_first = [made[1].pk, made[0].pk, made[2].pk]
    result = search_articles(query="ham rong", sort="date")
    assert [h.article.pk for h in result.hits] == newest_first
    page = search_articles(query="ham rong", sort="date", limit=1, offset=1)
    assert [h.article.pk for h in page.hits] == newest_first[1:2]
    june = search_articles(
        query="ham rong", sort="date", filters=Filters.from_mapping({"date_from": "2024-06-01"})
    )
    assert [h.article.pk for h in june.hits] == [made[1].pk]


def test_filters_no_outlet_has_are_answered_without_a_query():
    make_article("Hàm Rồng", outlet=OutletFactory(level=OutletLevel.CENTRAL))
    search_reindex()
    tags, rest = split_filters(Filters.from_mapping({"outlet_level": "provincial"}))
    assert tags is not None and tags.impossible and not rest.active
    result = search_articles(query="ham rong", filters=Filters.from_mapping({"outlet_level": "provincial"}))
    assert result.total == 0 and result.hits == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own lexemes")
def test_recency_tags_and_pairs_are_written_kept_by_retag_and_rebuilt_by_the_migration():
    migration = importlib.import_module("pressdesk.watch.migrations.0005_search_recency_and_pairs")
    articles = [
        make_article(f"Lễ hội Lam Kinh {i}", "Thanh Hóa đón khách. Khách đến Thanh Hóa.", tone="neutral")
        for i in range(3)
    ]
    search_reindex()

    def documents() -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT article_id, document::text FROM watch_articlesearch")
            return dict(cursor.fetchall())

    def lexemes(pattern: str) -> dict[int, list[str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT article_id, ARRAY(SELECT lexeme FROM unnest(document) WHERE lexeme LIKE %s "
                "ORDER BY lexeme) FROM watch_articlesearch",
                [pattern],
            )
            return {int(pk): list(found) for pk, found in cursor.fetchall()}

    assert lexemes("#r%") == {a.pk: ["#" + recency_tag(a.pk)] for a in articles}
    pairs = lexemes("% %")[articles[0].pk]
    assert "thanh hoa" in pairs and "le hoi" in pairs and "khach den" in pairs
    assert "0 thanh" not in pairs  # never across the title and the body
    assert pairs == word_pairs(fold(articles[0].title), fold(f"{articles[0].lead}\n{articles[0].text}"))
    Article.objects.filter(pk=articles[0].pk).update(tone="negative")
    indexed = documents()
    assert search_retag([a.pk for a in articles]) == 1  # the tone only: recency tags are not "changed"
    assert lexemes("#r%") == {a.pk: ["#" + recency_tag(a.pk)] for a in articles}
    indexed = documents()
    with connection.schema_editor() as editor:  # rows as written before the migration
        migration.backwards(None, editor)
    assert not any(lexemes("#r%").values()) and not any(lexemes("% %").values())
    with connection.schema_editor() as editor:
        migration.forwards(None, editor)
    assert documents() == indexed
    assert found('"thanh hoa"', sort="date") == {a.pk for a in articles}


def test_phrases_match_whole_runs_of_syllables_only():
    """PostgreSQL looks phrases up by their syllable pairs: a phrase of three syllables needs the
    run, not just its pairs somewhere, and no phrase runs from the title into the body."""
    run = make_article("Tin tỉnh", "Tai nạn giao thông ở Thanh Hóa.")
    pairs_apart = make_article("Tin khác", "Tai nạn lao động. Giao thông tắc. Nạn giao tiếp kém.")
    across = make_article("Hội nghị Thanh", "Hóa chất độc hại.")
    search_reindex()
    for sort in ("relevance", "date"):
        assert found('"tai nan giao thong"', sort) == {run.pk}
        assert found('"nan giao"', sort) == {run.pk, pairs_apart.pk}
        assert found('"thanh hoa"', sort) == {run.pk}
        assert found("thanh hoa", sort) == {run.pk, across.pk}
