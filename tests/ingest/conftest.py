from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ingest.server import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield srv
    srv.close()
