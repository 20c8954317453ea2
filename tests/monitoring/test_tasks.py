"""Tasks run eagerly without a broker; worker/scheduler refuse clearly without one."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pressdesk.monitoring import services, tasks
from pressdesk.monitoring.models import Article, IngestRun
from tests.factories import OutletFactory
from tests.ingest.pages import article_page, rss
from tests.ingest.server import LocalServer
from tests.monitoring.stories import story

pytestmark = pytest.mark.django_db


def _source(server: LocalServer) -> Any:
    title, lead, body = story(0)
    server.add("/tin/a-900001.html", article_page(title=title, lead=lead, body=body))
    server.add(
        "/rss.xml", rss([(server.url("/tin/a-900001.html"), title)]), content_type="application/rss+xml"
    )
    return services.source_add(outlet=OutletFactory(), url=server.url("/rss.xml"))


def test_ingest_source_task_runs_in_process_without_a_broker(server: LocalServer, settings: Any) -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER
    source = _source(server)
    result = tasks.ingest_source_task.delay(source.pk).get()
    assert result["new"] == 1 and Article.objects.count() == 1
    assert tasks.ingest_source_task.acks_late and tasks.ingest_source_task.reject_on_worker_lost


def test_ingest_due_task_polls_due_sources_in_process(server: LocalServer) -> None:
    _source(server)
    result = tasks.ingest_due_task.delay().get()
    assert result["sources"] == 1 and result["new"] == 1
    assert IngestRun.objects.filter(source__isnull=True).count() == 1


def test_embedded_schedule_polls_every_configured_interval(settings: Any) -> None:
    import importlib

    from pressdesk.monitoring import schedule

    settings.CELERY_BROKER_URL = ""
    settings.PRESSDESK_POLL_SECONDS = 120
    reloaded = importlib.reload(schedule)
    assert [(120, reloaded.poll_due_sources)] == reloaded.JOBS


@pytest.mark.parametrize("command", ["worker", "scheduler"])
def test_worker_and_scheduler_refuse_without_a_broker(settings: Any, command: str) -> None:
    settings.CELERY_BROKER_URL = ""
    with pytest.raises(CommandError, match="CELERY_BROKER_URL"):
        call_command(command, stdout=io.StringIO())


def test_ingest_without_once_explains(settings: Any) -> None:
    with pytest.raises(CommandError, match="--once"):
        call_command("ingest")
