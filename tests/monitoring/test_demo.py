"""The demonstration articles, alerts, delivery and coverage: made by the real pipeline, nothing fetched.

The demonstration is loaded once for the module (the analyser makes it the slow part) inside a
transaction rolled back at the end; each test runs in a savepoint of its own on top of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from pressdesk.accounts.models import User
from pressdesk.commissioning.models import Contract, Delivery
from pressdesk.core.demo import DemoContext, load_demo
from pressdesk.ingest.fetcher import SafeFetcher
from pressdesk.monitoring import demo as monitoring_demo
from pressdesk.monitoring.models import Article, ClusterBand, Source, StoryCluster
from pressdesk.monitoring.services import claim_due_sources
from pressdesk.plans.models import Plan
from pressdesk.reports.models import DeliveryVerification
from pressdesk.reports.periods import parse_period
from pressdesk.reports.selectors import delivery_suggestions, plan_coverage
from pressdesk.watch.models import Alert, Notification, Response, RoutingRule, SavedSearch
from pressdesk.watch.search import search_articles

WRITTEN = json.loads(monitoring_demo.DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[DemoContext, mock.Mock]]:
    """(the demo's context, the fetcher's fetch as a mock that refuses): loaded once, rolled back after."""
    fetch = mock.Mock(side_effect=AssertionError("the demonstration must not fetch anything"))
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        mock.patch.object(SafeFetcher, "fetch", fetch),
        transaction.atomic(),
    ):
        ctx = load_demo()
        yield ctx, fetch
        transaction.set_rollback(True)


@pytest.fixture
def ctx(demo: tuple[DemoContext, mock.Mock], db: Any) -> DemoContext:
    return demo[0]


def test_written_articles_are_stored_analysed_and_clustered(ctx: DemoContext) -> None:
    articles = Article.objects.filter(outlet__isnull=False)
    assert articles.count() == len(WRITTEN) >= 60
    assert not articles.filter(analysed_at__isnull=True).exists()
    about = articles.filter(about_province=True)
    assert about.count() >= 60 and articles.filter(about_province=False).count() >= 3
    areas = set(about.exclude(mentions__area=None).values_list("mentions__area__number", flat=True))
    assert areas == {1, 2, 3, 4, 5}
    assert {timezone.localtime(a.published_at).month for a in articles if a.published_at} == set(range(1, 13))
    # Syndicated copies cluster across outlets (three outlets for the Sầm Sơn festival opening).
    assert StoryCluster.objects.filter(outlet_count__gt=1).count() >= 8
    assert StoryCluster.objects.filter(outlet_count__gte=3).exists()
    assert articles.filter(false_info=True).count() >= 3
    assert articles.filter(tone=Article.Tone.NEGATIVE, about_province=True, false_info=False).count() >= 4


def test_demo_sources_are_off_and_nothing_is_fetched(
    demo: tuple[DemoContext, mock.Mock], ctx: DemoContext
) -> None:
    sources = list(Source.objects.all())
    assert sources and not [s for s in sources if s.active]
    assert all(s.url.split("/")[2].endswith(".example") for s in sources)
    assert claim_due_sources() == []  # the poller has nothing to take
    assert demo[1].call_count == 0
    assert not DeliveryVerification.objects.exists()  # the recorded delivery was not checked over the network


def test_alerts_are_routed_with_deadlines_one_answered_one_story_overdue(ctx: DemoContext) -> None:
    routed = {a.body.name for a in Alert.objects.exclude(body=None).select_related("body")}
    assert routed >= {
        "UBND phường Sầm Sơn",  # the 2025 successor of TP Sầm Sơn
        "UBND phường Nghi Sơn",
        "UBND phường Hạc Thành",  # the food-poisoning story in TP Thanh Hóa
        "Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp",  # through the monitor's routing rule
    }
    assert RoutingRule.objects.filter(place_code="lm:kkt-nghi-son").count() == 1
    assert Alert.objects.filter(status=Alert.Status.OPEN, body=None).exists()  # left to the monitor
    assert not Alert.objects.filter(deadline=None).exists()
    answer = Response.objects.select_related("alert", "press_release").get()
    assert answer.kind == Response.Kind.REBUTTAL and answer.alert.status == Alert.Status.ANSWERED
    assert answer.press_release is not None and answer.press_release.body == answer.alert.body
    assert answer.responder == ctx.users["samson"]
    late = Alert.objects.filter(status=Alert.Status.ESCALATED)
    assert late.exists() and {a.body.name for a in late} == {"UBND phường Nghi Sơn"}
    assert Notification.objects.filter(alert__in=late, kind=Notification.Kind.ESCALATED).exists()
    assert SavedSearch.objects.filter(owner=ctx.users["theodoi"]).count() == 1


def test_dashboard_figures_and_search_come_from_the_demo_articles(ctx: DemoContext) -> None:
    coverage = plan_coverage(plan=Plan.objects.get(year=2024), period=parse_period("2024"))
    about = Article.objects.filter(about_province=True, published_at__year=2024).count()
    assert coverage.total == about >= 60
    assert coverage.levels["central"] > 0 and coverage.levels["provincial"] > 0
    assert all(row.total > 0 for row in coverage.areas)  # every area of the plan has coverage
    assert all(event.total > 0 for event in coverage.events)  # and every anniversary of 2024
    assert search_articles(query="Sầm Sơn").total >= 5

    client = Client()
    client.force_login(User.objects.get(username="theodoi"))
    page = client.get("/canh-bao/", {"q": "Điện Biên Phủ"})
    assert (
        page.status_code == 200
        and "Thanh Hóa kỷ niệm 70 năm Chiến thắng Điện Biên Phủ" in page.content.decode()
    )


def test_a_suggested_article_is_recorded_as_a_delivery_and_others_stay_suggested(ctx: DemoContext) -> None:
    linked = Delivery.objects.filter(url__in=Article.objects.values("url")).select_related(
        "contract_item__contract"
    )
    assert linked.count() == 1
    delivery = linked.get()
    assert delivery.contract_item.contract.status == Contract.Status.IN_PROGRESS
    assert delivery.status == Delivery.Status.RECORDED
    article = Article.objects.get(url=delivery.url)
    assert article.outlet == delivery.outlet and article.about_province
    remaining = delivery_suggestions(plan=Plan.objects.get(year=2024))
    assert remaining and article.pk not in {s.article.pk for s in remaining}


def test_loading_twice_adds_nothing(ctx: DemoContext) -> None:
    def counts() -> list[Any]:
        return [
            Article.objects.count(),
            StoryCluster.objects.count(),
            ClusterBand.objects.count(),
            Source.objects.count(),
            sorted(Alert.objects.values_list("pk", "status", "body_id")),
            Response.objects.count(),
            Notification.objects.count(),
            RoutingRule.objects.count(),
            SavedSearch.objects.count(),
            Delivery.objects.count(),
        ]

    before = counts()
    load_demo()
    assert counts() == before
