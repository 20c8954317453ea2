"""In the browser: the plan editor opens the plan, edits a topic and sees the change and its history."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from pressdesk.plans.models import Plan, Topic
from tests.conftest import login
from tests.factories import PASSWORD


@pytest.fixture(scope="session", autouse=True)
def _django_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in this thread; Django's async-safety check
    # would otherwise refuse the ORM calls made between page steps.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_plan_editor_edits_a_topic_in_the_browser(
    live_server: Any, page: Any, plan_2024: Plan, editor: Any
) -> None:
    login(page, live_server, editor.username, PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/")
    page.click("text=2024")
    page.wait_for_url("**/ke-hoach/2024/")
    assert "Kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ" in page.inner_text("#calendar")
    topic = Topic.objects.get(area__plan=plan_2024, area__number=3, order=2)
    page.click(f"li[data-topic='{topic.pk}'] a")
    page.wait_for_url(f"**/ke-hoach/noi-dung/{topic.pk}/")
    page.fill("#id_text", "Hiệu quả xúc tiến đầu tư với đối tác Nhật Bản, Hàn Quốc.")
    page.fill("#id_keywords", "xúc tiến đầu tư, FDI")
    page.fill("#id_target_count", "8")
    page.click("#topic-form button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#topic-text") == "Hiệu quả xúc tiến đầu tư với đối tác Nhật Bản, Hàn Quốc."
    assert page.inner_text("#topic-keywords") == "xúc tiến đầu tư, FDI"
    assert page.inner_text("#topic-target") == "8"
    assert page.locator("#history .history-row[data-action='topic_update']").count() == 1
    page.goto(f"{live_server.url}/ke-hoach/2024/")
    assert "Hiệu quả xúc tiến đầu tư với đối tác Nhật Bản" in page.inner_text("#areas")
    topic.refresh_from_db()
    assert (topic.keywords, topic.target_count) == (["xúc tiến đầu tư", "FDI"], 8)
