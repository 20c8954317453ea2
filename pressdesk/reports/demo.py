"""Demonstration for reports: nothing invented here. The dashboard and the reports show whatever the
other apps' demonstration data hold (articles from monitoring, contracts from commissioning).

This loader records one suggested monitored article as a published work of the contract in progress
(the officer's "Ghi nhận" on /bao-cao/kiem-tra/, through `suggestion_link`), leaving the other
suggestions for the newcomer; points at the busiest month of the 2024 plan and builds that month's
report (DOCX) for the commissioning officer `dathang`, so "Báo cáo đã lập" has a real file to open.
It loads last, after commissioning's contracts and monitoring's analysed articles.
"""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth

from pressdesk.commissioning.models import Delivery
from pressdesk.commissioning.services import notifications_muted
from pressdesk.core.demo import DemoContext
from pressdesk.monitoring.models import Article
from pressdesk.plans.models import Plan
from pressdesk.reports.models import ReportJob
from pressdesk.reports.periods import parse_period
from pressdesk.reports.selectors import delivery_suggestions, plan_coverage
from pressdesk.reports.services import report_job_run, suggestion_link


def busiest_month(year: int) -> str | None:
    row = (
        Article.objects.filter(channel=Article.Channel.PRESS, about_province=True, published_at__year=year)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-n", "month")
        .first()
    )
    return f"{row['month']:%Y-%m}" if row else None


def load(ctx: DemoContext) -> None:
    plan = ctx.extra.get("plan") or Plan.objects.filter(year=2024).first()
    if plan is None:
        ctx.lines.append("Báo cáo: chưa có kế hoạch 2024, bảng điều khiển còn trống.")
        return
    linked = _link_suggestion(ctx, plan)
    month = busiest_month(plan.year)
    if month is None:
        ctx.lines.append(
            "Báo cáo: chưa có tin, bài mẫu về tỉnh năm 2024; bảng điều khiển /bao-cao/ chỉ có tiến độ hợp đồng."
        )
        month = f"{plan.year}-05"
    cov = plan_coverage(plan=plan, period=parse_period(month))
    ctx.lines.append(
        f"Báo cáo: /bao-cao/?plan={plan.year}&period={month}: {cov.total} tin, bài về tỉnh, "
        f"{cov.progress_total.contracts} hợp đồng, {len(cov.gaps)} chủ đề còn thiếu, {len(cov.late)} dòng chậm."
    )
    if linked:
        ctx.lines.append(linked)
    officer = ctx.users.get("dathang")
    if officer is None:
        return
    params = {"plan": plan.year, "period": month, "format": "docx"}
    if ReportJob.objects.filter(requested_by=officer, params=params, status=ReportJob.Status.DONE).exists():
        return
    job = report_job_run(job_id=ReportJob.objects.create(requested_by=officer, params=params).pk)
    if job.status == ReportJob.Status.DONE:
        ctx.lines.append(
            f"Báo cáo tháng {month} (DOCX) đã lập sẵn cho tài khoản dathang: /bao-cao/ → Báo cáo đã lập."
        )


def _link_suggestion(ctx: DemoContext, plan: Plan) -> str:
    """The officer records the first suggested article once; a later load finds it recorded and stops."""
    officer = ctx.users.get("dathang")
    if officer is None or Delivery.objects.filter(url__in=Article.objects.values("url")).exists():
        return ""
    suggestions = delivery_suggestions(plan=plan)
    if not suggestions:
        return ""
    first = suggestions[0]
    # Muted: no e-mail, and the machine check that follows a recorded URL is not queued (the demo's
    # URLs are invented; the officer can still run "Kiểm tra tự động" by hand).
    with notifications_muted():
        suggestion_link(actor=officer, contract_item_id=first.item.pk, article_id=first.article.pk)
    return (
        f"Kiểm tra tác phẩm: bài “{first.article.title}” đã được ghi nhận cho hợp đồng "
        f"{first.item.contract.number}; {len(suggestions) - 1} bài khác còn chờ ở /bao-cao/kiem-tra/ (dathang)."
    )
