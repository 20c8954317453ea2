"""Search: same exact ids on whichever database the suite runs on (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from pressdesk.accounts.models import OutletLevel
from pressdesk.core.errors import ValidationFailed
from pressdesk.monitoring.models import Article, Mention, StoryCluster
from pressdesk.plans.models import ContentArea, Plan
from pressdesk.watch import search as search_module
from pressdesk.watch.search import (
    Filters,
    fold,
    parse_query,
    search_articles,
    search_index_articles,
    search_reindex,
)
from tests.factories import OutletFactory
from tests.watch.factories import make_article

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2024, 5, 10, 8, 0))


@pytest.fixture(
    autouse=True,
    params=[
        "one id range",
        "ranges of one id, sorted by date",
        "ranges of one id, by month",
        "ranges of one id, walked",
    ],
)
def scan_plan(request, monkeypatch):  # type: ignore[no-untyped-def]
    """PostgreSQL scans matches newest first in id ranges; for many matches in date order both
    databases walk by date (dense matches), read them a month at a time, or sort them. Every test
    runs with the whole test corpus in one range, and with ranges of one id and each date strategy:
    the same ids every time."""
    if request.param != "one id range":
        monkeypatch.setattr(search_module, "FIRST_CHUNK", 1)
        monkeypatch.setattr(search_module, "CHUNK_GROWTH", 2)
        monkeypatch.setattr(search_module, "RECENCY_BUCKET", 2)  # PostgreSQL: buckets of two ids
        monkeypatch.setattr(search_module, "MAX_RECENCY_TAGS", 3)  # then the rest without them
        monkeypatch.setattr(search_module, "WALK_MIN_DENSITY", 0.0 if "walked" in request.param else 2.0)
        if "sorted" in request.param:
            monkeypatch.setattr(search_module, "MAX_MONTH_BUCKETS", 0)
    return request.param


@pytest.fixture
def corpus(db):  # type: ignore[no-untyped-def]
    central = OutletFactory(name="Nhân Dân", level=OutletLevel.CENTRAL)
    provincial = OutletFactory(name="Báo Thanh Hóa", level=OutletLevel.PROVINCIAL)
    plan = Plan.objects.create(year=2024, title="Kế hoạch")
    area3 = ContentArea.objects.create(plan=plan, number=3, title="Kinh tế")
    a = {}
    a["hoa"] = make_article(
        "Thanh Hóa đón khách du lịch",
        "Bãi biển Sầm Sơn đông khách.",
        outlet=provincial,
        published=T0,
        places=[("380", "Sầm Sơn")],
        tone="positive",
        relevance_decision="subject",
    )
    a["hoa_new"] = make_article(
        "Tin tỉnh Thanh Hoá",
        "Thanh Hoá tổ chức lễ hội.",
        outlet=central,
        published=T0 + dt.timedelta(days=1),
        tone="negative",
    )
    a["ascii"] = make_article(
        "thanh hoa khong dau",
        "Bài viết không dấu về thanh hoa.",
        outlet=central,
        published=T0 + dt.timedelta(days=2),
    )
    a["split"] = make_article(
        "Thanh niên tình nguyện",
        "Hoa nở khắp nơi ở Nghi Sơn.",
        outlet=provincial,
        published=T0 + dt.timedelta(days=3),
        places=[("381", "Nghi Sơn")],
    )
    a["other"] = make_article(
        "Hà Nội mưa lớn", "Giao thông ùn tắc.", outlet=central, published=T0 - dt.timedelta(days=5)
    )
    a["hoang"] = make_article(
        "Thanh Hoàng", "Hoàng hôn trên biển.", outlet=central, published=T0 - dt.timedelta(days=6)
    )
    Mention.objects.create(article=a["split"], plan=plan, area=area3)
    Mention.objects.create(article=a["hoa"], plan=plan, area=area3)
    search_reindex()
    return a


def ids(result) -> set[int]:  # type: ignore[no-untyped-def]
    return {h.article.pk for h in result.hits}


QUERIES = [
    ("thanh hoa", {}, {"hoa", "hoa_new", "ascii", "split"}),
    ('"thanh hoa"', {}, {"hoa", "hoa_new", "ascii"}),
    ("Thanh Hóa", {}, {"hoa", "hoa_new", "ascii", "split"}),
    ('"Thanh Hoá"', {}, {"hoa", "hoa_new", "ascii"}),
    ("hoang", {}, {"hoang"}),
    ("hoa", {}, {"hoa", "hoa_new", "ascii", "split"}),  # whole syllables: "hoàng" is not "hoa"
    ('"sam son"', {}, {"hoa"}),
    ("thanh hoa", {"outlet_level": "provincial"}, {"hoa", "split"}),
    ("thanh hoa", {"tone": "negative"}, {"hoa_new"}),
    ("thanh hoa", {"place": "381"}, {"split"}),
    ("thanh hoa", {"area": "3"}, {"hoa", "split"}),
    ("thanh hoa", {"relevance": "subject"}, {"hoa"}),
    ("thanh hoa", {"date_from": "2024-05-11", "date_to": "2024-05-12"}, {"hoa_new", "ascii"}),
    ("", {"outlet_level": "central"}, {"hoa_new", "ascii", "other", "hoang"}),
    ("ha noi", {}, {"other"}),
    ('"thanh hoa"', {"outlet_level": "central"}, {"hoa_new", "ascii"}),
    ('"thanh hoa" le hoi', {"tone": "negative"}, {"hoa_new"}),
    ("xyz", {}, set()),
]


@pytest.mark.parametrize(("query", "params", "expected"), QUERIES, ids=[f"{q}|{p}" for q, p, _e in QUERIES])
def test_same_exact_ids_on_this_database(corpus, query, params, expected) -> None:  # type: ignore[no-untyped-def]
    result = search_articles(query=query, filters=Filters.from_mapping(params), limit=100)
    assert ids(result) == {corpus[k].pk for k in expected}, connection.vendor
    assert result.total == len(expected)


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("cap", [1000, 1])
def test_phrase_with_filters_in_both_orders(corpus, monkeypatch, sort, cap) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_module, "COUNT_CAP", cap)
    result = search_articles(query='"thanh hoa"', filters=Filters(outlet_level="central"), sort=sort)
    assert ids(result) == {corpus["hoa_new"].pk, corpus["ascii"].pk}
    if sort == "date":
        assert [h.article.pk for h in result.hits] == [corpus["ascii"].pk, corpus["hoa_new"].pk]


def test_date_sort_is_newest_first_and_relevance_scores_descend(corpus) -> None:  # type: ignore[no-untyped-def]
    by_date = search_articles(query="thanh hoa", sort="date")
    assert [h.article.pk for h in by_date.hits] == [
        corpus[k].pk for k in ("split", "ascii", "hoa_new", "hoa")
    ]
    by_rank = search_articles(query="thanh hoa")
    scores = [h.score for h in by_rank.hits]
    assert scores == sorted(scores, reverse=True)
    # The phrase in the title ranks above the article where the words are apart.
    assert by_rank.hits[-1].article.pk == corpus["split"].pk


def test_snippet_marks_the_words_with_their_diacritics(corpus) -> None:  # type: ignore[no-untyped-def]
    hit = next(h for h in search_articles(query="sam son").hits)
    assert "<mark>Sầm</mark> <mark>Sơn</mark>" in hit.snippet


def test_new_articles_are_found_without_explicit_indexing(corpus) -> None:  # type: ignore[no-untyped-def]
    fresh = make_article("Lễ hội Lam Kinh", "Khai mạc lễ hội Lam Kinh.")
    assert ids(search_articles(query="lam kinh")) == {fresh.pk}


def test_reindexing_an_edited_article_replaces_its_words(corpus) -> None:  # type: ignore[no-untyped-def]
    article = corpus["other"]
    Article.objects.filter(pk=article.pk).update(title="Đà Nẵng nắng đẹp", text="")
    search_index_articles([article.pk])
    assert ids(search_articles(query="ha noi")) == set()
    assert ids(search_articles(query="da nang")) == {article.pk}


def test_cluster_filter_and_cluster_shown(corpus) -> None:  # type: ignore[no-untyped-def]
    cluster = StoryCluster.objects.create(first_article=corpus["hoa"], size=2, outlet_count=2)
    Article.objects.filter(pk__in=[corpus["hoa"].pk, corpus["hoa_new"].pk]).update(cluster=cluster)
    result = search_articles(query="thanh hoa", filters=Filters(cluster=cluster.pk))
    assert ids(result) == {corpus["hoa"].pk, corpus["hoa_new"].pk}
    assert result.hits[0].article.cluster.outlet_count == 2


def test_parse_and_fold() -> None:
    assert fold("Thanh Hoá, Đông Sơn!") == "thanh hoa dong son"
    parsed = parse_query('Thanh Hóa "Sầm  Sơn" "x')
    assert parsed.terms == ("thanh", "hoa", "x")
    assert parsed.phrases == (("sam", "son"),)


@pytest.mark.parametrize(
    ("params", "word"),
    [({"date_from": "10/05/2024"}, "Ngày"), ({"tone": "angry"}, "sắc thái"), ({"area": "ba"}, "lĩnh vực")],
)
def test_bad_filters_are_named(params, word) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as error:
        Filters.from_mapping(params)
    assert word in str(error.value.message)


def test_count_stops_at_the_cap_and_says_more(corpus, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    result = search_articles(query="thanh hoa")
    assert (result.total, result.more, len(result.hits)) == (2, True, 4)  # the page is not cut
    assert result.total_label == "hơn 2 kết quả"
    exact = search_articles(query="sam son")
    assert (exact.total, exact.more, exact.total_label) == (1, False, "1 kết quả")
    browse = search_articles(filters=Filters(outlet_level="central"))
    assert (browse.total, browse.more) == (2, True)


def test_date_order_is_exact_when_the_count_is_capped(corpus, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    newest_first = [corpus[k].pk for k in ("split", "ascii", "hoa_new", "hoa")]
    monkeypatch.setattr(search_module, "COUNT_CAP", 1)  # many matches: walk by date and probe
    walked = search_articles(query="thanh hoa", sort="date")
    assert walked.more
    assert [h.article.pk for h in walked.hits] == newest_first
    assert all(h.score is None for h in walked.hits)  # date order computes no relevance score
    page2 = search_articles(query="thanh hoa", sort="date", limit=2, offset=2)
    assert [h.article.pk for h in page2.hits] == newest_first[2:]
    filtered = search_articles(query="thanh hoa", sort="date", filters=Filters(outlet_level="provincial"))
    assert [h.article.pk for h in filtered.hits] == [corpus["split"].pk, corpus["hoa"].pk]


def test_relevance_ranks_only_the_most_recently_stored_matches(corpus, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    result = search_articles(query="thanh hoa")
    newest_stored = sorted(corpus[k].pk for k in ("hoa", "hoa_new", "ascii", "split"))[-2:]
    assert sorted(h.article.pk for h in result.hits) == newest_stored
    assert result.total == 4  # the count still covers every match
    # A phrase: the window is its newest matches ("split" holds both syllables, not the phrase).
    phrase = search_articles(query='"thanh hoa"')
    assert ids(phrase) == {corpus["ascii"].pk, corpus["hoa_new"].pk}
    assert phrase.total == 3


def test_saved_search_badge_counts_new_matches_up_to_the_cap(corpus, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    assert search_module.count_matches(query="thanh hoa", filters=Filters(), since=None) == 3
    assert search_module.count_label(3) == "hơn 2 kết quả"


@pytest.mark.parametrize("cap", [1000, 1])
def test_undated_matches_come_last_in_date_order(corpus, cap, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    undated = make_article("Thanh Hóa không rõ ngày", "Bài không có ngày đăng.")
    Article.objects.filter(pk=undated.pk).update(published_at=None)
    monkeypatch.setattr(search_module, "COUNT_CAP", cap)
    newest_first = [corpus[k].pk for k in ("split", "ascii", "hoa_new", "hoa")] + [undated.pk]
    assert [h.article.pk for h in search_articles(query="thanh hoa", sort="date").hits] == newest_first
    tail = search_articles(query="thanh hoa", sort="date", limit=2, offset=4)
    assert [h.article.pk for h in tail.hits] == [undated.pk]
