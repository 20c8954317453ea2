"""Formatting of table cells the way Vietnamese readers write numbers (1.234.567, 12,5%)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from pressdesk.reports.tables import DATE, INT, MONEY, PCT

register = template.Library()


def _group(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@register.filter
def cell(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == INT:
        return _group(int(value))
    if kind == MONEY:
        return _group(int(value)) + " đ"
    if kind == PCT:
        return f"{float(value) * 100:.1f}%".replace(".", ",")
    if kind == DATE and isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@register.filter
def zip_columns(row: list[Any], columns: list[Any]) -> list[tuple[Any, Any]]:
    return list(zip(row, columns, strict=True))
