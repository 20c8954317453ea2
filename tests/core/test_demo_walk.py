"""Every demonstration account walks the links it is shown: no error, and no link to a page that refuses it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from pressdesk.accounts.demo import USERS
from pressdesk.accounts.models import User
from pressdesk.core.demo import load_demo

LINK = re.compile(r'href="(/[^"#]*)"')
# Not pages to walk: files, feeds, the admin (its own test), the API, logging out.
SKIP = re.compile(r"^/(static|quan-tri|api|dang-xuat)/|/tai-ve/|/tep/|\.(xml|js|csv|css)$|/csv/")
PAGES_PER_USER = 150


@pytest.fixture
def demo(db: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()


@pytest.mark.parametrize("username", [u[0] for u in USERS])
def test_every_link_shown_opens(demo: None, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    seen: set[str] = set()
    todo: list[tuple[str, str]] = [("/", "")]
    problems: list[str] = []
    while todo and len(seen) < PAGES_PER_USER:
        url, referrer = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            problems.append(f"{url} (linked from {referrer}): {response.status_code}")
            continue
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for href in LINK.findall(response.content.decode()):
                href = href.replace("&amp;", "&")
                if not SKIP.search(href) and href not in seen:
                    todo.append((href, url))
    assert len(seen) > 10, f"{username} sees almost nothing: {sorted(seen)}"
    assert problems == []
