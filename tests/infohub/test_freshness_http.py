"""The daily website check through the real SafeFetcher against a feed served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from pressdesk.infohub import services
from pressdesk.infohub.models import BodyWebsite
from tests.infohub.factories import Body

pytestmark = pytest.mark.django_db

ATOM = (
    b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Tin</title>'
    b"<id>urn:x</id><updated>2024-05-30T00:00:00Z</updated>"
    b"<entry><title>A</title><id>urn:a</id><link href='http://127.0.0.1/a'/>"
    b"<updated>2024-05-30T07:00:00Z</updated></entry></feed>"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/rss":
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.send_header("Content-Length", str(len(ATOM)))
            self.end_headers()
            self.wfile.write(ATOM)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_websites_check_all_uses_safe_fetcher(body: Body, feed_server: str, settings: Any) -> None:
    settings.PRESSDESK_FETCH_DELAY = 0
    settings.PRESSDESK_FETCH_ALLOW = ""
    site = services.website_set(actor=body.officer, body=body.org, url=f"http://{feed_server}/rss")
    now = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    # without an allow-list entry the fetcher refuses the loopback address: an error, not a crash
    assert services.websites_check_all(now=now) == {"error": 1}
    site.refresh_from_db()
    assert site.error.startswith("refused_address")
    settings.PRESSDESK_FETCH_ALLOW = feed_server
    assert services.websites_check_all(now=now) == {"fresh": 1}
    site.refresh_from_db()
    assert site.status == BodyWebsite.Status.FRESH
    assert site.last_updated == dt.datetime(2024, 5, 30, 7, 0, tzinfo=dt.UTC)
