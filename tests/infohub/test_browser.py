"""In the browser: an officer drafts, the head approves, the release is public; the public pages fit a phone."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest

from pressdesk.infohub import services
from pressdesk.infohub.models import PressRelease
from tests.conftest import login
from tests.factories import PASSWORD
from tests.infohub.factories import Body

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session", autouse=True)
def _django_beside_playwright() -> Iterator[None]:
    # Playwright's sync API runs an event loop in this thread; Django's async-safety check would refuse
    # the ORM calls the test makes between page steps.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


def _as(page: Any, live_server: Any, user: Any) -> None:
    page.context.clear_cookies()
    login(page, live_server, user.username, PASSWORD)


def test_officer_drafts_head_approves_release_goes_public(
    live_server: Any, page: Any, transactional_db: Any
) -> None:
    body = Body(name="UBND thành phố Sầm Sơn")
    base = live_server.url

    _as(page, live_server, body.officer)
    page.goto(f"{base}/thong-tin/")
    page.click("text=Soạn thông cáo")
    page.fill("#id_title", "Sầm Sơn khai mạc lễ hội du lịch biển")
    page.fill("#id_summary", "Lễ hội khai mạc tối 29/4.")
    page.fill("#id_body_text", "UBND thành phố Sầm Sơn thông báo lễ hội du lịch biển năm 2024.")
    page.click("form button[type=submit].primary")
    page.wait_for_url("**/thong-tin/thong-cao/*/")
    assert page.inner_text("#release-status") == "Dự thảo"
    page.click("#submit-release")
    page.wait_for_load_state()
    assert page.inner_text("#release-status") == "Chờ thủ trưởng duyệt"
    assert page.locator("#approve-release").count() == 0  # the officer cannot approve

    release = PressRelease.objects.get()
    _as(page, live_server, body.head)
    page.goto(f"{base}/thong-tin/thong-cao/{release.pk}/")
    page.click("#approve-release")
    page.wait_for_load_state()
    assert page.inner_text("#release-status") == "Đã công bố"

    page.context.clear_cookies()
    page.goto(f"{base}/thong-tin/thong-cao/")
    page.click("text=Sầm Sơn khai mạc lễ hội du lịch biển")
    page.wait_for_url(f"**/thong-tin/thong-cao/xem/{release.slug}/")
    assert "UBND thành phố Sầm Sơn thông báo" in page.content()


def test_public_pages_fit_a_375px_phone(live_server: Any, browser: Any, transactional_db: Any) -> None:
    body = Body(name="UBND thành phố Sầm Sơn với một cái tên rất dài để thử xuống dòng trên điện thoại")
    release = services.release_create(
        actor=body.officer,
        body=body.org,
        title="Thông cáo báo chí về kết quả kiểm tra an toàn thực phẩm trong mùa du lịch năm 2024",
        summary="Đoàn liên ngành kiểm tra 126 cơ sở; " + "https://samson.thanhhoa.gov.vn/" + "a" * 60,
        body_text="Nội dung " * 200,
        number="02/TCBC-UBND",
    )
    services.release_submit(release_id=release.pk, actor=body.officer)
    services.release_approve(release_id=release.pk, actor=body.head)
    services.spokesperson_appoint(
        actor=body.head,
        body=body.org,
        person_name="Nguyễn Phương Thảo",
        position="Chánh Văn phòng HĐND và UBND thành phố",
        kind="spokesperson",
        phone="0237 3821 000",
        email="phatngon.thanhpho.samson@samson.example.vn",
        decision_number="125/QĐ-UBND",
        valid_from=dt.date(2020, 1, 1),
    )
    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        for path in (
            "/thong-tin/thong-cao/",
            f"/thong-tin/thong-cao/co-quan/{body.org.pk}/",
            f"/thong-tin/thong-cao/xem/{release.slug}/",
            "/thong-tin/nguoi-phat-ngon/",
        ):
            page.goto(f"{live_server.url}{path}")
            sizes = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert sizes[0] <= sizes[1], (path, sizes)
    finally:
        context.close()
