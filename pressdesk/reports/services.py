"""Writes of reports: machine verification of deliveries, the officer's decision on it, linking a
suggested article as a delivery, and report building (command and background jobs)."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.util
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pressdesk.accounts.models import Role, User
from pressdesk.accounts.permissions import require_role
from pressdesk.commissioning.models import ContractItem, Delivery
from pressdesk.core.audit import transition_record
from pressdesk.core.errors import NotFound, TransitionError, ValidationFailed
from pressdesk.core.tasks import enqueue_on_commit
from pressdesk.ingest.decoding import decode_bytes
from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.extract import Extracted, extract_article
from pressdesk.ingest.fetcher import AllowList, FetchResult, SafeFetcher
from pressdesk.ingest.urls import canonical_url
from pressdesk.monitoring.models import Article, Mention
from pressdesk.plans.models import Plan
from pressdesk.reports.models import (
    CheckResult,
    DeliveryCheck,
    DeliveryVerification,
    ReportJob,
    Snapshot,
)
from pressdesk.reports.periods import Period, parse_period
from pressdesk.reports.selectors import can_read_reports, plan_coverage

PASS, FAIL, UNKNOWN = CheckResult.PASS, CheckResult.FAIL, CheckResult.UNKNOWN
NO_ANALYSER = "chưa có bộ phân tích"
FORMATS = ("docx", "xlsx")


# --- fetching ----------------------------------------------------------------------------------------


def make_fetcher() -> SafeFetcher:
    """A safe fetcher configured from settings (the allow list lets tests reach their local server)."""
    return SafeFetcher(
        user_agent=settings.PRESSDESK_FETCH_USER_AGENT,
        timeout=settings.PRESSDESK_FETCH_TIMEOUT,
        connect_timeout=min(5.0, settings.PRESSDESK_FETCH_TIMEOUT),
        max_bytes=settings.PRESSDESK_FETCH_MAX_BYTES,
        allow=AllowList.parse(settings.PRESSDESK_FETCH_ALLOW),
        delay=0.0,  # one page per verification: politeness delay would only slow the officer down
        retries=1,
    )


# --- analysis ----------------------------------------------------------------------------------------


@dataclass
class Judgement:
    """What the analysis says of a page: about the province, the plan area number and topic keys."""

    about_province: bool | None
    area_number: int | None
    topic_ids: set[int]
    source: str  # who judged: the stored monitoring analysis or the analyser run now


def _from_article(article: Article, plan: Plan) -> Judgement | None:
    if article.analysed_at is None and article.about_province is None:
        return None
    mention = Mention.objects.filter(article=article, plan=plan).select_related("area").first()
    return Judgement(
        about_province=article.about_province,
        area_number=mention.area.number if mention and mention.area else None,
        topic_ids=set(mention.topics.values_list("pk", flat=True)) if mention else set(),
        source=f"phân tích của hệ thống theo dõi ({article.model_version or 'không rõ phiên bản'})",
    )


def _analyser_class() -> Any | None:
    """pressdesk.nlp's Analyser when that package provides it (it is developed separately)."""
    if importlib.util.find_spec("pressdesk.nlp.analyser") is None:
        return None
    return getattr(importlib.import_module("pressdesk.nlp.analyser"), "Analyser", None)


def plan_as_dict(plan: Plan) -> dict[str, Any]:
    """The plan in the analyser's plain shape (pressdesk/nlp/plan.py), read from the database."""
    areas = []
    for area in plan.areas.order_by("number").prefetch_related("topics"):
        topics = [
            {"order": t.order, "text": t.text, "keywords": list(t.keywords or [])}
            for t in area.topics.order_by("order")
        ]
        areas.append(
            {
                "number": area.number,
                "title": area.title,
                "keywords": list(area.keywords or []),
                "topics": topics,
            }
        )
    events = [
        {
            "title": e.title,
            "date": e.date.isoformat() if e.date else None,
            "year": e.year,
            "since_year": e.since_year,
            "keywords": list(e.keywords or []),
            "window_before_days": e.window_before_days,
            "window_after_days": e.window_after_days,
        }
        for e in plan.events.order_by("order", "pk")
    ]
    return {"year": plan.year, "title": plan.title, "areas": areas, "events": events}


_ANALYSERS: dict[str, Any] = {}


def _analyser(plan: Plan) -> Any | None:
    """One analyser per plan content (loading its models takes a while); None when there is none."""
    cls = _analyser_class()
    if cls is None:
        return None
    raw = plan_as_dict(plan)
    key = hashlib.sha1(repr(sorted(raw.items(), key=str)).encode()).hexdigest()  # noqa: S324  a cache key
    if key not in _ANALYSERS:
        try:
            _ANALYSERS.clear()
            _ANALYSERS[key] = cls(raw)
        except (OSError, ValueError):
            # Models not built, or the plan has no areas yet: the checks say the analyser is missing.
            return None
    return _ANALYSERS[key]


def _topic_ids(plan: Plan, topics: Any) -> set[int]:
    """Map the analyser's topic labels ('2.3', {'area': 2, 'order': 3}, {'id': pk}) to Topic pks."""
    from pressdesk.plans.models import Topic

    by_code = {
        f"{t.area.number}.{t.order}": t.pk
        for t in Topic.objects.filter(area__plan=plan).select_related("area")
    }
    found: set[int] = set()
    for entry in topics or []:
        value = entry
        if isinstance(entry, dict):
            if "topic_id" in entry or "pk" in entry:
                found.add(int(entry.get("topic_id") or entry["pk"]))
                continue
            if "area" in entry and "order" in entry:
                value = f"{entry['area']}.{entry['order']}"
            else:
                value = entry.get("code") or entry.get("number") or entry.get("id")
        elif isinstance(entry, list | tuple) and entry:
            value = entry[0]
        code = str(value)
        if code in by_code:
            found.add(by_code[code])
    return found


def _run_analyser(plan: Plan, extracted: Extracted) -> Judgement | None:
    analyser = _analyser(plan)
    if analyser is None:
        return None
    data = analyser.analyse(
        "delivery",
        extracted.title,
        extracted.text,
        extracted.url,
        extracted.published_at,
        lead=extracted.lead,
    )
    area = data.get("area")
    return Judgement(
        about_province=data.get("about_province"),
        area_number=int(area) if area is not None else None,
        topic_ids=_topic_ids(plan, data.get("topics")),
        source=f"bộ phân tích {data.get('model_version', '')}".strip(),
    )


# --- verification ------------------------------------------------------------------------------------


def _host_ok(url: str, domains: list[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


def _snapshot(
    url: str, fetched: FetchResult | None, extracted: Extracted | None, error: FetchError | None
) -> Snapshot:
    if extracted is not None:
        digest = extracted.content_hash
    elif fetched is not None:
        digest = hashlib.sha256(fetched.content).hexdigest()  # no text: the raw page is the evidence
    else:
        digest = ""
    return Snapshot.objects.create(
        url=url,
        final_url=fetched.url if fetched else "",
        canonical_url=extracted.canonical_url if extracted else "",
        http_status=fetched.status if fetched else (error.status if error else None),
        fetched_at=timezone.now(),
        title=extracted.title if extracted else "",
        text=extracted.text if extracted else "",
        published_at=extracted.published_at if extracted else None,
        sha256=digest,
        error=error.reason if error else "",
        error_detail=error.message[:2000] if error else "",
    )


def _counted_elsewhere(delivery: Delivery, urls: set[str], article: Article | None) -> tuple[str, str]:
    others = (
        Delivery.objects.exclude(pk=delivery.pk)
        .exclude(status=Delivery.Status.REJECTED)
        .exclude(url="")
        .select_related("contract_item__contract")
    )
    for other in others.filter(outlet=delivery.outlet):
        if canonical_url(other.url) in urls:
            return FAIL, (
                f"Cùng đường dẫn đã được ghi nhận ở tác phẩm #{other.pk} "
                f"(hợp đồng {other.contract_item.contract.number})."
            )
    if article is not None and article.cluster_id:
        siblings = Article.objects.filter(cluster_id=article.cluster_id).exclude(pk=article.pk)
        sibling_urls = {
            canonical_url(u) for pair in siblings.values_list("url", "canonical_url") for u in pair
        }
        for other in others.filter(contract_item=delivery.contract_item):
            if canonical_url(other.url) in sibling_urls:
                return FAIL, (
                    f"Cùng cụm tin #{article.cluster_id} với tác phẩm #{other.pk} đã tính cho cùng dòng hợp đồng."
                )
        return PASS, "Không trùng đường dẫn, không trùng cụm tin với tác phẩm đã tính cho dòng hợp đồng này."
    return PASS, (
        "Không trùng đường dẫn với tác phẩm đã ghi nhận; chưa đối chiếu cụm tin vì bài chưa có trong dữ liệu theo dõi."
    )


def _content_checks(delivery: Delivery, item: ContractItem, judgement: Judgement | None) -> list[Any]:
    if judgement is None:
        return [
            (DeliveryCheck.Code.PROVINCE, UNKNOWN, f"Chưa xác định: {NO_ANALYSER}."),
            (DeliveryCheck.Code.AREA_TOPIC, UNKNOWN, f"Chưa xác định: {NO_ANALYSER}."),
        ]
    checks = []
    if judgement.about_province is None:
        checks.append((DeliveryCheck.Code.PROVINCE, UNKNOWN, f"Chưa xác định ({judgement.source})."))
    elif judgement.about_province:
        checks.append((DeliveryCheck.Code.PROVINCE, PASS, f"Nội dung về tỉnh theo {judgement.source}."))
    else:
        checks.append((DeliveryCheck.Code.PROVINCE, FAIL, f"Nội dung không về tỉnh theo {judgement.source}."))
    area = item.area
    if judgement.area_number is None:
        checks.append(
            (
                DeliveryCheck.Code.AREA_TOPIC,
                FAIL if judgement.about_province is False else UNKNOWN,
                f"Không xác định được lĩnh vực ({judgement.source}).",
            )
        )
    elif judgement.area_number != area.number:
        checks.append(
            (
                DeliveryCheck.Code.AREA_TOPIC,
                FAIL,
                f"Bài thuộc lĩnh vực {judgement.area_number}, dòng hợp đồng đặt lĩnh vực {area.number}. {area.title}.",
            )
        )
    elif item.topic_id and item.topic_id not in judgement.topic_ids:
        checks.append(
            (
                DeliveryCheck.Code.AREA_TOPIC,
                FAIL,
                f"Đúng lĩnh vực {area.number} nhưng không thấy chủ đề đặt hàng: {item.topic}.",
            )
        )
    else:
        what = f"lĩnh vực {area.number}" + (f" và chủ đề {item.topic}" if item.topic_id else "")
        checks.append((DeliveryCheck.Code.AREA_TOPIC, PASS, f"Đúng {what} ({judgement.source})."))
    return checks


def delivery_verify(
    *, delivery_id: int, actor: User | None = None, fetcher: SafeFetcher | None = None
) -> DeliveryVerification:
    """Fetch the delivery's URL, keep a snapshot, run every check and store the outcome.

    The fetch happens outside any transaction (it may take seconds); the rows are written together.
    """
    delivery = (
        Delivery.objects.select_related(
            "outlet",
            "contract_item__area",
            "contract_item__topic",
            "contract_item__contract__package__round__plan",
        )
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise NotFound("delivery.not_found", "Không tìm thấy tác phẩm.")
    if not delivery.url:
        raise ValidationFailed(
            "verify.no_url", "Tác phẩm không có đường dẫn (báo in, phát sóng): không kiểm tra tự động được."
        )
    item = delivery.contract_item
    plan = item.contract.package.round.plan
    own = fetcher is None
    fetcher = fetcher or make_fetcher()
    fetched: FetchResult | None = None
    extracted: Extracted | None = None
    error: FetchError | None = None
    try:
        fetched = fetcher.fetch(delivery.url, accept="text/html,application/xhtml+xml")
        html, _encoding = decode_bytes(fetched.content, fetched.charset)
        extracted = extract_article(html, fetched.url)
    except FetchError as exc:
        error = exc
    finally:
        if own:
            fetcher.close()

    checks: list[tuple[str, str, str]] = []
    C = DeliveryCheck.Code
    if fetched is None:
        assert error is not None  # noqa: S101  no result without an error
        if error.status in (404, 410):
            checks.append((C.EXISTS, FAIL, f"Trang không tồn tại (HTTP {error.status})."))
        elif error.status and 400 <= error.status < 500:
            checks.append((C.EXISTS, FAIL, f"Trang từ chối truy cập (HTTP {error.status})."))
        else:
            checks.append((C.EXISTS, UNKNOWN, f"Không tải được trang ({error.reason}): thử lại sau."))
    else:
        checks.append((C.EXISTS, PASS, f"Trang tồn tại (HTTP {fetched.status})."))

    domains = list(delivery.outlet.domains or [])
    final = fetched.url if fetched else delivery.url
    if not domains:
        checks.append((C.OUTLET, UNKNOWN, f"Ấn phẩm {delivery.outlet.name} chưa khai báo tên miền."))
    elif _host_ok(final, domains) and _host_ok(delivery.url, domains):
        checks.append((C.OUTLET, PASS, f"Tên miền {urlsplit(final).hostname} thuộc {delivery.outlet.name}."))
    else:
        checks.append(
            (
                C.OUTLET,
                FAIL,
                f"Tên miền {urlsplit(final).hostname} không thuộc {delivery.outlet.name} ({', '.join(domains)}).",
            )
        )

    window = f"{item.window_start:%d/%m/%Y} – {item.window_end:%d/%m/%Y}"
    if extracted is None:
        checks.append((C.WINDOW, UNKNOWN, "Không đọc được nội dung trang để xác định ngày đăng."))
    elif extracted.published_at is None:
        checks.append(
            (C.WINDOW, UNKNOWN, f"Trang không ghi ngày đăng; ngày kê khai {delivery.published_on:%d/%m/%Y}.")
        )
    else:
        day = timezone.localtime(extracted.published_at).date()
        note = "" if day == delivery.published_on else f" (kê khai {delivery.published_on:%d/%m/%Y})"
        if item.window_start <= day <= item.window_end:
            checks.append((C.WINDOW, PASS, f"Đăng ngày {day:%d/%m/%Y}{note}, trong thời gian {window}."))
        else:
            checks.append((C.WINDOW, FAIL, f"Đăng ngày {day:%d/%m/%Y}{note}, ngoài thời gian {window}."))

    urls = {canonical_url(delivery.url)}
    if fetched:
        urls.add(canonical_url(fetched.url))
    if extracted:
        urls.add(extracted.canonical_url)
    article = Article.objects.filter(canonical_url__in=urls).order_by("pk").first()
    if extracted is None:
        checks += [
            (C.PROVINCE, UNKNOWN, "Không đọc được nội dung trang."),
            (C.AREA_TOPIC, UNKNOWN, "Không đọc được nội dung trang."),
        ]
    else:
        judgement = _from_article(article, plan) if article is not None else None
        if judgement is None:
            judgement = _run_analyser(plan, extracted)
        checks += _content_checks(delivery, item, judgement)
    checks.append((C.NOT_COUNTED, *_counted_elsewhere(delivery, urls, article)))

    results = {r for _c, r, _why in checks}
    overall = FAIL if FAIL in results else UNKNOWN if UNKNOWN in results else PASS
    with transaction.atomic():
        snapshot = _snapshot(delivery.url, fetched, extracted, error)
        verification = DeliveryVerification.objects.create(
            delivery=delivery,
            checked_at=timezone.now(),
            overall=overall,
            snapshot=snapshot,
            requested_by=actor if actor is not None and actor.is_authenticated else None,
        )
        DeliveryCheck.objects.bulk_create(
            DeliveryCheck(verification=verification, order=i, code=code, result=result, reason=reason)
            for i, (code, result, reason) in enumerate(checks)
        )
        transition_record(
            subject=verification,
            actor=actor,
            action="delivery_verify",
            new=overall,
            data={"delivery": delivery.pk, "sha256": snapshot.sha256},
        )
    return verification


def verification_request(*, actor: User, delivery_id: int) -> None:
    """The 'Kiểm tra tự động' button: who may record the delivery may ask for a check."""
    from pressdesk.commissioning.selectors import delivery_get_for_user

    delivery = delivery_get_for_user(actor, delivery_id, write=True)
    if not delivery.url:
        raise ValidationFailed(
            "verify.no_url", "Tác phẩm không có đường dẫn (báo in, phát sóng): không kiểm tra tự động được."
        )
    from pressdesk.reports.tasks import delivery_verify_task

    enqueue_on_commit(delivery_verify_task, delivery.pk, actor.pk)


@transaction.atomic
def verification_decide(
    *, actor: User, verification_id: int, confirm: bool, result: str = "", note: str = ""
) -> DeliveryVerification:
    """The commissioning officer confirms the machine's result, or overrides it with a comment."""
    try:
        verification = DeliveryVerification.objects.select_for_update().get(pk=verification_id)
    except (DeliveryVerification.DoesNotExist, ValueError, TypeError):
        raise NotFound("verification.not_found", "Không tìm thấy kết quả kiểm tra.") from None
    delivery = Delivery.objects.select_related("contract_item__contract__package__round").get(
        pk=verification.delivery_id
    )
    membership = require_role(
        actor,
        Role.COMMISSIONING_OFFICER,
        organisation=delivery.contract_item.contract.package.round.opened_by,
    )
    if verification.decision != DeliveryVerification.Decision.PENDING:
        raise TransitionError("verification.decided", "Kết quả kiểm tra này đã được xác nhận.")
    note = (note or "").strip()
    if confirm:
        if verification.overall == UNKNOWN:
            raise ValidationFailed(
                "verification.unknown",
                "Kết quả máy chưa xác định: hãy điều chỉnh thành Đạt hoặc Không đạt kèm ý kiến.",
            )
        verification.decision = DeliveryVerification.Decision.CONFIRMED
        verification.final = verification.overall
    else:
        if result not in (PASS, FAIL):
            raise ValidationFailed("verification.result", "Chọn kết quả điều chỉnh: Đạt hoặc Không đạt.")
        if not note:
            raise ValidationFailed("verification.note", "Điều chỉnh kết quả máy cần ghi ý kiến.")
        verification.decision = DeliveryVerification.Decision.OVERRIDDEN
        verification.final = result
    old = verification.overall
    verification.decided_by = actor
    verification.decided_at = timezone.now()
    verification.decision_note = note
    verification.save(update_fields=["decision", "final", "decided_by", "decided_at", "decision_note"])
    transition_record(
        subject=verification,
        actor=actor,
        action="verification_confirm" if confirm else "verification_override",
        old=old,
        new=verification.final,
        role=membership.role,
        organisation=membership.organisation,
        note=note,
        data={"delivery": delivery.pk},
    )
    return verification


def suggestion_link(*, actor: User, contract_item_id: int, article_id: int) -> Delivery:
    """Record a suggested monitored article as a delivery (through commissioning's own service)."""
    from pressdesk.commissioning import services as commissioning

    item = ContractItem.objects.filter(pk=contract_item_id).select_related("outlet").first()
    article = Article.objects.filter(pk=article_id).select_related("outlet").first()
    if item is None or article is None:
        raise NotFound("suggestion.not_found", "Không tìm thấy dòng hợp đồng hoặc bài báo.")
    if article.outlet_id != item.outlet_id or article.published_at is None:
        raise ValidationFailed("suggestion.mismatch", "Bài báo không thuộc ấn phẩm của dòng hợp đồng.")
    with transaction.atomic():
        delivery = commissioning.delivery_record(
            actor=actor,
            contract_item_id=item.pk,
            outlet=item.outlet,
            title=article.title[:500],
            published_on=timezone.localtime(article.published_at).date(),
            url=article.url,
        )  # its delivery_recorded signal queues the machine check
    return delivery


# --- reports -----------------------------------------------------------------------------------------


def plan_and_period(*, plan_year: Any, period: str) -> tuple[Plan, Period]:
    """The plan of a year and a period inside that year: what both the dashboard and reports accept."""
    try:
        year = int(str(plan_year).strip())
    except ValueError:
        raise ValidationFailed("report.plan", f"Năm kế hoạch '{plan_year}' không hợp lệ.") from None
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        raise ValidationFailed("report.plan", f"Chưa có kế hoạch năm {year}.")
    parsed = parse_period(period)
    if parsed.year != plan.year:
        raise ValidationFailed(
            "report.period_year",
            f"Kỳ báo cáo {parsed.code} không thuộc năm của kế hoạch ({plan.year}).",
        )
    return plan, parsed


def report_params(*, plan_year: Any, period: str, fmt: str) -> tuple[Plan, Period, str]:
    """Validate a report request; every refusal names what is wrong, in Vietnamese."""
    plan, parsed = plan_and_period(plan_year=plan_year, period=period)
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise ValidationFailed("report.format", f"Định dạng '{fmt}' không hỗ trợ: chọn docx hoặc xlsx.")
    return plan, parsed, fmt


def report_build(*, plan: Plan, period: Period, fmt: str, output: Path, today: dt.date | None = None) -> Path:
    from pressdesk.reports.docx_report import write_docx
    from pressdesk.reports.xlsx_report import write_xlsx

    cov = plan_coverage(plan=plan, period=period, today=today)
    if fmt == "docx":
        return write_docx(cov, output, today=today or timezone.localdate())
    return write_xlsx(cov, output)


def report_job_create(*, actor: User, plan_year: Any, period: str, fmt: str) -> ReportJob:
    if not can_read_reports(actor):
        raise PermissionDenied("role_required")
    plan, parsed, fmt = report_params(plan_year=plan_year, period=period, fmt=fmt)
    with transaction.atomic():
        job = ReportJob.objects.create(
            requested_by=actor, params={"plan": plan.year, "period": parsed.code, "format": fmt}
        )
        from pressdesk.reports.tasks import report_job_task

        enqueue_on_commit(report_job_task, job.pk)
    return job


def report_job_run(*, job_id: int) -> ReportJob:
    """Build the job's file; a failure is stored on the job (named), never lost."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING
    )
    job = ReportJob.objects.get(pk=job_id)
    if not claimed:
        return job  # another worker has it, or it already ran: idempotent
    params = job.params
    relative = f"reports/{job.pk}-{secrets.token_hex(8)}.{params['format']}"
    try:
        plan, period, fmt = report_params(
            plan_year=params["plan"], period=params["period"], fmt=params["format"]
        )
        report_build(plan=plan, period=period, fmt=fmt, output=Path(settings.MEDIA_ROOT) / relative)
    except (ValidationFailed, OSError) as exc:
        job.status, job.error = ReportJob.Status.FAILED, str(exc)
    else:
        job.status, job.file_path = ReportJob.Status.DONE, relative
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "file_path", "finished_at"])
    return job


def report_job_file(*, actor: User, job_id: Any) -> tuple[ReportJob, Path]:
    """The job's file for its requester (or an administrator); others get 404 as if it did not exist."""
    job = ReportJob.objects.filter(pk=job_id).first() if str(job_id).isdigit() else None
    if job is None or (job.requested_by_id != actor.pk and not actor.is_superuser):
        raise NotFound("report.not_found", "Không tìm thấy báo cáo.")
    if job.status != ReportJob.Status.DONE or not job.file_path:
        raise TransitionError("report.not_ready", "Báo cáo chưa lập xong.")
    path = (Path(settings.MEDIA_ROOT) / job.file_path).resolve()
    if not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not path.exists():
        raise NotFound("report.not_found", "Tệp báo cáo không còn.")
    return job, path
