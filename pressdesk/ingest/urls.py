"""Canonical URLs: the key that keeps each article once.

Two addresses that show the same article must give the same string: scheme and host lower-case,
default port dropped, fragment dropped, tracking parameters removed, query sorted, AMP variants folded.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import (
    parse_qsl,
    quote_from_bytes,
    unquote_to_bytes,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "zarsrc",
        "zarsrc_id",
        "cmpid",
        "ito",
        "amp",
        "vn_source",
        "vn_medium",
        "vn_campaign",
        "vnn_source",
        "vnn_medium",
        "vnn_campaign",
        "gidzl",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "oly_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_AMP_SUFFIX = re.compile(r"\.amp(?=(\.html?|$))|(?<=\.html)\.amp$", re.IGNORECASE)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical form of an absolute http(s) URL; other strings are returned stripped.

    Never raises: text that does not parse as an http(s) URL with a host (a broken IPv6 literal, a host
    that is invalid under NFKC, no host at all) is not a URL and comes back stripped. Idempotent:
    canonical_url(canonical_url(u)) == canonical_url(u).
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not hostname:
        return url
    host = hostname.lower().rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    while host.startswith("amp."):
        host = host[4:]
    if not host:
        return url
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    # Path: percent-encoding normalised byte for byte (so %25 stays a literal "%" and invalid UTF-8
    # escapes survive), AMP segments and suffixes removed until none is left, empty path → "/".
    path = quote_from_bytes(unquote_to_bytes(parts.path), safe=_PATH_SAFE)
    while True:
        segments = path.split("/")
        stripped = "/".join(seg for i, seg in enumerate(segments) if i == 0 or seg.lower() != "amp")
        stripped = _AMP_SUFFIX.sub("", stripped)
        if stripped == path:
            break
        path = stripped
    path = re.sub(r"/{2,}", "/", path) or "/"
    query_items = [
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(key)
    ]
    query = urlencode(sorted(query_items), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def same_site(a: str, b: str) -> bool:
    """True when both URLs belong to the same registrable-ish site (host equal up to a leading www./m./amp.)."""
    return site_key(a) == site_key(b) and site_key(a) != ""


def site_key(url: str) -> str:
    """The host without a leading www./m./amp.; "" for text that has no host or does not parse."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    return host


def resolve_canonical(page_url: str, declared: str | None) -> str:
    """The page's rel=canonical when it is an http(s) URL on the same site, else the page URL; canonicalised."""
    if declared:
        try:
            candidate = urljoin(page_url, declared.strip())
            usable = urlsplit(candidate).scheme in ("http", "https") and same_site(candidate, page_url)
        except ValueError:  # a broken declaration (e.g. "http://[::1") is ignored like a foreign one
            usable = False
        if usable:
            return canonical_url(candidate)
    return canonical_url(page_url)
