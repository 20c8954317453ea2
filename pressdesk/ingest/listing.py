"""Article links from a listing page (a section front page): same site, article-looking paths."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html

from pressdesk.ingest.feeds import FeedEntry
from pressdesk.ingest.urls import canonical_url, same_site

# Article URLs of Vietnamese outlets: a long slug with hyphens, usually ending in an id and .html/.htm.
_ARTICLE_PATH = re.compile(
    r"(-\d{4,}|\d{6,})(\.s?html?|\.aspx?|\.ldo|\.vnp|\.vov|\.tpo)?/?$|[a-z0-9]+(-[a-z0-9]+){4,}(\.s?html?)?/?$",
    re.IGNORECASE,
)
_NOT_ARTICLE = re.compile(
    r"/(tag|tags|chu-de|tim-kiem|search|video|photo|author|tac-gia|lien-he|rss|page)/", re.IGNORECASE
)


def looks_like_article(url: str) -> bool:
    path = urlsplit(url).path
    if _NOT_ARTICLE.search(path + "/"):
        return False
    return bool(_ARTICLE_PATH.search(path))


def extract_links(html: str, base_url: str, *, limit: int = 500) -> list[FeedEntry]:
    if not html.strip():
        return []
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    seen: set[str] = set()
    out: list[FeedEntry] = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        try:
            url = urljoin(base_url, href)
            usable = urlsplit(url).scheme in ("http", "https") and same_site(url, base_url)
        except ValueError:  # an href that is not a URL (e.g. "http://[::1") is skipped, not fatal
            continue
        if not usable:
            continue
        if not looks_like_article(url):
            continue
        key = canonical_url(url)
        if key in seen:
            continue
        seen.add(key)
        out.append(FeedEntry(url=url, title=" ".join(anchor.text_content().split())[:500]))
        if len(out) >= limit:
            break
    return out
