"""From a local feed to a routed alert with the real ingestion, analysis and alert rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from pressdesk.accounts.models import OrgKind, Role
from pressdesk.core.scheduler import collect_jobs
from pressdesk.monitoring import services as monitoring
from pressdesk.monitoring.models import Article
from pressdesk.watch import schedule
from pressdesk.watch.models import Alert, AlertRule
from pressdesk.watch.selectors import alerts_visible_to
from tests.factories import OrganisationFactory, OutletFactory
from tests.ingest.pages import article_page, rss
from tests.ingest.server import LocalServer

pytestmark = pytest.mark.django_db

NEGATIVE = (
    "Du khách tố bị chặt chém, ép giá tại bãi biển Sầm Sơn",
    "Nhiều du khách phản ánh bị ép giá, chặt chém khi ăn hải sản tại TP Sầm Sơn, tỉnh Thanh Hóa.",
    "\n".join(
        [
            "Ngày 12/7, nhiều du khách đến TP Sầm Sơn, tỉnh Thanh Hóa phản ánh bị chặt chém, ép giá khi ăn hải sản.",
            "Một nhóm khách từ Hà Nội cho biết bữa ăn bị tính gấp ba lần giá niêm yết, thái độ nhân viên gay gắt.",
            "Sự việc gây bức xúc trên mạng xã hội, ảnh hưởng xấu đến hình ảnh du lịch Sầm Sơn.",
            "UBND TP Sầm Sơn đã yêu cầu kiểm tra, xử lý nghiêm các cơ sở vi phạm, trả lại tiền cho du khách.",
        ]
    ),
)


@pytest.fixture
def server(settings: Any) -> Any:
    srv = LocalServer()
    settings.PRESSDESK_FETCH_ALLOW = f"127.0.0.1:{srv.port}"
    settings.PRESSDESK_FETCH_DELAY = 0
    monitoring.reset_fetcher()
    yield srv
    monitoring.reset_fetcher()
    srv.close()


def test_negative_story_in_a_feed_becomes_an_alert_routed_to_its_locality(
    server: Any, make_user: Any
) -> None:
    samson = OrganisationFactory(name="UBND TP Sầm Sơn", kind=OrgKind.LOCALITY, admin_unit_code="382")
    other = OrganisationFactory(name="UBND thị xã Nghi Sơn", kind=OrgKind.LOCALITY, admin_unit_code="394")
    AlertRule.objects.create(
        name="Tin tiêu cực về tỉnh", kind=AlertRule.Kind.NEGATIVE_TONE, severity="high", deadline_hours=24
    )
    title, lead, body = NEGATIVE
    server.add(
        "/du-lich/ep-gia-sam-son-123.html",
        article_page(title=title, lead=lead, body=body, published="2024-07-12T09:00:00+07:00"),
    )
    server.add(
        "/rss.xml",
        rss([(server.url("/du-lich/ep-gia-sam-son-123.html"), title)]),
        content_type="application/rss+xml",
    )
    source = monitoring.source_add(outlet=OutletFactory(), url=server.url("/rss.xml"), kind="feed")

    outcome = monitoring.ingest_source(source_id=source.pk)  # stores and analyses
    assert outcome.new == 1
    article = Article.objects.get()
    assert article.analysed_at is not None and article.tone == "negative" and article.about_province

    schedule.evaluate_new_articles()  # the embedded job that runs every EVALUATE_SECONDS
    alert = Alert.objects.get()
    assert alert.body == samson and article in alert.articles.all()
    assert alert.deadline > timezone.now()
    assert list(alerts_visible_to(make_user(Role.BODY_OFFICER, samson))) == [alert]
    assert list(alerts_visible_to(make_user(Role.BODY_OFFICER, other))) == []


def test_the_alert_job_runs_often_enough_for_an_alert_within_a_minute() -> None:
    periods = {job.__name__: seconds for seconds, job in collect_jobs()}
    assert periods["evaluate_new_articles"] <= 30  # stored article → routed alert well under 60 s


def test_place_codes_give_the_bare_administrative_codes_too() -> None:
    from pressdesk.watch.services import place_codes

    assert place_codes(["xa2025:14758", "dist:382", "lm:bien-sam-son", "dist:382"]) == [
        "xa2025:14758",
        "14758",
        "dist:382",
        "382",
        "lm:bien-sam-son",
    ]


def test_search_by_an_old_district_finds_articles_naming_one_of_its_communes(
    client: Any, make_user: Any
) -> None:
    from pressdesk.watch.search import search_catch_up
    from tests.watch.factories import make_article

    commune = make_article("Phường Hàm Rồng khánh thành nhà văn hóa", places=[("xa:14755", "Hàm Rồng")])
    make_article("Sầm Sơn đón khách", places=[("dist:382", "Sầm Sơn")])
    search_catch_up()
    client.force_login(make_user(Role.MONITOR))
    page = client.get("/canh-bao/", {"place": "dist:380"}).content.decode()
    assert commune.title in page and "Sầm Sơn đón khách" not in page
    assert '<option value="dist:380" selected>Thành phố Thanh Hóa</option>' in page
