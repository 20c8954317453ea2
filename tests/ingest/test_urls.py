from __future__ import annotations

import pytest

from pressdesk.ingest.urls import canonical_url, resolve_canonical, same_site, site_key

CASES = [
    ("HTTPS://WWW.BaoThanhHoa.VN/thoi-su/bai-1.html", "https://www.baothanhhoa.vn/thoi-su/bai-1.html"),
    ("https://baothanhhoa.vn:443/a.html", "https://baothanhhoa.vn/a.html"),
    ("http://baothanhhoa.vn:80/a.html", "http://baothanhhoa.vn/a.html"),
    ("http://baothanhhoa.vn:8080/a.html", "http://baothanhhoa.vn:8080/a.html"),
    ("https://baothanhhoa.vn/a.html#binh-luan", "https://baothanhhoa.vn/a.html"),
    (
        "https://baothanhhoa.vn/a.html?utm_source=fb&utm_medium=social&utm_campaign=x",
        "https://baothanhhoa.vn/a.html",
    ),
    ("https://baothanhhoa.vn/a.html?fbclid=IwAR0abc", "https://baothanhhoa.vn/a.html"),
    ("https://baothanhhoa.vn/a.html?gclid=1&msclkid=2&zarsrc=30&_ga=3", "https://baothanhhoa.vn/a.html"),
    ("https://baothanhhoa.vn/tim?q=thanh+hoa&page=2", "https://baothanhhoa.vn/tim?page=2&q=thanh+hoa"),
    (
        "https://baothanhhoa.vn/tim?page=2&q=thanh+hoa&utm_term=z",
        "https://baothanhhoa.vn/tim?page=2&q=thanh+hoa",
    ),
    ("https://baothanhhoa.vn/amp/thoi-su/bai-1.html", "https://baothanhhoa.vn/thoi-su/bai-1.html"),
    ("https://baothanhhoa.vn/thoi-su/bai-1.amp.html", "https://baothanhhoa.vn/thoi-su/bai-1.html"),
    ("https://baothanhhoa.vn/thoi-su/bai-1.html.amp", "https://baothanhhoa.vn/thoi-su/bai-1.html"),
    ("https://baothanhhoa.vn/thoi-su/bai-1.amp", "https://baothanhhoa.vn/thoi-su/bai-1"),
    ("https://baothanhhoa.vn/thoi-su/bai-1.html?amp", "https://baothanhhoa.vn/thoi-su/bai-1.html"),
    ("https://baothanhhoa.vn/thoi-su/bai-1.html?amp=1", "https://baothanhhoa.vn/thoi-su/bai-1.html"),
    ("https://amp.baothanhhoa.vn/thoi-su/bai-1.html", "https://baothanhhoa.vn/thoi-su/bai-1.html"),
    ("https://baothanhhoa.vn", "https://baothanhhoa.vn/"),
    ("https://baothanhhoa.vn//a//b.html", "https://baothanhhoa.vn/a/b.html"),
    ("https://baothanhhoa.vn/tin%20moi.html", "https://baothanhhoa.vn/tin%20moi.html"),
    ("https://baothanhhoa.vn/tin moi.html", "https://baothanhhoa.vn/tin%20moi.html"),
    ("https://baothanhhoa.vn/ampere-ke.html", "https://baothanhhoa.vn/ampere-ke.html"),
    ("https://baothanhhoa.vn/a.html?id=5&ref=home", "https://baothanhhoa.vn/a.html?id=5"),
    # Found by tests/fuzz: every AMP layer goes at once, and percent-escapes survive byte for byte.
    ("https://amp.amp.baothanhhoa.vn/a.html", "https://baothanhhoa.vn/a.html"),
    ("https://baothanhhoa.vn/bai-1.amp.amp", "https://baothanhhoa.vn/bai-1"),
    ("https://baothanhhoa.vn/x/amp.amp", "https://baothanhhoa.vn/x"),
    ("https://baothanhhoa.vn/100%25-hoan-thanh.html", "https://baothanhhoa.vn/100%25-hoan-thanh.html"),
    ("https://baothanhhoa.vn/100%2525.html", "https://baothanhhoa.vn/100%2525.html"),
    ("https://baothanhhoa.vn/%c3", "https://baothanhhoa.vn/%C3"),
    ("https://baothanhhoa.vn/tin-t%E1%BB%A9c", "https://baothanhhoa.vn/tin-t%E1%BB%A9c"),
    ("https://baothanhhoa.vn/tin-tức", "https://baothanhhoa.vn/tin-t%E1%BB%A9c"),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # idempotent


def test_rel_canonical_honoured_only_on_the_same_site() -> None:
    page = "https://m.baothanhhoa.vn/a.html?utm_source=x"
    assert (
        resolve_canonical(page, "https://baothanhhoa.vn/thoi-su/a.html")
        == "https://baothanhhoa.vn/thoi-su/a.html"
    )
    assert resolve_canonical(page, "/thoi-su/a.html") == "https://m.baothanhhoa.vn/thoi-su/a.html"
    assert resolve_canonical(page, "https://evil.example/a.html") == "https://m.baothanhhoa.vn/a.html"
    assert resolve_canonical(page, "javascript:alert(1)") == "https://m.baothanhhoa.vn/a.html"
    assert resolve_canonical(page, None) == "https://m.baothanhhoa.vn/a.html"


def test_same_site() -> None:
    assert same_site("https://www.nhandan.vn/a", "https://nhandan.vn/b")
    assert not same_site("https://nhandan.vn/a", "https://nhandan.vn.evil.com/b")


@pytest.mark.parametrize(
    "garbage", ["http://[::1", "https://[zz]/a.html", "http://ab\u2100c/", "http://.../", "  x  "]
)
def test_text_that_does_not_parse_as_a_url_comes_back_stripped(garbage: str) -> None:
    # Found by tests/fuzz: these raised ValueError from urllib.parse and stopped a whole feed or page.
    assert canonical_url(f" {garbage} ") == garbage.strip()
    assert site_key(garbage) == "" and not same_site(garbage, garbage)


def test_broken_rel_canonical_is_ignored() -> None:
    page = "https://baothanhhoa.vn/a.html"
    assert resolve_canonical(page, "http://[::1") == page
    assert resolve_canonical(page, "https://[zz]/a.html") == page
