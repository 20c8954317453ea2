from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pressdesk.monitoring import services
from tests.ingest.server import LocalServer


@pytest.fixture
def server(settings: Any) -> Iterator[LocalServer]:
    """A local site the fetcher may reach (PRESSDESK_FETCH_ALLOW names its port), no politeness delay."""
    srv = LocalServer()
    settings.PRESSDESK_FETCH_ALLOW = f"127.0.0.1:{srv.port}"
    settings.PRESSDESK_FETCH_DELAY = 0
    settings.PRESSDESK_FETCH_TIMEOUT = 5
    services.reset_fetcher()
    yield srv
    services.reset_fetcher()
    srv.close()
