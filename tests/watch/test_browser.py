"""Browser tests: a monitor searches without diacritics and filters by area; an officer answers and
closes its alert; an officer of another locality cannot see it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from pressdesk.accounts.models import OrgKind, Role
from pressdesk.monitoring.models import Mention
from pressdesk.plans.models import ContentArea, Plan
from pressdesk.watch.models import Alert, AlertRule
from pressdesk.watch.services import alerts_evaluate
from tests.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, OutletFactory
from tests.watch.factories import make_article


@pytest.fixture(scope="session", autouse=True)
def _django_beside_playwright() -> Iterator[None]:
    # Playwright's sync API runs an event loop in this thread; allow the ORM calls between steps.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_monitor_searches_without_diacritics_and_filters_by_area(
    live_server: Any, page: Any, make_user: Any
) -> None:
    monitor = make_user(Role.MONITOR)
    outlet = OutletFactory(name="Báo Thanh Hóa")
    plan = Plan.objects.create(year=2024, title="Kế hoạch")
    area = ContentArea.objects.create(plan=plan, number=4, title="Văn hóa, du lịch")
    tourism = make_article("Thanh Hóa đón 1 triệu lượt khách du lịch", "Sầm Sơn đông vui.", outlet=outlet)
    other = make_article("Thanh Hoá khởi công cao tốc", "Giao thông.", outlet=outlet)
    Mention.objects.create(article=tourism, plan=plan, area=area)
    login(page, live_server, monitor.username, PASSWORD)
    page.goto(f"{live_server.url}/canh-bao/")
    page.fill("input[name=q]", "thanh hoa")
    page.click("#search-form button[type=submit]")
    page.wait_for_selector(".result")
    text = page.inner_text("ol.results")
    assert tourism.title in text and other.title in text
    page.select_option("select[name=area]", "4")
    page.click("#search-form button[type=submit]")
    page.wait_for_url("**area=4**")
    text = page.inner_text("ol.results")
    assert tourism.title in text and other.title not in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_answers_its_alert_and_other_locality_cannot_see_it(
    live_server: Any, page: Any, make_user: Any
) -> None:
    samson = OrganisationFactory(name="UBND TP Sầm Sơn", kind=OrgKind.LOCALITY, admin_unit_code="382")
    nghison = OrganisationFactory(name="UBND TX Nghi Sơn", kind=OrgKind.LOCALITY, admin_unit_code="394")
    officer = make_user(Role.BODY_OFFICER, samson)
    stranger = make_user(Role.BODY_OFFICER, nghison)
    AlertRule.objects.create(name="Tiêu cực về tỉnh", kind=AlertRule.Kind.NEGATIVE_TONE)
    article = make_article(
        "Du khách phản ánh bị chặt chém ở Sầm Sơn",
        places=[("382", "Sầm Sơn")],
        tone="negative",
        about_province=True,
        analysed_at=timezone.now(),
    )
    (alert,) = alerts_evaluate([article.pk])

    login(page, live_server, stranger.username, PASSWORD)
    page.goto(f"{live_server.url}/canh-bao/canh-bao/")
    assert article.title not in page.inner_text("main")
    response = page.goto(f"{live_server.url}/canh-bao/canh-bao/{alert.pk}/")
    assert response.status == 404
    page.context.clear_cookies()

    login(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/canh-bao/canh-bao/")
    page.click(f"text={article.title}")
    page.select_option("#answer-form select[name=kind]", "rebuttal")
    page.fill("#answer-form textarea[name=text]", "UBND thành phố đã kiểm tra và đăng tin phản hồi.")
    page.fill("#answer-form input[name=link_url]", "https://samson.thanhhoa.gov.vn/tin/1")
    page.click("#answer-form button[type=submit]")
    page.click("#close-alert")
    page.wait_for_selector("text=Đã đóng cảnh báo.")
    assert "Đã đóng" in page.inner_text("#alert-status")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.CLOSED
