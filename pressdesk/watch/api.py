"""JSON API of watch (django-ninja); mounted at /api/watch/ in pressdesk/api.py.

Search returns the same list as `pressdesk search --json`; alerts are scoped like the pages (a body
sees its own, monitors and viewers all; another body's alert is a 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from pressdesk.accounts.permissions import require_any_role
from pressdesk.watch import selectors, services
from pressdesk.watch.search import Filters, search_articles

router = Router(tags=["watch"])


class HitOut(Schema):
    id: int
    url: str
    title: str
    outlet: str
    published: str | None
    score: float | None


class SearchOut(Schema):
    total: int  # counted up to COUNT_CAP
    more: bool  # more than `total` matches
    results: list[HitOut]


class AlertOut(Schema):
    id: int
    title: str
    rule: str
    kind: str
    status: str
    severity: str
    body: str | None
    deadline: dt.datetime
    created_at: dt.datetime
    articles: list[int]


class AnswerIn(Schema):
    kind: str
    text: str
    link_url: str = ""
    press_release_id: int | None = None


def _alert(alert: Any) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "title": alert.title,
        "rule": alert.rule.name,
        "kind": alert.rule.kind,
        "status": alert.status,
        "severity": alert.severity,
        "body": alert.body.name if alert.body_id else None,
        "deadline": alert.deadline,
        "created_at": alert.created_at,
        "articles": sorted(alert.articles.values_list("pk", flat=True)),
    }


@router.get("/search", response=SearchOut)
def search(
    request: HttpRequest, q: str = "", sort: str = "relevance", limit: int = 20, offset: int = 0
) -> Any:
    require_any_role(request.user)
    filters = Filters.from_mapping(request.GET)
    result = search_articles(query=q, filters=filters, sort=sort, limit=limit, offset=offset)
    return {"total": result.total, "more": result.more, "results": [h.as_json() for h in result.hits]}


@router.get("/alerts", response=list[AlertOut])
def alerts(request: HttpRequest, status: str = "") -> Any:
    require_any_role(request.user)
    qs = selectors.alerts_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    return [_alert(a) for a in qs[:500]]


@router.get("/alerts/{alert_id}", response=AlertOut)
def alert(request: HttpRequest, alert_id: int) -> Any:
    require_any_role(request.user)
    return _alert(selectors.alert_for(request.user, alert_id))


@router.post("/alerts/{alert_id}/answer", response=AlertOut)
def answer(request: HttpRequest, alert_id: int, payload: AnswerIn) -> Any:
    require_any_role(request.user)
    services.alert_answer(
        alert_id=alert_id,
        actor=request.user,
        kind=payload.kind,
        text=payload.text,
        link_url=payload.link_url,
        press_release_id=payload.press_release_id,
    )
    return _alert(selectors.alert_for(request.user, alert_id))


@router.post("/alerts/{alert_id}/close", response=AlertOut)
def close(request: HttpRequest, alert_id: int) -> Any:
    require_any_role(request.user)
    services.alert_close(alert_id=alert_id, actor=request.user)
    return _alert(selectors.alert_for(request.user, alert_id))
