"""Properties of the URL canonicaliser on hostile input: idempotent, lower-case, no tracking, never raises."""

from __future__ import annotations

from urllib.parse import SplitResult, parse_qsl, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from pressdesk.ingest.urls import _is_tracking, canonical_url, resolve_canonical, same_site, site_key
from tests.fuzz.profile import FUZZ
from tests.fuzz.strategies import ANY_URL, url_texts


def _http_parts(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    # What canonical_url itself takes for a URL: an http(s) scheme and a host that is more than dots.
    return parts if parts.scheme in ("http", "https") and (parts.hostname or "").strip(".") else None


@FUZZ
@given(ANY_URL)
def test_canonical_url_is_idempotent_and_never_raises(url: str) -> None:
    once = canonical_url(url)
    assert isinstance(once, str)
    assert canonical_url(once) == once


@FUZZ
@given(url_texts())
def test_canonical_http_url_is_lower_case_without_fragment_or_tracking(url: str) -> None:
    result = canonical_url(url)
    parts = _http_parts(result)
    if parts is None:
        # Not an http(s) URL (or not a parseable one): returned stripped, unchanged.
        assert result == url.strip()
        return
    assert result.startswith(parts.scheme + "://")
    assert parts.scheme == parts.scheme.lower()
    assert parts.hostname and not parts.hostname.startswith("amp.")
    netloc = result.split("://", 1)[1].split("/", 1)[0]
    assert netloc == netloc.lower()
    assert "#" not in result
    keys = [key for key, _value in parse_qsl(parts.query, keep_blank_values=True)]
    assert not any(_is_tracking(key) for key in keys)
    assert keys == sorted(keys)
    assert parts.path.startswith("/") and "//" not in parts.path


@FUZZ
@given(url_texts(), st.sampled_from(["utm_source=fb", "fbclid=IwAR0", "zarsrc=30", "gidzl=x&_ga=1"]))
def test_adding_tracking_parameters_does_not_change_the_key(url: str, tracking: str) -> None:
    base = canonical_url(url)
    parts = _http_parts(base)
    if parts is None:
        return
    tracked = f"{base}{'&' if parts.query else '?'}{tracking}"
    assert canonical_url(tracked) == base


@FUZZ
@given(ANY_URL, st.one_of(st.none(), ANY_URL, st.sampled_from(["/bai-1.html", "//amp.x.vn/y", "  "])))
def test_resolve_canonical_never_raises_and_gives_a_canonical_key(
    page_url: str, declared: str | None
) -> None:
    result = resolve_canonical(page_url, declared)
    assert canonical_url(result) == result


@FUZZ
@given(ANY_URL, ANY_URL)
def test_same_site_is_symmetric_and_never_raises(a: str, b: str) -> None:
    assert same_site(a, b) == same_site(b, a)
    assert isinstance(site_key(a), str)
