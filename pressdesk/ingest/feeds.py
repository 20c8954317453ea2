"""RSS/Atom feeds with feedparser; anything that is not a feed gets a named reason."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from pressdesk.ingest.errors import FetchError

_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<body)", re.IGNORECASE | re.DOTALL
)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)


@dataclass
class FeedEntry:
    url: str
    title: str = ""
    summary: str = ""
    author: str = ""
    published: datetime | None = None


def _when(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError):
                continue
    return None


def looks_like_html(content: bytes) -> bool:
    return bool(_HTML_START.match(content[:2048])) and not _FEED_ROOT.search(content[:4096])


def _absolute(base_url: str, link: str) -> str:
    """The entry's link made absolute; "" when there is none or it does not parse (e.g. "http://[::1")."""
    if not link:
        return ""
    try:
        url = urljoin(base_url, link)
        urlsplit(url)
    except ValueError:
        return ""
    return url


def parse_feed(content: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS/Atom document (bytes only: feedparser must never fetch anything itself)."""
    if not content.strip():
        raise FetchError("not_a_feed", "empty document")
    if looks_like_html(content):
        raise FetchError("not_a_feed", "HTML page instead of a feed")
    parsed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            raise FetchError("malformed_xml", str(parsed.get("bozo_exception", "malformed XML"))[:200])
        if not parsed.get("version"):
            raise FetchError("not_a_feed", "no RSS/Atom root element")
        return []
    out: list[FeedEntry] = []
    for entry in entries:
        link = (entry.get("link") or "").strip()
        if not link:
            for candidate in entry.get("links") or []:
                if (candidate.get("href") or "").strip():
                    link = candidate["href"].strip()
                    break
        url = _absolute(base_url, link)
        if not url:
            continue
        out.append(
            FeedEntry(
                url=url,
                title=(entry.get("title") or "").strip(),
                summary=(entry.get("summary") or "").strip(),
                author=(entry.get("author") or "").strip(),
                published=_when(entry),
            )
        )
    if not out and parsed.get("bozo"):
        raise FetchError("malformed_xml", str(parsed.get("bozo_exception", "malformed XML"))[:200])
    return out
