"""JSON API of reports (django-ninja); mounted in pressdesk/api.py at /api/reports/.

`GET /api/reports/coverage?plan=2024&period=2024-05` returns the very tables the dashboard, the CSV
and the XLSX show (same selector, same rows), for other tools. Readers only; others get 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from pressdesk.reports.selectors import can_read_reports, plan_coverage
from pressdesk.reports.services import plan_and_period
from pressdesk.reports.tables import build_tables

router = Router(tags=["reports"])


class TableOut(Schema):
    key: str
    title: str
    columns: list[str]
    kinds: list[str]
    rows: list[list[Any]]
    total: list[Any] | None


class CoverageOut(Schema):
    plan: int
    period: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    tables: list[TableOut]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@router.get("/coverage", response=CoverageOut)
def coverage(request: HttpRequest, plan: int, period: str) -> dict[str, Any]:
    if not can_read_reports(request.user):
        raise PermissionDenied("role_required")
    the_plan, the_period = plan_and_period(plan_year=plan, period=period)
    cov = plan_coverage(plan=the_plan, period=the_period)
    tables = [
        {
            "key": t.key,
            "title": t.title,
            "columns": [c.label for c in t.columns],
            "kinds": [c.kind for c in t.columns],
            "rows": [[_plain(v) for v in row] for row in t.rows],
            "total": [_plain(v) for v in t.total] if t.total else None,
        }
        for t in build_tables(cov).values()
    ]
    return {
        "plan": the_plan.year,
        "period": the_period.code,
        "start": the_period.start,
        "end": the_period.end,
        "as_of": cov.as_of,
        "tables": tables,
    }
