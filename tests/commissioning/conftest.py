from __future__ import annotations

from typing import Any

import pytest

from tests.commissioning.factories import World, make_world


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    # The production hasher (Argon2) makes each test user cost a noticeable fraction of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: Any) -> World:
    return make_world()
