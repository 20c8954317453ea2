"""In the browser: the dashboard draws its plotly charts (offline, under the strict CSP) and the CSV
and report downloads work."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import login
from tests.factories import PASSWORD
from tests.reports.factories import add_articles, add_contract, make_world

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


def test_dashboard_draws_charts_and_downloads_work(
    live_server: Any, page: Any, transactional_db: Any, tmp_path: Any
) -> None:
    w = make_world()
    add_articles(w)
    add_contract(w)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, "viewer", PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/?plan=2024&period=2024-05")
    page.wait_for_selector("#chart-tone.js-plotly-plot")
    assert page.locator(".js-plotly-plot").count() == 5
    assert page.locator("#chart-tone .main-svg").count() >= 1
    assert page.inner_text("#kpi-total") == "7"
    if shot := os.environ.get("PRESSDESK_SHOT"):  # to look at the dashboard by eye
        page.screenshot(path=shot, full_page=True)
    # Every chart has its table: open one.
    page.click("#chart-contracts ~ details summary")
    assert "Báo Trung ương A" in page.inner_text("#table-contracts")
    assert [e for e in errors if "Content Security Policy" in e or "Plotly" in e] == []

    with page.expect_download() as info:
        page.click("a.csv-link[href*='/csv/levels/']")
    csv_path = tmp_path / "levels.csv"
    info.value.save_as(csv_path)
    assert csv_path.read_text(encoding="utf-8-sig").splitlines()[1] == "Báo chí Trung ương,3,0.4286"

    page.select_option("#id_r_format", "xlsx")
    page.click("form[action$='/lap-bao-cao/'] button[type=submit]")
    page.wait_for_selector("a.report-download")
    with page.expect_download() as info:
        page.click("a.report-download")
    xlsx_path = tmp_path / "report.xlsx"
    info.value.save_as(xlsx_path)
    assert load_workbook(xlsx_path)["Cấp báo chí"]["B2"].value == 3
