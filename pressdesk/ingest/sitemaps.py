"""Sitemaps, Google news sitemaps and sitemap indexes (gzip too), parsed without entities or network."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.feeds import FeedEntry, looks_like_html

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _gunzip(content: bytes, limit: int) -> bytes:
    obj = zlib.decompressobj(47)
    try:
        data = obj.decompress(content, limit + 1)
    except zlib.error as exc:
        raise FetchError("decode_error", f"gzip: {exc}") from exc
    if len(data) > limit:
        raise FetchError("too_large", f"sitemap over {limit} bytes once decompressed")
    return data


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@dataclass
class Sitemap:
    entries: list[FeedEntry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # nested sitemaps of an index


def parse_sitemap(content: bytes, *, max_bytes: int = 50 * 1024 * 1024) -> Sitemap:
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content, max_bytes)
    if looks_like_html(content):
        raise FetchError("not_a_feed", "HTML page instead of a sitemap")
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise FetchError("malformed_xml", str(exc)[:200]) from exc
    kind = _local(root.tag)
    result = Sitemap()
    if kind == "sitemapindex":
        for node in root:
            if _local(node.tag) == "sitemap":
                loc = next((c.text for c in node if _local(c.tag) == "loc" and c.text), None)
                if loc:
                    result.children.append(loc.strip())
        return result
    if kind != "urlset":
        raise FetchError("not_a_feed", f"root element <{kind}> is not a sitemap")
    for node in root:
        if _local(node.tag) != "url":
            continue
        loc = lastmod = title = published = None
        for child in node.iter():
            name = _local(child.tag)
            if name == "loc" and loc is None:
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = child.text
            elif name == "title":
                title = (child.text or "").strip()
            elif name == "publication_date":
                published = child.text
        if loc:
            result.entries.append(
                FeedEntry(url=loc, title=title or "", published=_date(published or lastmod))
            )
    return result


def walk_sitemap(
    fetch: Callable[[str], bytes], url: str, *, max_depth: int = 2, max_sitemaps: int = 50
) -> list[FeedEntry]:
    """Entries of a sitemap or of an index's sitemaps, recursion and count bounded (cycles ignored)."""
    seen: set[str] = set()
    entries: list[FeedEntry] = []
    queue: list[tuple[str, int]] = [(url, 0)]
    while queue:
        current, depth = queue.pop(0)
        if current in seen or len(seen) >= max_sitemaps:
            continue
        seen.add(current)
        sitemap = parse_sitemap(fetch(current))
        entries.extend(sitemap.entries)
        if depth < max_depth:
            queue.extend((child, depth + 1) for child in sitemap.children)
    return entries
