"""The demonstration articles, alerts and coverage: made by the real pipeline, loaded once."""

from __future__ import annotations

from typing import Any

import pytest

from pressdesk.core.demo import load_demo
from pressdesk.monitoring.models import Article, Source, StoryCluster
from pressdesk.plans.models import Plan
from pressdesk.reports.periods import parse_period
from pressdesk.reports.selectors import plan_coverage
from pressdesk.watch.models import Alert, Response


@pytest.fixture
def demo(db: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()


def test_demo_articles_are_analysed_clustered_and_alerted(demo: None) -> None:
    about = Article.objects.filter(about_province=True)
    assert about.count() >= 30 and Article.objects.filter(about_province=False).exists()
    assert not Article.objects.filter(analysed_at__isnull=True).exists()
    areas = set(about.exclude(mentions__area=None).values_list("mentions__area__number", flat=True))
    assert areas == {1, 2, 3, 4, 5}
    assert StoryCluster.objects.filter(outlet_count__gt=1).count() >= 2
    assert not Source.objects.filter(active=True).exists()  # demonstration feeds are never fetched

    routed = Alert.objects.exclude(body=None)
    assert {a.body.name for a in routed} >= {"UBND phường Sầm Sơn", "UBND phường Nghi Sơn"}
    answer = Response.objects.get()
    assert answer.press_release is not None and answer.press_release.body == answer.alert.body
    assert Alert.objects.filter(status=Alert.Status.ESCALATED).exists()


def test_dashboard_figures_come_from_the_demo_articles(demo: None) -> None:
    coverage = plan_coverage(plan=Plan.objects.get(year=2024), period=parse_period("2024"))
    about = Article.objects.filter(about_province=True, published_at__year=2024).count()
    assert coverage.total == about >= 30
    assert coverage.levels["central"] > 0 and coverage.levels["provincial"] > 0
    assert all(row.total > 0 for row in coverage.areas)  # every area of the plan has coverage
    assert any(event.total > 0 for event in coverage.events)  # and the anniversaries show on the timeline


def test_loading_twice_adds_nothing(demo: None) -> None:
    before = (
        Article.objects.count(),
        Alert.objects.count(),
        Response.objects.count(),
        Source.objects.count(),
    )
    load_demo()
    after = (Article.objects.count(), Alert.objects.count(), Response.objects.count(), Source.objects.count())
    assert after == before
