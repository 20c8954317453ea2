"""The pure, CPU-bound part of ingesting one page: decode, extract, sign. Runs in a process pool.

Fetching stays in the calling process (I/O, politeness, robots cache); only bytes in and plain data
out cross the process boundary, so results pickle cheaply.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

from pressdesk.ingest import dedup
from pressdesk.ingest.decoding import decode_bytes
from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.extract import Extracted, extract_article
from pressdesk.ingest.feeds import FeedEntry


@dataclass
class Page:
    url: str  # final URL after redirects
    content: bytes
    charset: str | None
    entry: FeedEntry | None = None


@dataclass
class Processed:
    article: Extracted
    minhash: bytes
    bands: list[int]


def process_page(page: Page | FetchError) -> Processed | FetchError:
    if isinstance(page, FetchError):  # a fetch failure travels through in order, untouched
        return page
    try:
        html, _encoding = decode_bytes(page.content, page.charset)
        article = extract_article(html, page.url, page.entry)
    except FetchError as exc:
        return exc
    sig = dedup.signature(f"{article.title}\n{article.lead}\n{article.text}")
    return Processed(article=article, minhash=dedup.to_bytes(sig), bands=dedup.band_hashes(sig))


_POOL: ProcessPoolExecutor | None = None
_POOL_SIZE = 0


def _pool(processes: int) -> Executor:
    global _POOL, _POOL_SIZE
    if _POOL is None or processes != _POOL_SIZE:
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
        _POOL = ProcessPoolExecutor(max_workers=processes)
        _POOL_SIZE = processes
    return _POOL


def process_pages(
    pages: Iterable[Page | FetchError], *, processes: int = 0
) -> Iterator[Processed | FetchError]:
    """Results in input order. processes=0: in this process (Celery prefork children cannot fork).

    With a pool, `Executor.map` submits while it iterates `pages`, so fetching (in this process)
    overlaps extraction (in the pool).
    """
    if processes <= 0:
        yield from map(process_page, pages)
        return
    yield from _pool(processes).map(process_page, pages, chunksize=4)


def default_processes() -> int:
    return min(2, os.cpu_count() or 1)
