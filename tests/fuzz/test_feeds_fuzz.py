"""Properties of the feed, sitemap and listing-page readers: entries, or FetchError with a named reason."""

from __future__ import annotations

import gzip
import re
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.feeds import parse_feed
from pressdesk.ingest.listing import extract_links, looks_like_article
from pressdesk.ingest.sitemaps import parse_sitemap, walk_sitemap
from pressdesk.ingest.urls import canonical_url, same_site
from tests.fuzz.profile import FUZZ
from tests.fuzz.strategies import ANY_URL, VIETNAMESE, url_texts

BASE = "https://baothanhhoa.vn/rss/thoi-su.rss"
FEED_REASONS = {"not_a_feed", "malformed_xml"}
SITEMAP_REASONS = {"not_a_feed", "malformed_xml", "decode_error", "too_large"}

# Where a feed was fetched from: the fetcher only ever passes a URL it could request.
PAGE_URL = st.sampled_from(
    [
        BASE,
        "https://baothanhhoa.vn/",
        "http://baothanhhoa.vn:8080/rss/a.rss",
        "https://amp.baothanhhoa.vn/rss",
    ]
)
GOOD_LINK = st.builds(
    lambda slug, n: f"https://baothanhhoa.vn/thoi-su/{slug}-{n}.html",
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10),
    st.integers(1000, 99_999_999),
)
LINK = st.one_of(GOOD_LINK, ANY_URL, st.sampled_from(["/tin-hai-1002.html", "", "  ", "javascript:x()"]))
DATE = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "Tue, 01 Oct 2024 08:30:00 +0700",
            "2024-10-01T01:00:00Z",
            "Mon, 31 Dec 9999 23:59:59 -1200",
            "Thu, 01 Jan 0001 00:00:00 +1400",
            "2024-02-30",
            "hôm qua",
        ]
    ),
    st.text(max_size=20),
)
# Pieces of hostile XML: entities, doctype, CDATA, stray bytes, unclosed tags.
XML_NOISE = st.sampled_from(
    [
        b"<!DOCTYPE x [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]>",
        b'<!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        b"&b;",
        b"&x;",
        b"<![CDATA[<p>x</p>]]>",
        b"\x00",
        b"\xff\xfe",
        b"<item>",
        b"</channel>",
        b"<?xml version='1.0' encoding='windows-1258'?>",
        b"<?xml version='1.0' encoding='base64'?>",
    ]
)


def _xml(text: str, quote: bool = False) -> str:
    """Text escaped for XML 1.0: characters XML cannot carry at all (controls, surrogates) dropped."""
    return escape(_xml_text(text), {'"': "&quot;"} if quote else {})


def _xml_text(text: str) -> str:
    """What an XML parser reads back: the characters XML can carry, line ends as "\\n"."""
    allowed = "".join(ch for ch in text if _XML_CHAR.match(ch))
    return allowed.replace("\r\n", "\n").replace("\r", "\n")


_XML_CHAR = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _rss(items: list[tuple[str, str, str | None]]) -> bytes:
    body = "".join(
        f"<item><title>{_xml(title)}</title><link>{_xml(link)}</link>"
        + (f"<pubDate>{_xml(date)}</pubDate>" if date is not None else "")
        + "</item>"
        for title, link, date in items
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


def _atom(items: list[tuple[str, str, str | None]]) -> bytes:
    body = "".join(
        f'<entry><title>{_xml(title)}</title><link href="{_xml(link, quote=True)}"/>'
        + (f"<updated>{_xml(date)}</updated>" if date is not None else "")
        + "</entry>"
        for title, link, date in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{body}</feed>'.encode()


def _parse_feed_or_reason(content: bytes, base: str = BASE) -> list | None:
    try:
        entries = parse_feed(content, base)
    except FetchError as exc:
        assert exc.reason in FEED_REASONS and exc.message
        return None
    for entry in entries:
        assert isinstance(entry.url, str) and entry.url
        assert entry.published is None or entry.published.tzinfo is not None
    return entries


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_give_entries_or_a_named_reason(content: bytes) -> None:
    _parse_feed_or_reason(content)


@FUZZ
@given(st.lists(st.tuples(VIETNAMESE, LINK, DATE), max_size=6), st.sampled_from([_rss, _atom]), PAGE_URL)
def test_generated_feeds_keep_every_good_link_in_order(
    items: list[tuple[str, str, str | None]], render, base: str
) -> None:
    entries = _parse_feed_or_reason(render(items), base)
    assert entries is not None  # well-formed RSS/Atom is never refused
    good = [link for _title, link, _date in items if link.startswith("https://baothanhhoa.vn/thoi-su/")]
    assert [entry.url for entry in entries if entry.url in good] == good


@FUZZ
@given(
    st.lists(st.one_of(XML_NOISE, st.binary(max_size=20)), max_size=6),
    st.lists(st.tuples(VIETNAMESE, LINK, DATE), max_size=3),
)
def test_broken_feeds_give_entries_or_a_named_reason(
    noise: list[bytes], items: list[tuple[str, str, str | None]]
) -> None:
    document = _rss(items)
    cut = len(noise) * 7 % max(len(document), 1)
    _parse_feed_or_reason(b"".join(noise) + document[:cut] + b"".join(reversed(noise)) + document[cut:])


# --- sitemaps -----------------------------------------------------------------------------------------
def _urlset(entries: list[tuple[str, str | None]]) -> bytes:
    body = "".join(
        f"<url><loc>{_xml(loc)}</loc>"
        + (f"<lastmod>{_xml(mod)}</lastmod>" if mod is not None else "")
        + "</url>"
        for loc, mod in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{body}</urlset>"
    ).encode()


def _index(children: list[str]) -> bytes:
    body = "".join(f"<sitemap><loc>{_xml(child)}</loc></sitemap>" for child in children)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'.encode()


def _parse_sitemap_or_reason(content: bytes, **kwargs):
    try:
        return parse_sitemap(content, **kwargs)
    except FetchError as exc:
        assert exc.reason in SITEMAP_REASONS and exc.message
        return None


@FUZZ
@given(st.binary(max_size=300), st.booleans())
def test_any_sitemap_bytes_give_a_sitemap_or_a_named_reason(content: bytes, gzipped: bool) -> None:
    _parse_sitemap_or_reason(gzip.compress(content) if gzipped else content)
    _parse_sitemap_or_reason(b"\x1f\x8b" + content)  # gzip magic, then anything


@FUZZ
@given(st.lists(st.tuples(LINK, DATE), max_size=8), st.integers(0, 400))
def test_gzipped_sitemap_reads_like_the_plain_one_and_truncation_is_named(
    entries: list[tuple[str, str | None]], cut: int
) -> None:
    plain = _urlset(entries)
    parsed = _parse_sitemap_or_reason(plain)
    assert parsed is not None
    assert [e.url for e in parsed.entries] == [
        _xml_text(loc).strip() for loc, _mod in entries if _xml_text(loc).strip()
    ]
    zipped = _parse_sitemap_or_reason(gzip.compress(plain))
    assert zipped is not None and zipped.entries == parsed.entries
    _parse_sitemap_or_reason(gzip.compress(plain)[:cut])
    _parse_sitemap_or_reason(gzip.compress(plain), max_bytes=cut)


@settings(FUZZ, max_examples=50)
@given(
    st.dictionaries(st.integers(0, 6), st.lists(st.integers(0, 8), max_size=4), max_size=7), st.integers(0, 3)
)
def test_walking_any_index_graph_terminates_within_bounds(
    graph: dict[int, list[int]], max_depth: int
) -> None:
    # Numbers in the graph are sitemap indexes; a number without an entry is a urlset with one URL.
    def name(n: int) -> str:
        return f"https://a.vn/sitemap-{n}.xml"

    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        n = int(url.rsplit("-", 1)[1].removesuffix(".xml"))
        if n in graph:
            return _index([name(child) for child in graph[n]])
        return _urlset([(f"https://a.vn/bai-{n}-100{n}.html", None)])

    entries = walk_sitemap(fetch, name(0), max_depth=max_depth, max_sitemaps=5)
    assert len(fetched) == len(set(fetched)) <= 5
    assert len(entries) <= len(fetched)


# --- listing pages ------------------------------------------------------------------------------------
HREF = st.one_of(
    LINK,
    url_texts(),
    st.sampled_from(["#top", "mailto:a@b.vn", "tel:1", "/tag/x-y-z-t-u/", "//baothanhhoa.vn/a-b-c-d-e-f"]),
)


@FUZZ
@given(st.lists(st.tuples(HREF, VIETNAMESE), max_size=8), st.text(max_size=40), st.integers(1, 5))
def test_listing_links_are_same_site_articles_each_once(
    links: list[tuple[str, str]], noise: str, limit: int
) -> None:
    anchors = "".join(f'<a href="{_xml(href, quote=True)}">{_xml(text)}</a>' for href, text in links)
    base = "https://baothanhhoa.vn/thoi-su"
    for html in (f"<html><body>{anchors}</body></html>", noise + anchors, noise):
        found = extract_links(html, base, limit=limit)
        assert len(found) <= limit
        keys = [canonical_url(entry.url) for entry in found]
        assert len(keys) == len(set(keys))
        for entry in found:
            assert urlsplit(entry.url).scheme in ("http", "https")
            assert same_site(entry.url, base) and looks_like_article(entry.url)
