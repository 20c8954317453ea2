"""JSON API of plans (django-ninja); mounted at /api/plans/ in pressdesk/api.py.

Any user with an active role may read; only a plan editor may change a topic. The plan of a year has the
same shape as `pressdesk plan show YEAR --json`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from pressdesk.accounts.permissions import require_any_role
from pressdesk.plans import selectors, services

router = Router(tags=["plans"])


class PlanSummaryOut(Schema):
    year: int
    title: str
    number: str
    issue_date: dt.date | None
    status: str
    areas: int
    topics: int
    events: int


class TopicOut(Schema):
    order: int
    text: str


class AreaOut(Schema):
    number: int
    title: str
    topics: list[TopicOut]


class EventOut(Schema):
    title: str
    date: dt.date | None
    year: int
    since_year: int | None


class ResponsibilityOut(Schema):
    body: str
    tasks: list[str]


class SignerOut(Schema):
    name: str
    title: str
    body: str


class PlanOut(Schema):
    year: int
    title: str
    legal_basis: list[str]
    purposes: list[str]
    areas: list[AreaOut]
    events: list[EventOut]
    responsibilities: list[ResponsibilityOut]
    signers: list[SignerOut]
    recipients: list[str]


class TopicPatch(Schema):
    text: str | None = None
    keywords: list[str] | None = None
    target_count: int | None = None


class TopicDetailOut(Schema):
    id: int
    area_number: int
    order: int
    text: str
    keywords: list[str]
    target_count: int | None


@router.get("/", response=list[PlanSummaryOut])
def plan_list(request: HttpRequest) -> list[dict[str, Any]]:
    require_any_role(request.user)
    out = []
    for plan in selectors.plans_list():
        counts = selectors.plan_counts(plan)
        out.append(
            {
                "year": plan.year,
                "title": plan.title,
                "number": plan.number,
                "issue_date": plan.issue_date,
                "status": plan.status,
                "areas": counts["areas"],
                "topics": counts["topics"],
                "events": counts["events"],
            }
        )
    return out


@router.get("/{int:year}", response=PlanOut)
def plan_detail(request: HttpRequest, year: int) -> dict[str, Any]:
    require_any_role(request.user)
    return selectors.plan_as_dict(selectors.plan_for_year(year=year))


@router.patch("/topics/{int:topic_id}", response=TopicDetailOut)
def topic_patch(request: HttpRequest, topic_id: int, payload: TopicPatch) -> dict[str, Any]:
    require_any_role(request.user)
    topic = selectors.topic_get(pk=topic_id)
    data = payload.dict(exclude_unset=True)
    topic = services.topic_update(
        topic_id=topic.pk,
        actor=request.user,
        text=data.get("text", topic.text) or "",
        keywords=data.get("keywords", topic.keywords) or [],
        target_count=data.get("target_count", topic.target_count),
    )
    return {
        "id": topic.pk,
        "area_number": topic.area.number,
        "order": topic.order,
        "text": topic.text,
        "keywords": topic.keywords,
        "target_count": topic.target_count,
    }
