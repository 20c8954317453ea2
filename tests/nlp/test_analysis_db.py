"""analyse_articles stores the results: article fields, places, Mention + topics + events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pressdesk.monitoring.analysis import analyse_articles, expected_version_for_year
from pressdesk.monitoring.models import Article, ArticlePlace, Mention, MentionEvent, MentionTopic
from pressdesk.nlp.plan import load_default_plan
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic

pytestmark = pytest.mark.django_db


def make_plan() -> Plan:
    data = load_default_plan()
    plan = Plan.objects.create(year=2024, title=data["title"])
    for a in data["areas"]:
        area = ContentArea.objects.create(
            plan=plan, number=a["number"], title=a["title"], keywords=a["keywords"]
        )
        for t in a["topics"]:
            Topic.objects.create(area=area, order=t["order"], text=t["text"])
    for i, e in enumerate(data["events"]):
        KeyEvent.objects.create(
            plan=plan,
            order=i,
            title=e["title"],
            date=dt.date.fromisoformat(e["date"]) if e["date"] else None,
            year=e["year"],
            since_year=e["since_year"],
        )
    return plan


def article(url: str, title: str, lead: str, text: str, day: dt.date) -> Article:
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return Article.objects.create(
        canonical_url=url, url=url, title=title, lead=lead, text=text, published_at=when
    )


def test_analyse_articles_stores_mentions():
    plan = make_plan()
    event = article(
        "https://e.vn/1",
        "Thanh Hóa kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
        "Tỉnh ủy, UBND tỉnh Thanh Hóa tổ chức lễ kỷ niệm 70 năm Chiến thắng Điện Biên Phủ.",
        "Lễ kỷ niệm diễn ra tại TP Thanh Hóa với sự tham dự của các cựu chiến binh, dân công hỏa tuyến.",
        dt.date(2024, 5, 6),
    )
    other = article(
        "https://e.vn/2", "Chị Thanh Hòa mở tiệm bánh", "Chị Thanh Hòa ở Hà Nội.", "", dt.date(2024, 5, 6)
    )

    analyse_articles([event.pk, other.pk])

    event.refresh_from_db()
    other.refresh_from_db()
    assert event.about_province is True and event.relevance_decision == "subject"
    assert event.analysed_at is not None and event.model_version == expected_version_for_year(2024)
    assert event.tone in ("positive", "neutral", "negative") and event.tone_score is not None
    assert set(ArticlePlace.objects.filter(article=event).values_list("code", flat=True)) >= {
        "38",
        "org:ubnd-tinh",
    }
    mention = Mention.objects.get(article=event, plan=plan)
    assert mention.area is not None and mention.area.plan == plan
    assert MentionTopic.objects.filter(mention=mention).exists() or mention.area.topics.count() == 0
    linked = MentionEvent.objects.filter(mention=mention).order_by("-score")
    assert linked[0].event.title.startswith("Kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ"), [
        (m.event.title, m.score) for m in linked
    ]
    assert other.about_province is False and not Mention.objects.filter(article=other).exists()

    # Again: rows are replaced, not duplicated.
    analyse_articles([event.pk])
    assert Mention.objects.filter(article=event).count() == 1
    assert ArticlePlace.objects.filter(article=event, code="38").count() == 1


def test_articles_of_a_year_without_plan_use_the_latest_plan():
    plan = make_plan()
    a = article(
        "https://e.vn/3",
        "Thanh Hóa: khởi công cao tốc",
        "UBND tỉnh Thanh Hóa khởi công dự án cao tốc.",
        "",
        dt.date(2026, 2, 1),
    )
    analyse_articles([a.pk])
    assert Mention.objects.get(article=a).plan == plan


def test_reanalyse_command_picks_stale_versions():
    from django.core.management import call_command

    make_plan()
    a = article(
        "https://e.vn/4",
        "Thanh Hóa: khởi công cao tốc",
        "UBND tỉnh Thanh Hóa khởi công dự án cao tốc.",
        "",
        dt.date(2024, 3, 1),
    )
    Article.objects.filter(pk=a.pk).update(model_version="old")
    call_command("reanalyse")
    a.refresh_from_db()
    assert a.model_version == expected_version_for_year(2024)
    assert a.about_province is True
