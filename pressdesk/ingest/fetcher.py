"""SafeFetcher: everything PressDesk downloads goes through here (feeds, pages, URLs users paste).

Why it is built this way:
- SSRF: the hostname is resolved by us, every address is vetted, and the TCP connection is opened to
  the vetted address inside the same call (a custom httpcore network backend). There is no second
  DNS lookup between check and connect, so DNS rebinding cannot slip a private address in. TLS still
  uses the hostname for SNI and certificate checks because httpcore passes the hostname on.
- Redirects are followed by hand, each hop re-checked (scheme, robots, address at connect).
- The body is streamed raw and decompressed by us with a bounded output, so the size cap counts
  decoded bytes and a gzip bomb stops at the cap instead of filling memory.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from pressdesk.ingest.errors import FetchError

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses of `host` from the system resolver, in its order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError("connect_error", f"DNS: {host}: {exc}", retryable=True) from exc
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


@dataclass(frozen=True)
class AllowList:
    """Exceptions to the address policy: `host:port` entries or CIDR networks (PRESSDESK_FETCH_ALLOW)."""

    host_ports: frozenset[tuple[str, int]] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, value: str | Iterable[str] | None) -> AllowList:
        if not value:
            return cls()
        items = value.split(",") if isinstance(value, str) else list(value)
        host_ports: set[tuple[str, int]] = set()
        networks: list[IPNetwork] = []
        for raw in items:
            item = raw.strip()
            if not item:
                continue
            if "/" in item:
                networks.append(ipaddress.ip_network(item, strict=False))
                continue
            try:  # a bare address (no port) is a one-address network
                networks.append(ipaddress.ip_network(item.strip("[]")))
                continue
            except ValueError:
                pass
            host, sep, port = item.rpartition(":")
            if not sep or not port.isdigit():
                raise ValueError(f"PRESSDESK_FETCH_ALLOW: '{item}' is neither host:port nor a CIDR")
            host_ports.add((host.strip("[]").lower(), int(port)))
        return cls(frozenset(host_ports), tuple(networks))

    def allows(self, host: str, address: str, port: int) -> bool:
        if (host.lower(), port) in self.host_ports or (address, port) in self.host_ports:
            return True
        ip = ipaddress.ip_address(address)
        return any(ip.version == net.version and ip in net for net in self.networks)


def address_refusal(address: str) -> str | None:
    """Why this address may not be fetched (None when it is a public unicast address)."""
    ip: IPAddress = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return address_refusal(str(mapped))
        if ip.teredo:
            return "teredo"
    for kind in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind
    if not ip.is_global:  # shared address space 100.64/10, documentation ranges, …
        return "not_global"
    return None


class _VettingBackend(httpcore.SyncBackend):
    """Resolves and vets the host, then connects to exactly the vetted address."""

    def __init__(self, fetcher: SafeFetcher) -> None:
        self.fetcher = fetcher

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        address = self.fetcher.vet(host, port)
        self.fetcher.connected.append((host, address, port))
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


class _Stream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _mapped():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _mapped:
    """Turns httpcore's exceptions into classified FetchErrors."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        if exc is None or isinstance(exc, FetchError):
            return None
        if isinstance(exc, httpcore.TimeoutException):
            raise FetchError("timeout", str(exc) or "timeout", retryable=True) from exc
        if isinstance(exc, httpcore.ConnectError | httpcore.ReadError | httpcore.WriteError):
            raise FetchError("connect_error", str(exc), retryable=True) from exc
        if isinstance(exc, httpcore.RemoteProtocolError | httpcore.LocalProtocolError):
            raise FetchError("http_protocol", str(exc), retryable=True) from exc
        if isinstance(exc, httpcore.UnsupportedProtocol):
            raise FetchError("bad_scheme", str(exc)) from exc
        return None


class _PinnedTransport(httpx.BaseTransport):
    def __init__(self, fetcher: SafeFetcher, *, verify: bool = True) -> None:
        import ssl

        context = ssl.create_default_context() if verify else ssl._create_unverified_context()  # noqa: S323
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=32,
            max_keepalive_connections=16,
            keepalive_expiry=30.0,
            network_backend=_VettingBackend(fetcher),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        req = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]
            extensions=request.extensions,
        )
        with _mapped():
            resp = self._pool.handle_request(req)
        return httpx.Response(
            status_code=resp.status,
            headers=resp.headers,
            stream=_Stream(resp.stream),  # type: ignore[arg-type]
            extensions=resp.extensions,
        )

    def close(self) -> None:
        self._pool.close()


@dataclass
class FetchResult:
    url: str  # final URL after redirects
    status: int
    headers: dict[str, str]
    content: bytes
    etag: str = ""
    last_modified: str = ""
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'").lower()
        return None


class SafeFetcher:
    """A polite, bounded, SSRF-safe HTTP client. Thread-safe for use from a few threads."""

    def __init__(
        self,
        *,
        user_agent: str = "PressDesk/0.1",
        connect_timeout: float = 5.0,
        timeout: float = 15.0,
        max_bytes: int = 5 * 1024 * 1024,
        max_redirects: int = 5,
        allow: AllowList | str | None = None,
        resolver: Resolver | None = None,
        delay: float = 1.0,
        respect_robots: bool = True,
        retries: int = 2,
        max_backoff: float = 30.0,
        robots_ttl: float = 3600.0,
        verify: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allow = allow if isinstance(allow, AllowList) else AllowList.parse(allow)
        self.resolver: Resolver = resolver or system_resolver
        self.delay = delay
        self.respect_robots = respect_robots
        self.retries = retries
        self.max_backoff = max_backoff
        self.robots_ttl = robots_ttl
        self.sleep = sleep
        # (host, address, port) of every TCP connection opened: lets tests prove where we connected.
        self.connected: list[tuple[str, str, int]] = []
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
        self._last_hit: dict[str, float] = {}
        self._lock = threading.Lock()
        self._client = httpx.Client(
            transport=_PinnedTransport(self, verify=verify),
            follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    # -- address policy -------------------------------------------------------------------------
    def vet(self, host: str, port: int) -> str:
        """Resolve `host` once and return the first acceptable address, or refuse."""
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
            addresses = [str(literal)]
        except ValueError:
            addresses = self.resolver(host, port)
        if not addresses:
            raise FetchError("connect_error", f"DNS: {host}: no address", retryable=True)
        refusals = []
        for address in addresses:
            why = address_refusal(address)
            if why is None or self.allow.allows(host, address, port):
                return address
            refusals.append(f"{address} ({why})")
        raise FetchError("refused_address", f"{host}:{port} → {', '.join(refusals)}")

    # -- public API -----------------------------------------------------------------------------
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        max_bytes: int | None = None,
        accept: str = "*/*",
    ) -> FetchResult:
        """GET `url` within every limit; raises FetchError (reason 'not_modified' on 304)."""
        limit = max_bytes or self.max_bytes
        deadline = time.monotonic() + self.timeout
        seen: list[str] = []
        current = url
        for _hop in range(self.max_redirects + 1):
            self._check_url(current)
            if current in seen:
                raise FetchError("redirect_loop", " → ".join([*seen, current]))
            seen.append(current)
            if self.respect_robots and not self.robots_allowed(current):
                raise FetchError("robots", f"robots.txt disallows {current}")
            headers = {"Accept": accept}
            if len(seen) == 1:  # validators belong to the URL we stored them for
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
            status, response_headers, content = self._get_with_backoff(current, headers, limit, deadline)
            if status in (301, 302, 303, 307, 308):
                location = response_headers.get("location")
                if not location:
                    raise FetchError("http_status", f"{status} without Location", status=status)
                current = urljoin(current, location.strip())
                continue
            if status == 304:
                raise FetchError("not_modified", current, status=304)
            if status >= 400:
                raise FetchError(
                    "http_status", f"HTTP {status} {current}", status=status, retryable=status >= 500
                )
            return FetchResult(
                url=current,
                status=status,
                headers=response_headers,
                content=content,
                etag=response_headers.get("etag", ""),
                last_modified=response_headers.get("last-modified", ""),
                redirects=seen[:-1],
            )
        raise FetchError("too_many_redirects", f"more than {self.max_redirects}: {' → '.join(seen)}")

    # -- internals ------------------------------------------------------------------------------
    @staticmethod
    def _check_url(url: str) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError as exc:
            raise FetchError("bad_url", url) from exc
        if parts.scheme not in ("http", "https"):
            raise FetchError("bad_scheme", f"{parts.scheme or '(none)'}: {url}")
        if not parts.hostname:
            raise FetchError("bad_url", url)
        if parts.username or parts.password:
            raise FetchError("bad_url", "credentials in URL")

    def _polite(self, host: str) -> None:
        if self.delay <= 0:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._last_hit.get(host, 0.0) + self.delay)
            self._last_hit[host] = start
        if start > now:
            self.sleep(start - now)

    def _get_with_backoff(
        self, url: str, headers: dict[str, str], limit: int, deadline: float
    ) -> tuple[int, dict[str, str], bytes]:
        attempt = 0
        while True:
            status, response_headers, content = self._get_once(url, headers, limit, deadline)
            if status != 429 and status < 500:
                return status, response_headers, content
            if attempt >= self.retries:
                raise FetchError(
                    "http_status",
                    f"HTTP {status} {url} after {attempt + 1} tries",
                    status=status,
                    retryable=True,
                )
            wait = _retry_after(response_headers.get("retry-after"), default=2.0**attempt)
            wait = min(wait, self.max_backoff)
            if time.monotonic() + wait > deadline:
                raise FetchError(
                    "http_status",
                    f"HTTP {status} {url}: backoff exceeds time limit",
                    status=status,
                    retryable=True,
                )
            self.sleep(wait)
            attempt += 1

    def _get_once(
        self, url: str, headers: dict[str, str], limit: int, deadline: float
    ) -> tuple[int, dict[str, str], bytes]:
        host = urlsplit(url).hostname or ""
        self._polite(host)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", f"total time limit {self.timeout}s", retryable=True)
        timeout = httpx.Timeout(min(remaining, self.timeout), connect=min(self.connect_timeout, remaining))
        try:
            request = self._client.build_request("GET", url, headers=headers, timeout=timeout)
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError("bad_url", url) from exc
        response = self._client.send(request, stream=True)
        try:
            response_headers = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code in (301, 302, 303, 304, 307, 308) or response.status_code >= 400:
                return response.status_code, response_headers, b""
            declared = response_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit and "content-encoding" not in response_headers:
                raise FetchError("too_large", f"Content-Length {declared} > {limit}")
            decoder = _decoder(response_headers.get("content-encoding", ""))
            body = bytearray()
            for chunk in response.iter_raw(65536):
                if time.monotonic() > deadline:
                    raise FetchError("timeout", f"total time limit {self.timeout}s", retryable=True)
                body += decoder(chunk, limit + 1 - len(body))
                if len(body) > limit:
                    raise FetchError("too_large", f"body over {limit} bytes")
            body += decoder(b"", limit + 1 - len(body))
            if len(body) > limit:
                raise FetchError("too_large", f"body over {limit} bytes")
            return response.status_code, response_headers, bytes(body)
        finally:
            response.close()

    def robots_allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        if parts.path in ("/robots.txt",):
            return True
        now = time.monotonic()
        with self._lock:
            cached = self._robots.get(origin)
        if cached is None or now - cached[0] > self.robots_ttl:
            parser: urllib.robotparser.RobotFileParser | None
            try:
                status, _headers, content = self._get_with_backoff(
                    origin + "/robots.txt",
                    {"Accept": "text/plain"},
                    512 * 1024,
                    time.monotonic() + self.timeout,
                )
            except FetchError as exc:
                if exc.reason in ("refused_address", "bad_url", "bad_scheme"):
                    raise
                status, content = 0, b""  # unreachable robots.txt: do not block the site on it
            parser = urllib.robotparser.RobotFileParser()
            if status in (401, 403):
                parser.parse(["User-agent: *", "Disallow: /"])
            elif 200 <= status < 300:
                parser.parse(content.decode("utf-8", "replace").splitlines())
            else:
                parser = None  # 404 and friends: everything allowed
            with self._lock:
                self._robots[origin] = (now, parser)
            cached = (now, parser)
        robots = cached[1]
        return robots is None or robots.can_fetch(self.user_agent, url)


def _retry_after(value: str | None, *, default: float) -> float:
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())


class _BoundedInflater:
    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        # 47: gzip or zlib header, auto-detected; "deflate" is zlib, or raw deflate from some servers.
        self.obj = zlib.decompressobj(47 if encoding != "deflate" else 15)
        self.raw_tried = encoding != "deflate"

    def __call__(self, chunk: bytes, room: int) -> bytes:
        try:
            return self.obj.decompress(self.obj.unconsumed_tail + chunk, max(room, 1))
        except zlib.error as exc:
            if not self.raw_tried:
                self.raw_tried = True
                self.obj = zlib.decompressobj(-15)
                return self(chunk, room)
            raise FetchError("decode_error", f"{self.encoding}: {exc}") from exc


def _decoder(encoding: str) -> Callable[[bytes, int], bytes]:
    """A bounded decompressor: never produces more than `room` bytes per call."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda chunk, room: chunk
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _BoundedInflater(encoding)
    raise FetchError("decode_error", f"unsupported Content-Encoding {encoding}")
