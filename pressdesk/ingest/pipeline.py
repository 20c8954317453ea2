"""The pure, CPU-bound parts of ingestion: decode, extract and sign a page; analyse stored articles.

Both run in a process pool when one is configured. Fetching and database writes stay in the calling
process (I/O, politeness, robots cache, transactions); only bytes and plain dicts go in and plain data
comes out, so the work pickles cheaply and the pool's workers need no database.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pressdesk.ingest import dedup
from pressdesk.ingest.decoding import decode_bytes
from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.extract import Extracted, extract_article
from pressdesk.ingest.feeds import FeedEntry

if TYPE_CHECKING:
    from pressdesk.nlp.analyser import Analyser, Result


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


_ANALYSERS: dict[str, Analyser] = {}


def plan_key(plan: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(plan, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def analyser(plan: dict[str, Any]) -> Analyser:
    """One Analyser per distinct plan content in this process (the models load once per process)."""
    from pressdesk.nlp.analyser import Analyser

    key = plan_key(plan)
    if key not in _ANALYSERS:
        if len(_ANALYSERS) > 8:
            _ANALYSERS.clear()
        _ANALYSERS[key] = Analyser(plan)
    return _ANALYSERS[key]


def analyse_items(plan: dict[str, Any], items: Sequence[dict[str, Any]]) -> list[Result]:
    """pressdesk.nlp over plain article dicts (id, title, lead, text, url, published), same order."""
    return list(analyser(plan).analyse_batch_full(items))


_POOL: ProcessPoolExecutor | None = None
_POOL_SIZE = 0


def executor(processes: int) -> Executor | None:
    """The process pool of this process (None for processes <= 0: work stays in-process)."""
    return _pool(processes) if processes > 0 else None


def _one_thread_each() -> None:
    """Pool workers run one thread each: the pool already has a process per core, and native code
    that starts a thread per core of its own (OpenMP in the embedding encoder, BLAS) oversubscribes
    the cores and burns CPU spin-waiting (measured: 3x the CPU per embedding on 2 busy cores).
    Environment settings an operator made are kept."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")  # libraries loaded from now on
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # comes with scikit-learn; without it only the environment applies
        return
    threadpool_limits(int(os.environ["OMP_NUM_THREADS"]))  # libraries already loaded before the fork


def _pool(processes: int) -> Executor:
    global _POOL, _POOL_SIZE
    # A worker that died (killed for memory, say) breaks the pool for good: start a new one.
    if _POOL is None or processes != _POOL_SIZE or getattr(_POOL, "_broken", False):
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
        _POOL = ProcessPoolExecutor(max_workers=processes, initializer=_one_thread_each)
        _POOL_SIZE = processes
    return _POOL


def close_pool() -> None:
    """Stop this process's pool (its workers exit); the next use starts a new one."""
    global _POOL, _POOL_SIZE
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
    _POOL, _POOL_SIZE = None, 0


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
