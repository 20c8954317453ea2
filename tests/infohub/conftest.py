from typing import Any

import pytest

from tests.infohub.factories import body, other_body  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Argon2 makes every factory user cost ~0.5 s; these tests are about the information hub, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
