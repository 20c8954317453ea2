"""Canonical URLs: the key that keeps each article once.

Two addresses that show the same article must give the same string: scheme and host lower-case,
default port dropped, fragment dropped, tracking parameters removed, query sorted, AMP variants folded.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

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
_AMP_SUFFIX = re.compile(r"\.amp(?=(\.html?|$))|(?<=\.html)\.amp$", re.IGNORECASE)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical form of an absolute http(s) URL; other strings are returned stripped."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    if host.startswith("amp."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    # Path: normalised percent-encoding, AMP segment and suffix removed, empty path → "/".
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%")
    segments = [seg for seg in path.split("/")]
    if "amp" in segments[1:]:
        segments = [seg for i, seg in enumerate(segments) if not (i > 0 and seg.lower() == "amp")]
        path = "/".join(segments)
    path = _AMP_SUFFIX.sub("", path)
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
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    return host


def resolve_canonical(page_url: str, declared: str | None) -> str:
    """The page's rel=canonical when it is an http(s) URL on the same site, else the page URL; canonicalised."""
    if declared:
        candidate = urljoin(page_url, declared.strip())
        if urlsplit(candidate).scheme in ("http", "https") and same_site(candidate, page_url):
            return canonical_url(candidate)
    return canonical_url(page_url)
