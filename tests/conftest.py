"""Shared fixtures: the persona matrix's organisations and users, and a browser for the browser tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

SHARED = Path(__file__).resolve().parents[2] / "shared"
PLAN_2024 = (
    Path(__file__).resolve().parents[1] / "pressdesk" / "plans" / "data" / "ke-hoach-tuyen-truyen-2024.txt"
)


@pytest.fixture
def make_user(db: Any):
    """make_user(role, organisation=None, kind=None) → a user with that one active role."""

    def _make(role: str, organisation: Any = None, **org_kwargs: Any) -> Any:
        org = organisation or OrganisationFactory(**org_kwargs)
        user = UserFactory()
        MembershipFactory(user=user, organisation=org, role=role)
        return user

    return _make


@pytest.fixture
def corpus_path() -> Path:
    path = SHARED / "corpus" / "baomoi-2017.jsonl.xz"
    if not path.exists():
        pytest.skip(f"benchmark corpus not present at {path}")
    return path


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright for Python (never a downloaded browser)."""
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(executable) and not Path(executable).exists():
        pytest.fail(f"chromium not found at {executable}: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    """Log in through the real login page."""
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Every test starts with an empty cache (rate limits count in it)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
