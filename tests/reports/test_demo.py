from __future__ import annotations

from typing import Any

from pressdesk.core.demo import DemoContext
from pressdesk.reports import demo
from pressdesk.reports.models import ReportJob
from tests.reports.factories import RWorld


def test_demo_points_at_the_busiest_month_and_builds_its_report(
    world: RWorld, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert demo.busiest_month(2024) == "2024-05"
    ctx = DemoContext(users={"dathang": world.users["officer"]})
    demo.load(ctx)
    assert ctx.lines[0].startswith(
        "Báo cáo: /bao-cao/?plan=2024&period=2024-05: 7 tin, bài về tỉnh, 1 hợp đồng"
    )
    job = ReportJob.objects.get()
    assert job.status == "done" and (tmp_path / job.file_path).exists()
    demo.load(ctx)  # idempotent
    assert ReportJob.objects.count() == 1
