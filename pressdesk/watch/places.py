"""The province's places for the search filter: old districts (before 1 July 2025) and new communes.

Read from the analyser's gazetteer data, so the codes are the ones stored with articles.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pressdesk.nlp.gazetteer import DATA_PATH


@lru_cache(maxsize=1)
def _entries() -> list[dict[str, Any]]:
    return list(json.loads(DATA_PATH.read_text(encoding="utf-8"))["entries"])


@lru_cache(maxsize=1)
def place_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group label, [(code, "Type Name"), ...]), ...] for a <select> with optgroups."""

    def items(level: str) -> list[tuple[str, str]]:
        rows = [
            (e["code"], f"{e.get('type', '')} {e['name']}".strip()) for e in _entries() if e["level"] == level
        ]
        return sorted(rows, key=lambda row: row[1])

    return [
        ("Huyện, thị xã, thành phố (trước 01/7/2025)", items("district")),
        ("Xã, phường (từ 01/7/2025)", items("commune")),
        ("Địa danh", items("landmark")),
    ]


@lru_cache(maxsize=2048)
def codes_within(code: str) -> tuple[str, ...]:
    """The code and, for an old district, the codes of its old communes (an article naming only a commune
    of Sầm Sơn is about Sầm Sơn)."""
    children = [e["code"] for e in _entries() if e.get("parent") == code]
    return (code, *children)


@lru_cache(maxsize=1)
def _parents() -> dict[str, str]:
    return {e["code"]: e["parent"] for e in _entries() if e.get("parent")}


def with_parents(codes: list[str]) -> list[str]:
    """The codes, then the old districts of the old communes among them (an article naming only
    the commune Quảng Cư is answered by Sầm Sơn when no body is registered for the commune)."""
    parents = _parents()
    out = list(codes)
    for code in codes:
        parent = parents.get(code)
        if parent is not None and parent not in out:
            out.append(parent)
    return out
