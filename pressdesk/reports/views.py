"""Pages of reports (/bao-cao/): the dashboard, CSV downloads, report jobs, delivery verification."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from pressdesk.accounts.models import Role
from pressdesk.accounts.permissions import active_roles
from pressdesk.commissioning.selectors import deliveries_for_user, delivery_get_for_user
from pressdesk.core.errors import DomainError
from pressdesk.plans.models import Plan
from pressdesk.reports import charts, services
from pressdesk.reports.models import CheckResult, DeliveryVerification, ReportJob
from pressdesk.reports.periods import Period, default_period
from pressdesk.reports.selectors import can_read_reports, delivery_suggestions, plan_coverage
from pressdesk.reports.tables import build_tables, table_csv

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _reader(request: HttpRequest) -> None:
    if not can_read_reports(request.user):
        raise PermissionDenied("role_required")


def _plan_and_period(request: HttpRequest) -> tuple[Plan, Period]:
    """?plan=YEAR&period=…; defaults: the newest plan and the current month within its year."""
    plans = Plan.objects.order_by("-year")
    year = request.GET.get("plan", "").strip()
    plan = plans.filter(year=int(year)).first() if year.isdigit() else plans.first()
    if plan is None:
        raise Http404("Chưa có kế hoạch.")
    raw = request.GET.get("period", "").strip()
    if not raw:
        return plan, default_period(timezone.localdate(), plan.year)
    return services.plan_and_period(plan_year=plan.year, period=raw)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _reader(request)
    plans = list(Plan.objects.order_by("-year"))
    context: dict[str, Any] = {
        "plans": plans,
        "jobs": ReportJob.objects.filter(requested_by_id=request.user.pk)[:10],
        "can_verify": bool(active_roles(request.user) & VERIFY_ROLES),
    }
    if not plans:
        return render(request, "reports/index.html", context)
    try:
        plan, period = _plan_and_period(request)
    except DomainError as exc:
        context.update(error=exc.message, period_text=request.GET.get("period", ""))
        return render(request, "reports/index.html", context, status=422)
    cov = plan_coverage(plan=plan, period=period)
    tables = build_tables(cov)
    figures = {key: build(tables[key]) for key, build in charts.CHARTS.items()}
    context.update(
        plan=plan,
        period=period,
        period_text=period.code,
        cov=cov,
        tables=tables,
        figures=figures,
        query=f"plan={plan.year}&period={period.code}",
        chart_sections=[
            ("area_weeks", "Đưa tin theo thời gian, theo lĩnh vực"),
            ("level_weeks", "Đưa tin theo cấp cơ quan báo chí"),
            ("tone", "Tỷ lệ theo sắc thái"),
            ("contracts", "Tiến độ hợp đồng đặt hàng"),
            ("events", "Sự kiện trọng tâm: trước, trong và sau ngày"),
        ],
        table_sections=["levels", "areas", "topics", "gaps", "events", "event_weeks", "outlets", "late"],
    )
    return render(request, "reports/index.html", context)


@login_required
@require_GET
def csv_download(request: HttpRequest, key: str) -> HttpResponse:
    _reader(request)
    try:
        plan, period = _plan_and_period(request)
    except DomainError as exc:
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    tables = build_tables(plan_coverage(plan=plan, period=period))
    if key not in tables:
        raise Http404("Không có bảng này.")
    # A BOM so that Excel opens the Vietnamese text as UTF-8.
    response = HttpResponse("\ufeff" + table_csv(tables[key]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{plan.year}-{period.code}.csv"'
    return response


@require_GET
@cache_control(public=True, max_age=86400)
def plotly_js(request: HttpRequest) -> FileResponse:
    """plotly.js as shipped inside the plotly package (offline; the version matches the Python side)."""
    return FileResponse(PLOTLY_JS.open("rb"), content_type="text/javascript; charset=utf-8")


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    _reader(request)
    try:
        job = services.report_job_create(
            actor=request.user,  # type: ignore[arg-type]
            plan_year=request.POST.get("plan", ""),
            period=request.POST.get("period", ""),
            fmt=request.POST.get("format", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("reports:index"))
    job.refresh_from_db()
    if job.status == ReportJob.Status.DONE:
        messages.success(request, "Đã lập xong báo cáo: tải về ở mục Báo cáo đã lập.")
    else:
        messages.info(request, "Đã nhận yêu cầu lập báo cáo: tải lại trang sau ít phút.")
    return redirect(f"{reverse('reports:index')}?plan={job.params['plan']}&period={job.params['period']}")


@login_required
@require_GET
def report_download(request: HttpRequest, job_id: int) -> FileResponse:
    _reader(request)
    try:
        job, path = services.report_job_file(actor=request.user, job_id=job_id)  # type: ignore[arg-type]
    except DomainError as exc:
        raise Http404(exc.message) from exc
    p = job.params
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"bao-cao-{p['plan']}-{p['period']}.{p['format']}"
    )


# --- delivery verification ---------------------------------------------------------------------------

VERIFY_ROLES = {
    Role.COMMISSIONING_OFFICER,
    Role.AGENCY_EDITOR,
    Role.RESIDENT_REPORTER,
    Role.VIEWER,
    Role.APPROVER,
    Role.ADMINISTRATOR,
}


@login_required
@require_GET
def verification_index(request: HttpRequest) -> HttpResponse:
    roles = active_roles(request.user)
    if not roles & VERIFY_ROLES:
        raise PermissionDenied("role_required")
    deliveries = list(
        deliveries_for_user(request.user).exclude(url="").order_by("-published_on", "-pk")[:200]
    )
    latest: dict[int, DeliveryVerification] = {}
    for v in DeliveryVerification.objects.filter(delivery__in=deliveries).order_by(
        "delivery_id", "-checked_at"
    ):
        latest.setdefault(v.delivery_id, v)
    rows = [(d, latest.get(d.pk)) for d in deliveries]
    suggestions = delivery_suggestions() if Role.COMMISSIONING_OFFICER in roles else []
    return render(
        request,
        "reports/verification_index.html",
        {"rows": rows, "suggestions": suggestions, "is_officer": Role.COMMISSIONING_OFFICER in roles},
    )


@login_required
@require_GET
def verification_detail(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        delivery = delivery_get_for_user(request.user, delivery_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    verifications = (
        DeliveryVerification.objects.filter(delivery=delivery)
        .select_related("snapshot", "decided_by", "requested_by")
        .prefetch_related("checks")
    )
    roles = active_roles(request.user)
    return render(
        request,
        "reports/verification_detail.html",
        {
            "delivery": delivery,
            "verifications": verifications,
            "is_officer": Role.COMMISSIONING_OFFICER in roles,
            "results": [(CheckResult.PASS, "Đạt"), (CheckResult.FAIL, "Không đạt")],
        },
    )


@login_required
@require_POST
def verification_run(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        services.verification_request(actor=request.user, delivery_id=delivery_id)  # type: ignore[arg-type]
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã kiểm tra tự động (hoặc đã đưa vào hàng đợi kiểm tra).")
    return redirect(reverse("reports:verification", args=[delivery_id]))


@login_required
@require_POST
def verification_decide(request: HttpRequest, verification_id: int) -> HttpResponse:
    verification = DeliveryVerification.objects.filter(pk=verification_id).first()
    if verification is None:
        raise Http404("Không tìm thấy kết quả kiểm tra.")
    try:
        services.verification_decide(
            actor=request.user,  # type: ignore[arg-type]
            verification_id=verification_id,
            confirm=request.POST.get("action") == "confirm",
            result=request.POST.get("result", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã ghi nhận ý kiến của cán bộ.")
    return redirect(reverse("reports:verification", args=[verification.delivery_id]))


@login_required
@require_POST
def suggestion_link(request: HttpRequest) -> HttpResponse:
    try:
        delivery = services.suggestion_link(
            actor=request.user,  # type: ignore[arg-type]
            contract_item_id=int(request.POST.get("item", "0") or 0),
            article_id=int(request.POST.get("article", "0") or 0),
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "Yêu cầu không hợp lệ."))
        return redirect(reverse("reports:verifications"))
    messages.success(request, "Đã ghi nhận tác phẩm từ bài báo được đề xuất.")
    return redirect(reverse("reports:verification", args=[delivery.pk]))
