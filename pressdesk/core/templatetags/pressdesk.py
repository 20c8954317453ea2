"""Formatting in the Vietnamese way: money in đồng with dot thousands separators."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def format_vnd(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    whole = f"{abs(amount).quantize(Decimal(1)):,}".replace(",", ".")
    return f"{sign}{whole} đ"


@register.filter
def vnd(value: Any) -> str:
    """1234567 → '1.234.567 đ'."""
    return format_vnd(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
