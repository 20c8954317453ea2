"""The Content-Security-Policy breaks nothing: no violations on the admin, the dashboards (plotly) and
the section pages, in a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session", autouse=True)
def _django_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in this thread; the test database set-up and
    # teardown and the ORM calls here are still synchronous.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


# Pages allowed to trip style-src (never script-src) because a third-party script injects <style>
# elements; empty now that the dashboard ships plotly's base CSS as a static file.
KNOWN_STYLE_INJECTORS: dict[str, str] = {}

ADMIN_PAGES = [
    "/quan-tri/",
    "/quan-tri/accounts/user/",
    "/quan-tri/accounts/user/add/",
    "/quan-tri/accounts/organisation/add/",
    "/quan-tri/core/transitionrecord/",
    "/quan-tri/admin/logentry/",
]


def _watch(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: messages.append(f"page error: {e}"))
    return messages


def _visit(page, messages: list[str], url: str) -> list[str]:
    messages.clear()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return list(messages)


@pytest.mark.django_db(transaction=True)
def test_no_csp_violation_on_admin_and_section_pages(live_server, page):
    user = UserFactory(is_staff=True, is_superuser=True)
    login(page, live_server, user.username, PASSWORD)
    sections = [
        href
        for href in page.eval_on_selector_all("nav.mainnav a", "els => els.map(e => e.getAttribute('href'))")
        if not href.startswith("/quan-tri/")
    ]
    messages = _watch(page)
    problems: dict[str, list[str]] = {}
    for path in ["/", *sections, *ADMIN_PAGES]:
        found = _visit(page, messages, f"{live_server.url}{path}")
        if path in KNOWN_STYLE_INJECTORS:
            found = [m for m in found if "style-src" not in m]
        if found:
            problems[path] = found
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


@pytest.mark.django_db(transaction=True)
def test_dashboard_charts_draw_under_the_csp(live_server, page):
    """Plotly charts come from json_script data and static JS, so they draw without inline scripts."""
    from pressdesk.plans.models import Plan

    Plan.objects.get_or_create(year=2024, defaults={"title": "Kế hoạch tuyên truyền năm 2024"})
    user = UserFactory(is_staff=True, is_superuser=True)
    login(page, live_server, user.username, PASSWORD)
    messages = _visit(page, _watch(page), f"{live_server.url}/bao-cao/")
    charts = page.locator("[data-figure]")
    if charts.count() == 0:
        pytest.skip("the reports dashboard shows no chart for an empty database")
    page.wait_for_selector("[data-figure] .main-svg")
    assert [m for m in messages if "script-src" in m] == []
