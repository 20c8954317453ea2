"""A run over several sources keeps one source's analysis in flight while the next source is ingested,
finishes every analysis before it ends, and counts a failed one without losing articles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pressdesk.monitoring import services
from pressdesk.monitoring.models import Article, IngestRun
from tests.ingest.server import LocalServer
from tests.monitoring.test_ingest import add_source, feed, publish

pytestmark = pytest.mark.django_db


def fake_analysis(
    monkeypatch: pytest.MonkeyPatch, events: list[tuple[str, int]], *, failing: int | None = None
) -> None:
    """services._analyse replaced: records when each source's analysis is submitted and finished."""

    def analyse(ids: list[int], *, wait: bool = True, **_options: Any) -> Callable[[], None] | None:
        source_id = Article.objects.get(pk=ids[0]).source_id
        events.append(("submit", source_id))

        def finish() -> None:
            events.append(("finish", source_id))
            if source_id == failing:
                raise RuntimeError("worker died")

        if wait:
            finish()
            return None
        return finish

    monkeypatch.setattr(services, "_analyse", analyse)


def three_sources(server: LocalServer) -> list[int]:
    return [
        add_source(feed(server, f"/rss-{n}.xml", [publish(server, 2 * n), publish(server, 2 * n + 1)])).pk
        for n in range(3)
    ]


def test_next_source_is_ingested_before_the_previous_analysis_is_collected(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, int]] = []
    fake_analysis(monkeypatch, events)
    a, b, c = three_sources(server)
    run, outcome = services.ingest_due()
    assert events == [
        ("submit", a),
        ("submit", b),
        ("finish", a),
        ("submit", c),
        ("finish", b),
        ("finish", c),
    ]
    assert outcome.new == 6 and "analysis_failed" not in outcome.skips
    assert run.new == 6 and run.errors == {}


def test_failed_deferred_analysis_is_counted_in_the_run_and_keeps_articles(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, int]] = []
    _a, b, _c = three_sources(server)
    fake_analysis(monkeypatch, events, failing=b)
    run, outcome = services.ingest_due()
    assert [kind for kind, _source in events].count("finish") == 3  # the failure stops nothing after it
    assert outcome.skips["analysis_failed"] == 2 and outcome.new == 6
    assert IngestRun.objects.get(pk=run.pk).errors == {"analysis_failed": 2}
    assert Article.objects.count() == 6


def test_single_source_poll_finishes_its_analysis_before_returning(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, int]] = []
    fake_analysis(monkeypatch, events)
    a, _b, _c = three_sources(server)
    services.ingest_source(source_id=a)
    assert events == [("submit", a), ("finish", a)]
