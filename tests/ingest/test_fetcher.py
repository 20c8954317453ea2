"""SafeFetcher: address policy (SSRF), DNS rebinding, limits, redirects, robots, conditional requests."""

from __future__ import annotations

import gzip
import resource
import socket
import time
from typing import Any

import pytest

from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.fetcher import AllowList, SafeFetcher, address_refusal
from tests.ingest.server import LocalServer


def make(server: LocalServer | None = None, **kwargs: Any) -> SafeFetcher:
    allow = f"127.0.0.1:{server.port}" if server else ""
    options: dict[str, Any] = {
        "allow": allow,
        "delay": 0,
        "timeout": 5.0,
        "connect_timeout": 2.0,
        "max_bytes": 200_000,
        "retries": 0,
    }
    options.update(kwargs)
    return SafeFetcher(**options)


def reason(call: Any) -> str:
    with pytest.raises(FetchError) as info:
        call()
    return info.value.reason


REFUSED = [
    "127.0.0.1",
    "127.1.2.3",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",  # noqa: S104
    "100.64.0.1",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
]


@pytest.mark.parametrize("address", REFUSED)
def test_every_private_kind_of_address_is_refused(address: str) -> None:
    assert address_refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert address_refusal(address) is None


@pytest.mark.parametrize("address", REFUSED)
def test_dns_answering_a_private_address_is_refused_before_connecting(address: str) -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return [address]

    fetcher = make(resolver=resolver, respect_robots=False)
    assert reason(lambda: fetcher.fetch("http://news.example.test/a.html")) == "refused_address"
    assert calls == ["news.example.test"]
    assert fetcher.connected == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "http://[::1]:9/x",
        "http://10.0.0.1/x",
        "http://[::ffff:127.0.0.1]:9/x",
        "http://0.0.0.0:9/x",
        "http://169.254.169.254/latest",
    ],
)
def test_literal_private_addresses_in_urls_are_refused(url: str) -> None:
    fetcher = make(respect_robots=False)
    assert reason(lambda: fetcher.fetch(url)) == "refused_address"
    assert fetcher.connected == []


def test_allow_list_parses_host_port_and_cidr() -> None:
    allow = AllowList.parse("127.0.0.1:8080, 10.0.0.0/8 ,intranet.local:443,[::1]:9000")
    assert allow.allows("127.0.0.1", "127.0.0.1", 8080)
    assert not allow.allows("127.0.0.1", "127.0.0.1", 8081)
    assert allow.allows("x", "10.9.8.7", 1)
    assert allow.allows("intranet.local", "192.168.1.5", 443)
    assert allow.allows("::1", "::1", 9000)
    with pytest.raises(ValueError):
        AllowList.parse("nonsense")


def test_allowed_local_server_is_fetched(server: LocalServer) -> None:
    server.add("/ok", "<p>xin chào</p>")
    result = make(server).fetch(server.url("/ok"))
    assert result.status == 200 and result.content == "<p>xin chào</p>".encode()


def test_redirect_to_a_private_address_is_refused(server: LocalServer) -> None:
    server.add("/go", b"", status=302, headers={"Location": "http://10.0.0.1/admin"})
    fetcher = make(server)
    assert reason(lambda: fetcher.fetch(server.url("/go"))) == "refused_address"


def test_redirect_to_another_port_on_loopback_is_refused(server: LocalServer) -> None:
    server.add("/go", b"", status=301, headers={"Location": "http://127.0.0.1:6379/"})
    assert reason(lambda: make(server).fetch(server.url("/go"))) == "refused_address"


def test_dns_rebinding_cannot_redirect_the_connection(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The resolver answers the allowed address first, a private one afterwards. We resolve once per
    connection and connect to that very address; the system resolver is never asked again."""
    answers = ["127.0.0.1", "10.0.0.1", "10.0.0.1"]
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return [answers[min(len(calls) - 1, len(answers) - 1)]]

    real_getaddrinfo = socket.getaddrinfo

    def rebinding_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host == "news.rebind.test":
            return real_getaddrinfo("10.0.0.1", *args, **kwargs)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    server.add("/a", "first")
    server.add("/b", "second")
    fetcher = SafeFetcher(
        allow=f"news.rebind.test:{server.port}", resolver=resolver, delay=0, respect_robots=False, timeout=5
    )
    assert fetcher.fetch(f"http://news.rebind.test:{server.port}/a").content == b"first"
    # Same connection is reused (keep-alive): no new resolution, still the vetted address.
    assert fetcher.fetch(f"http://news.rebind.test:{server.port}/b").content == b"second"
    assert calls == ["news.rebind.test"]
    assert fetcher.connected == [("news.rebind.test", "127.0.0.1", server.port)]
    assert [path for path, _ in server.hits] == ["/a", "/b"]
    assert server.hits[0][1]["host"] == f"news.rebind.test:{server.port}"
    # A fresh connection resolves again and gets the private answer: refused, never connected.
    fresh = SafeFetcher(allow="", resolver=resolver, delay=0, respect_robots=False, timeout=5)
    assert reason(lambda: fresh.fetch(f"http://news.rebind.test:{server.port}/a")) == "refused_address"
    assert fresh.connected == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x/", "javascript:alert(1)"]
)
def test_only_http_and_https(url: str) -> None:
    assert reason(lambda: make().fetch(url)) == "bad_scheme"


def test_redirect_to_file_scheme_is_refused(server: LocalServer) -> None:
    server.add("/go", b"", status=302, headers={"Location": "file:///etc/passwd"})
    assert reason(lambda: make(server).fetch(server.url("/go"))) == "bad_scheme"


def test_redirect_loop(server: LocalServer) -> None:
    server.add("/a", b"", status=302, headers={"Location": "/b"})
    server.add("/b", b"", status=302, headers={"Location": "/a"})
    assert reason(lambda: make(server).fetch(server.url("/a"))) == "redirect_loop"


def test_too_many_redirects(server: LocalServer) -> None:
    for i in range(10):
        server.add(f"/r{i}", b"", status=302, headers={"Location": f"/r{i + 1}"})
    assert reason(lambda: make(server, max_redirects=3).fetch(server.url("/r0"))) == "too_many_redirects"


def test_redirects_are_followed_within_the_bound(server: LocalServer) -> None:
    server.add("/old", b"", status=301, headers={"Location": "/new"})
    server.add("/new", "moved here")
    result = make(server).fetch(server.url("/old"))
    assert result.url == server.url("/new") and result.content == b"moved here"


def test_huge_declared_body_is_refused(server: LocalServer) -> None:
    server.add("/big", b"x" * 300_000)
    assert reason(lambda: make(server).fetch(server.url("/big"))) == "too_large"


def test_endless_body_stops_at_the_cap(server: LocalServer) -> None:
    def endless(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"a" * 8192
        try:
            for _ in range(100_000):
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except (BrokenPipeError, ConnectionResetError):
            return

    server.routes["/endless"] = endless
    assert reason(lambda: make(server).fetch(server.url("/endless"))) == "too_large"


def test_gzip_bomb_is_stopped_by_decoded_size(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 300_000
    server.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fetcher = make(server, max_bytes=1_000_000)
    assert reason(lambda: fetcher.fetch(server.url("/bomb"))) == "too_large"
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 100 * 1024  # far from the 200 MiB the bomb would expand to


def test_gzip_body_is_decoded(server: LocalServer) -> None:
    server.add("/gz", gzip.compress("nội dung".encode()), headers={"Content-Encoding": "gzip"})
    assert make(server).fetch(server.url("/gz")).content == "nội dung".encode()


def test_slow_server_times_out(server: LocalServer) -> None:
    def slow(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            for _ in range(100):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            return

    server.routes["/slow"] = slow
    error_reason = reason(lambda: make(server, timeout=1.0).fetch(server.url("/slow")))
    assert error_reason == "timeout"


def test_server_that_never_answers_times_out(server: LocalServer) -> None:
    server.routes["/hang"] = lambda handler: time.sleep(3)
    with pytest.raises(FetchError) as info:
        make(server, timeout=1.0).fetch(server.url("/hang"))
    assert info.value.reason == "timeout" and info.value.retryable


def test_robots_txt_is_respected_and_cached(server: LocalServer) -> None:
    server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.add("/public/a", "ok")
    fetcher = make(server, respect_robots=True)
    assert fetcher.fetch(server.url("/public/a")).content == b"ok"
    assert reason(lambda: fetcher.fetch(server.url("/private/b"))) == "robots"
    fetcher.fetch(server.url("/public/a"))
    assert server.paths_hit().count("/robots.txt") == 1
    assert "/private/b" not in server.paths_hit()


def test_conditional_request_gives_not_modified(server: LocalServer) -> None:
    def conditional(handler: Any) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        body = b"<rss/>"
        handler.send_response(200)
        handler.send_header("ETag", '"v1"')
        handler.send_header("Last-Modified", "Tue, 01 Oct 2024 10:00:00 GMT")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server.routes["/feed"] = conditional
    fetcher = make(server)
    first = fetcher.fetch(server.url("/feed"))
    assert first.etag == '"v1"' and first.last_modified.startswith("Tue")
    assert reason(lambda: fetcher.fetch(server.url("/feed"), etag=first.etag)) == "not_modified"
    assert server.hits[-1][1]["if-none-match"] == '"v1"'


def test_backoff_honours_retry_after_then_succeeds(server: LocalServer) -> None:
    state = {"n": 0}

    def flaky(handler: Any) -> None:
        state["n"] += 1
        if state["n"] == 1:
            handler.send_response(429)
            handler.send_header("Retry-After", "7")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")

    server.routes["/flaky"] = flaky
    slept: list[float] = []
    fetcher = make(server, retries=2, sleep=slept.append, timeout=30, max_backoff=10)
    assert fetcher.fetch(server.url("/flaky")).content == b"ok"
    assert slept == [7.0]


def test_retry_after_is_bounded(server: LocalServer) -> None:
    server.add("/busy", b"", status=503, headers={"Retry-After": "86400"})
    slept: list[float] = []
    fetcher = make(server, retries=1, sleep=slept.append, timeout=30, max_backoff=3)
    with pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/busy"))
    assert info.value.reason == "http_status" and info.value.retryable and info.value.status == 503
    assert slept == [3.0]


def test_client_errors_are_not_retried(server: LocalServer) -> None:
    server.add("/gone", b"gone", status=410)
    with pytest.raises(FetchError) as info:
        make(server, retries=3).fetch(server.url("/gone"))
    assert (info.value.reason, info.value.retryable, info.value.status) == ("http_status", False, 410)
    assert server.paths_hit().count("/gone") == 1


def test_politeness_delay_spaces_requests_to_one_host(server: LocalServer) -> None:
    server.add("/p", "x")
    slept: list[float] = []
    fetcher = make(server, delay=2.0, sleep=slept.append, respect_robots=False)
    fetcher.fetch(server.url("/p"))
    fetcher.fetch(server.url("/p"))
    assert len(slept) == 1 and 1.0 < slept[0] <= 2.0
