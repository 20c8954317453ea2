"""Feeds, sitemaps and listing pages, including hostile documents."""

from __future__ import annotations

import gzip

import pytest

from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.feeds import parse_feed
from pressdesk.ingest.listing import extract_links
from pressdesk.ingest.sitemaps import parse_sitemap, walk_sitemap

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Báo Thanh Hóa</title>
<item><title>Tin một</title><link>https://baothanhhoa.vn/tin-mot-1001.html</link>
<description><![CDATA[<p>Sa pô <b>một</b></p>]]></description><pubDate>Tue, 01 Oct 2024 08:30:00 +0700</pubDate></item>
<item><title>Tin hai</title><link>/tin-hai-1002.html</link></item>
<item><title>Không có liên kết</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>Bài Atom</title><link href="https://nhandan.vn/bai-atom-123456.html"/>
<updated>2024-10-01T01:00:00Z</updated><author><name>Phóng viên</name></author><summary>Tóm tắt</summary></entry>
</feed>"""


def test_rss_entries_with_relative_links_and_dates() -> None:
    entries = parse_feed(RSS.encode(), "https://baothanhhoa.vn/rss/thoi-su.rss")
    assert [e.url for e in entries] == [
        "https://baothanhhoa.vn/tin-mot-1001.html",
        "https://baothanhhoa.vn/tin-hai-1002.html",
    ]
    assert entries[0].title == "Tin một" and "Sa pô" in entries[0].summary
    assert (
        entries[0].published is not None and entries[0].published.isoformat() == "2024-10-01T01:30:00+00:00"
    )


def test_atom_entries() -> None:
    (entry,) = parse_feed(ATOM.encode(), "https://nhandan.vn/atom.xml")
    assert entry.url == "https://nhandan.vn/bai-atom-123456.html" and entry.author == "Phóng viên"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b"<!DOCTYPE html><html><head><title>Trang chu</title></head><body>Xin chao</body></html>",
            "not_a_feed",
        ),
        (b"  <html><body><a href='/rss'>RSS</a></body></html>", "not_a_feed"),
        (b"", "not_a_feed"),
        (b"<?xml version='1.0'?><rss><channel><item><title>x</ti", "malformed_xml"),
        (b"\x00\x01\x02garbage\xff\xfe", "malformed_xml"),
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><rss><channel>&b;</chan", "malformed_xml"),
    ],
)
def test_hostile_feeds_get_a_named_reason(content: bytes, reason: str) -> None:
    with pytest.raises(FetchError) as info:
        parse_feed(content, "https://example.com/feed")
    assert info.value.reason == reason


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://baothanhhoa.vn/a-1001.html</loc><lastmod>2024-10-01T08:00:00+07:00</lastmod></url>
<url><loc>https://baothanhhoa.vn/b-1002.html</loc><news:news><news:publication_date>2024-10-02T09:00:00+07:00</news:publication_date>
<news:title>Tin tức B</news:title></news:news></url>
</urlset>""".encode()


def test_sitemap_and_news_sitemap() -> None:
    sitemap = parse_sitemap(SITEMAP)
    assert [e.url for e in sitemap.entries] == [
        "https://baothanhhoa.vn/a-1001.html",
        "https://baothanhhoa.vn/b-1002.html",
    ]
    assert sitemap.entries[1].title == "Tin tức B"
    assert sitemap.entries[1].published is not None and sitemap.entries[1].published.hour == 9


def test_gzipped_sitemap() -> None:
    assert len(parse_sitemap(gzip.compress(SITEMAP)).entries) == 2


def test_sitemap_gzip_bomb_is_refused() -> None:
    with pytest.raises(FetchError) as info:
        parse_sitemap(gzip.compress(b" " * 20_000_000), max_bytes=1_000_000)
    assert info.value.reason == "too_large"


def test_sitemap_external_entities_are_not_resolved() -> None:
    xxe = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.vn/x-1001.html&x;</loc></url></urlset>"""
    entries = parse_sitemap(xxe).entries
    assert all("root:" not in e.url for e in entries)


def test_sitemap_index_recursion_is_bounded_and_cycles_ignored() -> None:
    def index(name: str, children: list[str]) -> bytes:
        locs = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
        return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>'.encode()

    docs = {
        "https://a.vn/sitemap.xml": index("root", ["https://a.vn/s1.xml", "https://a.vn/sitemap.xml"]),
        "https://a.vn/s1.xml": index("s1", ["https://a.vn/s2.xml", "https://a.vn/news.xml"]),
        "https://a.vn/news.xml": SITEMAP,
        "https://a.vn/s2.xml": index("s2", ["https://a.vn/s3.xml"]),
        "https://a.vn/s3.xml": SITEMAP,
    }
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return docs[url]

    entries = walk_sitemap(fetch, "https://a.vn/sitemap.xml", max_depth=2)
    assert len(entries) == 2  # news.xml at depth 2; s3.xml (depth 3) is beyond the bound
    assert "https://a.vn/s3.xml" not in fetched and fetched.count("https://a.vn/sitemap.xml") == 1


def test_sitemap_that_is_html_or_broken() -> None:
    with pytest.raises(FetchError) as info:
        parse_sitemap(b"<html><body>hi</body></html>")
    assert info.value.reason == "not_a_feed"
    with pytest.raises(FetchError) as info:
        parse_sitemap(b"<urlset><url><loc>x</loc>")
    assert info.value.reason == "malformed_xml"


def test_listing_page_links_same_site_article_looking() -> None:
    html = """<html><body><nav><a href="/">Trang chủ</a><a href="/thoi-su">Thời sự</a>
    <a href="/tag/thanh-hoa/">Tag</a></nav>
    <a href="/thoi-su/khoi-cong-du-an-duong-ven-bien-1234567.html">Khởi công dự án</a>
    <a href="https://baothanhhoa.vn/thoi-su/khoi-cong-du-an-duong-ven-bien-1234567.html?utm_source=x">lặp</a>
    <a href="https://other.vn/tin-khac-hoan-toan-1234568.html">Báo khác</a>
    <a href="/kinh-te/nong-dan-thu-hoach-lua-dong-xuan-dat-nang-suat-cao">Nông dân</a>
    <a href="javascript:void(0)">js</a><a href="mailto:a@b.vn">mail</a></body></html>"""
    links = extract_links(html, "https://baothanhhoa.vn/thoi-su")
    assert [link.url for link in links] == [
        "https://baothanhhoa.vn/thoi-su/khoi-cong-du-an-duong-ven-bien-1234567.html",
        "https://baothanhhoa.vn/kinh-te/nong-dan-thu-hoach-lua-dong-xuan-dat-nang-suat-cao",
    ]
    assert links[0].title == "Khởi công dự án"


def test_feed_entry_whose_link_is_not_a_url_is_skipped_not_fatal() -> None:
    # Found by tests/fuzz: one item linking to "http://[::1" raised ValueError and lost the whole feed;
    # a blank link gave an entry with an empty URL.
    rss = """<rss version="2.0"><channel><title>T</title>
<item><title>Hỏng</title><link>http://[::1</link></item>
<item><title>Trống</title><link>   </link></item>
<item><title>Tốt</title><link>/tin-tot-1003.html</link></item></channel></rss>""".encode()
    entries = parse_feed(rss, "https://baothanhhoa.vn/rss/thoi-su.rss")
    assert [e.url for e in entries] == ["https://baothanhhoa.vn/tin-tot-1003.html"]


def test_listing_link_that_is_not_a_url_is_skipped_not_fatal() -> None:
    html = """<a href="http://[::1">hỏng</a><a href="https://[zz]/x-y-z-t-u-v">hỏng</a>
    <a href="/thoi-su/khoi-cong-du-an-duong-ven-bien-1234567.html">Khởi công</a>"""
    links = extract_links(html, "https://baothanhhoa.vn/thoi-su")
    assert [link.url for link in links] == [
        "https://baothanhhoa.vn/thoi-su/khoi-cong-du-an-duong-ven-bien-1234567.html"
    ]
