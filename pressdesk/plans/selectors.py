"""Reads on plans: the plan of a year, its JSON shape, its calendar of key events, orientation notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from pressdesk.core.errors import NotFound
from pressdesk.plans.models import ContentArea, KeyEvent, Orientation, Plan, Topic

MONTHS_VI = (
    "Tháng 1",
    "Tháng 2",
    "Tháng 3",
    "Tháng 4",
    "Tháng 5",
    "Tháng 6",
    "Tháng 7",
    "Tháng 8",
    "Tháng 9",
    "Tháng 10",
    "Tháng 11",
    "Tháng 12",
)


def plans_list() -> QuerySet[Plan]:
    return Plan.objects.order_by("-year").select_related("owner")


def plan_for_year(*, year: int) -> Plan:
    plan = Plan.objects.filter(year=year).select_related("owner").first()
    if plan is None:
        raise NotFound("plan.not_found", f"Không có kế hoạch năm {year}.", year=year)
    return plan


def plan_areas(plan: Plan) -> QuerySet[ContentArea]:
    return plan.areas.order_by("number").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("order"))
    )


def plan_events(plan: Plan) -> QuerySet[KeyEvent]:
    return plan.events.order_by("order", "pk").select_related("area", "topic")


def plan_as_dict(plan: Plan) -> dict[str, Any]:
    """The shape printed by `pressdesk plan show YEAR --json` and served by GET /api/plans/{year}."""
    return {
        "year": plan.year,
        "title": plan.title,
        "legal_basis": list(plan.legal_basis),
        "purposes": list(plan.purposes),
        "areas": [
            {
                "number": area.number,
                "title": area.title,
                "topics": [{"order": t.order, "text": t.text} for t in area.topics.all()],
            }
            for area in plan_areas(plan)
        ],
        "events": [
            {
                "title": e.title,
                "date": e.date.isoformat() if e.date else None,
                "year": e.year,
                "since_year": e.since_year,
            }
            for e in plan_events(plan)
        ],
        "responsibilities": [
            {"body": r.body, "tasks": list(r.tasks)} for r in plan.responsibilities.order_by("order")
        ],
        "signers": [
            {"name": s.get("name", ""), "title": s.get("title", ""), "body": s.get("body", "")}
            for s in plan.signers
        ],
        "recipients": list(plan.recipients),
    }


@dataclass
class CalendarMonth:
    month: int
    label: str
    events: list[KeyEvent] = field(default_factory=list)


@dataclass
class EventsCalendar:
    months: list[CalendarMonth]
    undated: list[KeyEvent]  # the document gives only the year


def events_calendar(plan: Plan) -> EventsCalendar:
    """Key events by month of the plan's year; events with only a year (or another year) apart."""
    months = [CalendarMonth(month=i + 1, label=MONTHS_VI[i]) for i in range(12)]
    undated: list[KeyEvent] = []
    for event in sorted(plan_events(plan), key=lambda e: (e.date or dt.date.max, e.order)):
        if event.date and event.date.year == plan.year:
            months[event.date.month - 1].events.append(event)
        else:
            undated.append(event)
    return EventsCalendar(months=months, undated=undated)


def orientations_for_plan(plan: Plan) -> QuerySet[Orientation]:
    return (
        plan.orientations.select_related("issued_by", "author")
        .prefetch_related("topics__area")
        .order_by("-valid_from", "-pk")
    )


def orientations_in_force(plan: Plan, *, day: dt.date) -> QuerySet[Orientation]:
    return orientations_for_plan(plan).filter(
        Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def topic_get(*, pk: int) -> Topic:
    topic = Topic.objects.select_related("area__plan").filter(pk=pk).first()
    if topic is None:
        raise NotFound("topic.not_found", "Không tìm thấy nội dung này.")
    return topic


def event_get(*, pk: int) -> KeyEvent:
    event = KeyEvent.objects.select_related("plan", "area", "topic").filter(pk=pk).first()
    if event is None:
        raise NotFound("event.not_found", "Không tìm thấy sự kiện này.")
    return event


def plan_counts(plan: Plan) -> dict[str, int]:
    return {
        "areas": plan.areas.count(),
        "topics": Topic.objects.filter(area__plan=plan).count(),
        "events": plan.events.count(),
        "responsibilities": plan.responsibilities.count(),
        "signers": len(plan.signers),
        "recipients": len(plan.recipients),
    }
