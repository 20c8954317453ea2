"""The process pool of ingestion: same results as in-process, in order, and it survives a dead worker."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from pressdesk.ingest import pipeline
from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.pipeline import Page, Processed
from tests.ingest.pages import article_page
from tests.monitoring.stories import story


@pytest.fixture(autouse=True)
def _no_pool_left() -> Iterator[None]:
    yield
    pipeline.close_pool()


def pages() -> list[Page | FetchError]:
    made: list[Page | FetchError] = []
    for i in range(5):
        title, lead, body = story(i)
        html = article_page(title=title, lead=lead, body=body)
        made.append(Page(url=f"https://baothanhhoa.vn/tin-{i}.html", content=html.encode(), charset="utf-8"))
    made.insert(2, FetchError("timeout", "slow", retryable=True))
    made.append(
        Page(url="https://baothanhhoa.vn/trong.html", content=b"<html><body></body></html>", charset=None)
    )
    return made


def summary(results: list[Processed | FetchError]) -> list[tuple[str, ...]]:
    return [
        (r.reason,)
        if isinstance(r, FetchError)
        else (r.article.canonical_url, r.article.text, r.minhash.hex())
        for r in results
    ]


def test_pool_gives_the_in_process_results_in_order() -> None:
    alone = summary(list(pipeline.process_pages(pages(), processes=0)))
    pooled = summary(list(pipeline.process_pages(pages(), processes=2)))
    assert pooled == alone
    assert [row[0] for row in alone if len(row) == 1] == ["timeout", "not_an_article"]


def test_a_dead_worker_does_not_break_later_polls() -> None:
    assert len(list(pipeline.process_pages(pages(), processes=1))) == 7
    pool = pipeline._POOL
    assert pool is not None
    for pid in list(pool._processes or {}):  # noqa: SLF001 - killed as the kernel would for memory
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not pool._broken and time.monotonic() < deadline:  # noqa: SLF001 - noticed by its manager thread
        time.sleep(0.05)
    assert pool._broken  # noqa: SLF001
    assert len(list(pipeline.process_pages(pages(), processes=1))) == 7
    assert pipeline._POOL is not pool
