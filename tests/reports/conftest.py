from __future__ import annotations

from typing import Any

import pytest

from tests.reports.factories import RWorld, add_articles, add_contract, make_world


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: Any) -> RWorld:
    w = make_world()
    add_articles(w)
    add_contract(w)
    return w
