"""Reads of reports: plan versus coverage for a period, contract progress, suggested delivery links.

`plan_coverage` is THE function behind the dashboard, the CSV downloads, the XLSX and the DOCX: every
figure a reader sees for a plan and a period comes from one call, so the report and the dashboard
cannot disagree. It is built from ORM aggregates (GROUP BY in the database); Python only reshapes.

What counts as coverage: a press article (channel "press") judged about the province
(`about_province=True`), published in the period (local days of settings.TIME_ZONE). An article
without an outlet counts as "other". Area/topic/event figures come from the article's Mention for
the plan (one article is counted once per area, topic or event however many labels it has).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils import timezone

from pressdesk.accounts.models import Organisation, OrgKind, OutletLevel, Role
from pressdesk.accounts.permissions import active_roles
from pressdesk.commissioning.models import (
    AcceptanceLine,
    Contract,
    ContractItem,
    Delivery,
    OrderRound,
    Payment,
)
from pressdesk.monitoring.models import Article, Mention, MentionEvent, MentionTopic
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic
from pressdesk.reports.periods import Period

LEVELS: tuple[str, ...] = (OutletLevel.CENTRAL, OutletLevel.PROVINCIAL, OutletLevel.OTHER)
LEVEL_LABELS: dict[str, str] = {
    OutletLevel.CENTRAL: "Báo chí Trung ương",
    OutletLevel.PROVINCIAL: "Báo chí của tỉnh",
    OutletLevel.OTHER: "Khác",
}
TONES: tuple[str, ...] = (
    Article.Tone.POSITIVE,
    Article.Tone.NEUTRAL,
    Article.Tone.NEGATIVE,
    "",
)
TONE_LABELS: dict[str, str] = {
    Article.Tone.POSITIVE: "Tích cực",
    Article.Tone.NEUTRAL: "Trung tính",
    Article.Tone.NEGATIVE: "Tiêu cực",
    "": "Chưa phân tích",
}
# Contracts that commit the province to something: signed and not cancelled.
ACTIVE_CONTRACT_STATUSES = (
    Contract.Status.SIGNED,
    Contract.Status.IN_PROGRESS,
    Contract.Status.DELIVERED,
    Contract.Status.ACCEPTED,
    Contract.Status.PAID,
    Contract.Status.SETTLED,
)
MONEY = DecimalField(max_digits=20, decimal_places=0)
ZERO_MONEY = Value(Decimal(0), output_field=MONEY)

# Who reads the dashboards and reports (press agencies follow their own contracts in commissioning).
DASHBOARD_ROLES = frozenset(
    {
        Role.COMMISSIONING_OFFICER,
        Role.MONITOR,
        Role.PLAN_EDITOR,
        Role.APPRAISER,
        Role.APPROVER,
        Role.VIEWER,
        Role.ADMINISTRATOR,
    }
)


def can_read_reports(user: Any) -> bool:
    return bool(active_roles(user) & DASHBOARD_ROLES)


# --- result shapes -----------------------------------------------------------------------------------


def _levels() -> dict[str, int]:
    return dict.fromkeys(LEVELS, 0)


@dataclass
class CoverageRow:
    """Coverage of one area, topic or event: articles by outlet level and tone, outlets, commitments."""

    key: Any
    label: str
    levels: dict[str, int] = field(default_factory=_levels)
    tones: dict[str, int] = field(default_factory=dict)
    outlets: dict[str, int] = field(default_factory=dict)
    contracted: int = 0  # quantity of active contract lines whose window overlaps the period
    delivered: int = 0  # deliveries (not rejected) published in the period on those lines
    target: int | None = None  # the plan editor's target prorated to the period
    total: int = 0

    def outlets_text(self, limit: int = 5) -> str:
        ranked = sorted(self.outlets.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = [f"{name} ({n})" for name, n in ranked[:limit]]
        if len(ranked) > limit:
            shown.append(f"+{len(ranked) - limit}")
        return ", ".join(shown)


@dataclass
class EventRow(CoverageRow):
    date: dt.date | None = None
    before: int = 0
    on_day: int = 0
    after: int = 0
    weeks: dict[int, int] = field(default_factory=dict)  # week offset from the event date → articles


@dataclass
class Gap:
    topic: Topic
    label: str
    covered: int
    expected: int
    target: int | None
    contracted: int
    reason: str

    @property
    def shortfall(self) -> int:
        return max(self.expected - self.covered, 0)


@dataclass
class AgencyProgress:
    agency: str
    contracts: int = 0
    ordered: int = 0
    delivered: int = 0
    delivered_accepted: int = 0
    accepted: int = 0
    value: Decimal = Decimal(0)
    accepted_value: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    late_items: int = 0

    @property
    def delivered_share(self) -> float:
        return self.delivered / self.ordered if self.ordered else 0.0

    @property
    def paid_share(self) -> float:
        return float(self.paid / self.value) if self.value else 0.0


@dataclass
class LateItem:
    item_id: int
    agency: str
    contract: str
    description: str
    outlet: str
    window_end: dt.date
    ordered: int
    delivered: int
    days_late: int

    @property
    def missing(self) -> int:
        return max(self.ordered - self.delivered, 0)


@dataclass
class Coverage:
    plan: Plan
    period: Period
    as_of: dt.date
    levels: dict[str, int]
    tones: dict[str, int]
    total: int
    false_info: int
    areas: list[CoverageRow]
    topics: list[CoverageRow]
    events: list[EventRow]
    outlets: list[tuple[str, str, int]]  # (outlet, level, articles)
    gaps: list[Gap]
    weeks: list[dt.date]
    area_weeks: dict[Any, dict[dt.date, int]]  # area id (None: no area) → week start → articles
    level_weeks: dict[str, dict[dt.date, int]]
    agencies: list[AgencyProgress]
    progress_total: AgencyProgress
    late: list[LateItem]


# --- building blocks ---------------------------------------------------------------------------------


def coverage_articles(*, period: Period) -> QuerySet[Article]:
    begin, after = period.bounds()
    return Article.objects.filter(
        channel=Article.Channel.PRESS,
        about_province=True,
        published_at__gte=begin,
        published_at__lt=after,
    )


def _level(value: str | None) -> str:
    return value if value in LEVELS else OutletLevel.OTHER


def _prorate(target: int | None, plan: Plan, period: Period) -> int | None:
    """A yearly target scaled to the period's share of the plan year (half up), whole for a year."""
    if target is None:
        return None
    year_start, year_end = dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
    start, end = max(period.start, year_start), min(period.end, year_end)
    if end < start:
        return 0
    share = Decimal((end - start).days + 1) / Decimal((year_end - year_start).days + 1)
    return int((Decimal(target) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _active_items(plan: Plan) -> QuerySet[ContractItem]:
    return ContractItem.objects.filter(
        contract__package__round__plan=plan, contract__status__in=ACTIVE_CONTRACT_STATUSES
    )


def _fill(
    rows: dict[Any, CoverageRow],
    qs: QuerySet[Any],
    key: str,
    article: str,
) -> None:
    """Add level, tone and outlet counts from a Mention/MentionTopic/MentionEvent queryset."""
    per_level = qs.values(key, f"{article}__outlet__level").annotate(n=Count(article, distinct=True))
    for r in per_level:
        row = rows.get(r[key])
        if row is not None:
            row.levels[_level(r[f"{article}__outlet__level"])] += r["n"]
    per_tone = qs.values(key, f"{article}__tone").annotate(n=Count(article, distinct=True))
    for r in per_tone:
        row = rows.get(r[key])
        if row is not None:
            tone = r[f"{article}__tone"] or ""
            row.tones[tone] = row.tones.get(tone, 0) + r["n"]
    per_outlet = (
        qs.filter(**{f"{article}__outlet__isnull": False})
        .values(key, f"{article}__outlet__name")
        .annotate(n=Count(article, distinct=True))
    )
    for r in per_outlet:
        row = rows.get(r[key])
        if row is not None:
            row.outlets[r[f"{article}__outlet__name"]] = r["n"]
    for row in rows.values():
        row.total = sum(row.levels.values())


def _commitments(
    rows: dict[Any, CoverageRow], items: QuerySet[ContractItem], key: str, period: Period
) -> None:
    for r in items.values(key).annotate(q=Sum("quantity")):
        row = rows.get(r[key])
        if row is not None:
            row.contracted = int(r["q"] or 0)
    delivered = (
        Delivery.objects.filter(
            contract_item__in=items, published_on__gte=period.start, published_on__lte=period.end
        )
        .exclude(status=Delivery.Status.REJECTED)
        .values(f"contract_item__{key}")
        .annotate(n=Count("pk"))
    )
    for r in delivered:
        row = rows.get(r[f"contract_item__{key}"])
        if row is not None:
            row.delivered = r["n"]


def _week(value: dt.datetime | dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _weeks_of(period: Period) -> list[dt.date]:
    first = period.start - dt.timedelta(days=period.start.weekday())
    out = []
    while first <= period.end:
        out.append(first)
        first += dt.timedelta(days=7)
    return out


# --- the one function --------------------------------------------------------------------------------


def plan_coverage(*, plan: Plan, period: Period, today: dt.date | None = None) -> Coverage:
    today = today or timezone.localdate()
    r: Any  # one name for the rows of several aggregates
    articles = coverage_articles(period=period)
    mentions = Mention.objects.filter(plan=plan, article__in=articles)

    levels = _levels()
    for r in articles.values("outlet__level").annotate(n=Count("pk")):
        levels[_level(r["outlet__level"])] += r["n"]
    tones = dict.fromkeys(TONES, 0)
    for r in articles.values("tone").annotate(n=Count("pk")):
        tones[r["tone"] or ""] = tones.get(r["tone"] or "", 0) + r["n"]
    false_info = articles.filter(false_info=True).count()
    outlets = [
        (r["outlet__name"], _level(r["outlet__level"]), r["n"])
        for r in articles.filter(outlet__isnull=False)
        .values("outlet__name", "outlet__level")
        .annotate(n=Count("pk"))
        .order_by("-n", "outlet__name")
    ]
    items = _active_items(plan).filter(window_start__lte=period.end, window_end__gte=period.start)

    # Areas.
    area_objs = list(ContentArea.objects.filter(plan=plan).order_by("number"))
    areas: dict[Any, CoverageRow] = {
        a.pk: CoverageRow(key=a, label=f"{a.number}. {a.title}") for a in area_objs
    }
    _fill(areas, mentions, "area_id", "article")
    _commitments(areas, items, "area_id", period)

    # Topics (with the editor's targets, prorated).
    topic_objs = list(
        Topic.objects.filter(area__plan=plan).select_related("area").order_by("area__number", "order")
    )
    topics: dict[Any, CoverageRow] = {
        t.pk: CoverageRow(
            key=t,
            label=f"{t.area.number}.{t.order} {t.text}",
            target=_prorate(t.target_count, plan, period),
        )
        for t in topic_objs
    }
    topic_links = MentionTopic.objects.filter(mention__in=mentions)
    _fill(topics, topic_links, "topic_id", "mention__article")
    _commitments(topics, items, "topic_id", period)
    for a in area_objs:
        targets = [t.target for t in topics.values() if t.key.area_id == a.pk and t.target is not None]
        areas[a.pk].target = sum(targets) if targets else None

    # Key events: those whose coverage window overlaps the period; counted inside window ∩ period.
    events: list[EventRow] = []
    for e in KeyEvent.objects.filter(plan=plan).order_by("order", "pk"):
        start, end = max(e.window_start, period.start), min(e.window_end, period.end)
        if end < start:
            continue
        sub = Period("custom", start, end, f"{start}/{end}")
        ev_links = MentionEvent.objects.filter(
            event=e, mention__plan=plan, mention__article__in=coverage_articles(period=sub)
        )
        row = EventRow(key=e, label=e.title, date=e.date)
        holder: dict[Any, CoverageRow] = {e.pk: row}
        _fill(holder, ev_links, "event_id", "mention__article")
        _commitments(holder, items, "event_id", sub)
        if e.date:
            by_day = (
                ev_links.annotate(day=TruncDate("mention__article__published_at"))
                .values("day")
                .annotate(n=Count("mention__article", distinct=True))
            )
            for r in by_day:
                day = r["day"]
                if day < e.date:
                    row.before += r["n"]
                elif day == e.date:
                    row.on_day += r["n"]
                else:
                    row.after += r["n"]
                offset = (day - e.date).days // 7
                row.weeks[offset] = row.weeks.get(offset, 0) + r["n"]
        events.append(row)

    # Coverage over time: by area and by outlet level, week by week (weeks start on Monday).
    weeks = _weeks_of(period)
    area_weeks: dict[Any, dict[dt.date, int]] = defaultdict(dict)
    for r in (
        mentions.annotate(week=TruncWeek("article__published_at"))
        .values("week", "area_id")
        .annotate(n=Count("article", distinct=True))
    ):
        area_weeks[r["area_id"]][_week(r["week"])] = r["n"]
    level_weeks: dict[str, dict[dt.date, int]] = {lv: {} for lv in LEVELS}
    for r in (
        articles.annotate(week=TruncWeek("published_at"))
        .values("week", "outlet__level")
        .annotate(n=Count("pk"))
    ):
        bucket = level_weeks[_level(r["outlet__level"])]
        bucket[_week(r["week"])] = bucket.get(_week(r["week"]), 0) + r["n"]

    agencies, total, late = contract_progress_for_plan(plan=plan, as_of=min(period.end, today))
    topic_rows = list(topics.values())
    return Coverage(
        plan=plan,
        period=period,
        as_of=min(period.end, today),
        levels=levels,
        tones=tones,
        total=sum(levels.values()),
        false_info=false_info,
        areas=list(areas.values()),
        topics=topic_rows,
        events=events,
        outlets=outlets,
        gaps=coverage_gaps(topic_rows),
        weeks=weeks,
        area_weeks=dict(area_weeks),
        level_weeks=level_weeks,
        agencies=agencies,
        progress_total=total,
        late=late,
    )


def coverage_gaps(topics: list[CoverageRow]) -> list[Gap]:
    """Under-covered topics: fewer articles than the prorated target or the contracted quantity.

    A topic without any article in the period is a gap even with no target: the next order round
    can start from this list.
    """
    gaps = []
    for row in topics:
        expected = max(row.target or 0, row.contracted)
        if row.total >= expected and row.total > 0:
            continue
        if row.total == 0 and expected == 0:
            reason = "Chưa có tin, bài nào trong kỳ"
        elif row.target and row.target >= row.contracted:
            reason = f"Đạt {row.total}/{row.target} tin, bài theo chỉ tiêu"
        else:
            reason = f"Đạt {row.total}/{row.contracted} tin, bài đã đặt hàng"
        gaps.append(
            Gap(
                topic=row.key,
                label=row.label,
                covered=row.total,
                expected=expected,
                target=row.target,
                contracted=row.contracted,
                reason=reason,
            )
        )
    gaps.sort(key=lambda g: (-g.shortfall, g.covered, g.topic.area.number, g.topic.order))
    return gaps


def contract_progress_for_plan(
    *, plan: Plan, as_of: dt.date, agency: Organisation | None = None
) -> tuple[list[AgencyProgress], AgencyProgress, list[LateItem]]:
    """Ordered, delivered, accepted and paid per agency and in total, cumulative to `as_of`; late lines."""
    contracts = Contract.objects.filter(package__round__plan=plan, status__in=ACTIVE_CONTRACT_STATUSES)
    if agency is not None:
        contracts = contracts.filter(agency=agency)
    rows: dict[int, AgencyProgress] = {}
    r: Any  # one name for the rows of several aggregates

    def row(agency_id: int, name: str) -> AgencyProgress:
        return rows.setdefault(agency_id, AgencyProgress(agency=name))

    for r in contracts.values("agency_id", "agency__name").annotate(n=Count("pk")):
        row(r["agency_id"], r["agency__name"]).contracts = r["n"]
    items = ContractItem.objects.filter(contract__in=contracts)
    for r in items.values("contract__agency_id", "contract__agency__name").annotate(
        q=Sum("quantity"),
        v=Coalesce(Sum(ExpressionWrapper(F("quantity") * F("unit_price"), output_field=MONEY)), ZERO_MONEY),
    ):
        p = row(r["contract__agency_id"], r["contract__agency__name"])
        p.ordered, p.value = int(r["q"] or 0), Decimal(r["v"])
    deliveries = Delivery.objects.filter(contract_item__in=items, published_on__lte=as_of).exclude(
        status=Delivery.Status.REJECTED
    )
    for r in deliveries.values("contract_item__contract__agency_id").annotate(
        n=Count("pk"), ok=Count("pk", filter=Q(status=Delivery.Status.ACCEPTED))
    ):
        p = rows[r["contract_item__contract__agency_id"]]
        p.delivered, p.delivered_accepted = r["n"], r["ok"]
    lines = AcceptanceLine.objects.filter(
        acceptance__contract__in=contracts, acceptance__period_end__lte=as_of
    )
    for r in lines.values("acceptance__contract__agency_id").annotate(
        q=Sum("accepted_quantity"),
        v=Coalesce(
            Sum(
                ExpressionWrapper(
                    F("accepted_quantity") * F("contract_item__unit_price") - F("deduction"),
                    output_field=MONEY,
                )
            ),
            ZERO_MONEY,
        ),
    ):
        p = rows[r["acceptance__contract__agency_id"]]
        p.accepted, p.accepted_value = int(r["q"] or 0), Decimal(r["v"])
    payments = Payment.objects.filter(contract__in=contracts, paid_on__lte=as_of)
    for r in payments.values("contract__agency_id").annotate(v=Sum("amount")):
        rows[r["contract__agency_id"]].paid = Decimal(r["v"] or 0)

    # Late: the line's window has closed by `as_of` and fewer works were delivered than ordered.
    late: list[LateItem] = []
    closed = (
        items.filter(window_end__lt=as_of)
        .select_related("contract__agency", "outlet", "area", "topic")
        .annotate(
            n=Count(
                "deliveries",
                filter=~Q(deliveries__status=Delivery.Status.REJECTED)
                & Q(deliveries__published_on__lte=as_of),
            )
        )
        .filter(n__lt=F("quantity"))
        .order_by("window_end", "pk")
    )
    for item in closed:
        what = item.get_product_type_display()
        subject = item.topic.text if item.topic else item.area.title
        late.append(
            LateItem(
                item_id=item.pk,
                agency=item.contract.agency.name,
                contract=item.contract.number,
                description=f"{what}: {subject}",
                outlet=item.outlet.name,
                window_end=item.window_end,
                ordered=item.quantity,
                delivered=item.n,
                days_late=(as_of - item.window_end).days,
            )
        )
        rows[item.contract.agency_id].late_items += 1

    agencies = sorted(rows.values(), key=lambda p: p.agency)
    total = AgencyProgress(agency="Tổng cộng")
    for p in agencies:
        total.contracts += p.contracts
        total.ordered += p.ordered
        total.delivered += p.delivered
        total.delivered_accepted += p.delivered_accepted
        total.accepted += p.accepted
        total.value += p.value
        total.accepted_value += p.accepted_value
        total.paid += p.paid
        total.late_items += p.late_items
    return agencies, total, late


def reporting_body(plan: Plan) -> Organisation | None:
    """Who signs the report: the body that ran the plan's order rounds, else the information
    department, else the plan's owner."""
    opened = (
        OrderRound.objects.filter(plan=plan).order_by("pk").values_list("opened_by_id", flat=True).first()
    )
    if opened:
        org = Organisation.objects.filter(pk=opened).first()
        if org is not None:
            return org.current() if hasattr(org, "current") else org
    info = (
        Organisation.objects.filter(kind=OrgKind.INFORMATION, successor__isnull=True).order_by("pk").first()
    )
    return info or plan.owner


# --- suggested links ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    item: ContractItem
    article: Article


def delivery_suggestions(*, plan: Plan | None = None, limit: int = 50) -> list[Suggestion]:
    """Monitored articles that look like deliveries of an active contract line not yet recorded:
    same outlet, published in the line's window, about the province, labelled with the line's area
    (and topic, when the line names one) for the contract's plan."""
    items = ContractItem.objects.filter(
        contract__status__in=[Contract.Status.SIGNED, Contract.Status.IN_PROGRESS]
    ).select_related("contract__agency", "contract__package__round__plan", "outlet", "area", "topic")
    if plan is not None:
        items = items.filter(contract__package__round__plan=plan)
    recorded = set(Delivery.objects.exclude(url="").values_list("url", flat=True))
    out: list[Suggestion] = []
    for item in items.order_by("window_end", "pk"):
        zone = timezone.get_current_timezone()
        begin = dt.datetime.combine(item.window_start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(item.window_end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        match = Mention.objects.filter(plan=item.contract.package.round.plan, area=item.area)
        if item.topic_id:
            match = match.filter(topics=item.topic_id)
        candidates = (
            Article.objects.filter(
                outlet=item.outlet,
                about_province=True,
                published_at__gte=begin,
                published_at__lt=after,
                mentions__in=match,
            )
            .distinct()
            .order_by("published_at", "pk")
        )
        for article in candidates:
            if article.url in recorded or article.canonical_url in recorded:
                continue
            out.append(Suggestion(item=item, article=article))
            if len(out) >= limit:
                return out
    return out


# --- figures other apps may provide ------------------------------------------------------------------


@dataclass
class Section:
    """Lines for a report section fed by another app; `available` False means 'chưa có dữ liệu'."""

    available: bool
    lines: list[str]


def _status_counts(model: Any, date_field: str, period: Period) -> list[str]:
    begin, after = period.bounds()
    qs = model.objects.filter(**{f"{date_field}__gte": begin, f"{date_field}__lt": after})
    field_obj = model._meta.get_field("status")
    labels = dict(field_obj.choices or [])
    rows = qs.values("status").annotate(n=Count("pk")).order_by("status")
    return [f"{labels.get(r['status'], r['status'])}: {r['n']}" for r in rows]


def false_info_answers(*, period: Period) -> Section:
    """Alerts raised and answers given in the watch app, counted by status (if the app has them)."""
    from django.apps import apps

    lines: list[str] = []
    found = False
    for name, what in (("Alert", "Cảnh báo"), ("Response", "Phản hồi, trả lời")):
        try:
            model = apps.get_model("watch", name)
        except LookupError:
            continue
        date_field = next(
            (
                f
                for f in ("created_at", "raised_at", "opened_at")
                if any(x.name == f for x in model._meta.fields)
            ),
            None,
        )
        if date_field is None or not any(x.name == "status" for x in model._meta.fields):
            continue
        found = True
        counts = _status_counts(model, date_field, period)
        lines.append(f"{what}: " + ("; ".join(counts) if counts else "không có trong kỳ") + ".")
    return Section(available=found, lines=lines)


def inquiry_figures(*, period: Period) -> Section:
    """Press inquiries per body in the period: received, answered (late), declined, overdue and open."""
    from pressdesk.infohub.selectors import inquiry_stats

    rows = inquiry_stats(period.start, period.end + dt.timedelta(days=1))
    if not rows:
        return Section(True, ["không có câu hỏi nào của báo chí trong kỳ"])
    total = {
        k: sum(getattr(r, k) for r in rows)
        for k in ("received", "answered", "declined", "late", "open_overdue")
    }
    lines = [
        f"tổng cộng nhận {total['received']}, đã trả lời {total['answered']} (trả lời muộn {total['late']}), "
        f"từ chối {total['declined']}, quá hạn chưa trả lời {total['open_overdue']}"
    ]
    lines += [
        f"{r.body_name}: nhận {r.received}, đã trả lời {r.answered} (muộn {r.late}), "
        f"quá hạn chưa trả lời {r.open_overdue}"
        for r in rows
    ]
    return Section(True, lines)
