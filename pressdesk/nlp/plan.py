"""The plan an article is judged against, as a plain dict (`plan show --json` shape).

    {"year": 2024, "title": "...",
     "areas": [{"number": 1, "title": "...", "keywords": [...],
                "topics": [{"order": 1, "text": "...", "keywords": [...]}]}],
     "events": [{"title": "...", "date": "2024-05-07" | null, "year": 2024, "since_year": 1954,
                 "keywords": [...], "window_before_days": 30, "window_after_days": 15}]}

Keywords are optional everywhere; event keywords are derived from the title when absent, so a new
year's plan works without code changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressdesk.nlp.text import normalize_text

DEFAULT_PLAN_PATH = Path(__file__).resolve().parent / "data" / "plan-2024.json"


class PlanError(ValueError):
    """The plan dict does not have the expected shape (message in Vietnamese)."""


@dataclass
class Topic:
    area: int
    order: int
    text: str
    keywords: list[str] = field(default_factory=list)

    @property
    def document(self) -> str:
        return " ".join([self.text, *self.keywords])


@dataclass
class Area:
    number: int
    title: str
    keywords: list[str]
    topics: list[Topic]

    @property
    def document(self) -> str:
        return " ".join([self.title, *self.keywords, *(t.document for t in self.topics)])


@dataclass
class Event:
    title: str
    year: int
    date: dt.date | None
    since_year: int | None
    keywords: list[str]
    window_before_days: int = 30
    window_after_days: int = 15

    def window(self) -> tuple[dt.date, dt.date]:
        if self.date:
            return (
                self.date - dt.timedelta(days=self.window_before_days),
                self.date + dt.timedelta(days=self.window_after_days),
            )
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)


@dataclass
class Plan:
    year: int | None
    title: str
    areas: list[Area]
    events: list[Event]
    fingerprint: str

    @property
    def topics(self) -> list[Topic]:
        return [t for a in self.areas for t in a.topics]


def load_default_plan() -> dict[str, Any]:
    return json.loads(DEFAULT_PLAN_PATH.read_text(encoding="utf-8"))


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise PlanError(f"{where}: ngày không hợp lệ {value!r} (cần dạng YYYY-MM-DD)") from exc


_GENERIC = re.compile(
    r"^(?:lễ\s+)?(?:kỷ niệm\s+)?\d+\s+năm\s+(?:ngày\s+)?(?:thành lập\s+|phát hiện và nghiên cứu\s+)?",
    re.IGNORECASE,
)


def derive_event_keywords(title: str) -> list[str]:
    """'Kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ (07/5/1954 - 07/5/2024)' → ['Chiến thắng Điện Biên Phủ', 'Điện Biên Phủ']."""
    core = re.sub(r"\([^)]*\)", " ", normalize_text(title))
    core = re.split(r"\s+(?:trên địa bàn|trực thuộc)\b", core)[0]
    core = _GENERIC.sub("", core.strip()).strip(" ,.;")
    keywords = []
    if len(core.split()) >= 2:
        keywords.append(core)
    # The proper-noun runs: consecutive capitalised words ("Điện Biên Phủ", "Đông Sơn").
    run: list[str] = []
    for word in [*core.split(), ""]:
        if word[:1].isupper():
            run.append(word)
            continue
        phrase = " ".join(run)
        if len(run) >= 2 and phrase != core and phrase not in keywords:
            keywords.append(phrase)
        run = []
    return keywords


def normalise_plan(raw: dict[str, Any]) -> Plan:
    if not isinstance(raw, dict):
        raise PlanError("Kế hoạch phải là một đối tượng JSON.")
    areas_raw = raw.get("areas")
    if not isinstance(areas_raw, list) or not areas_raw:
        raise PlanError("Kế hoạch thiếu danh sách lĩnh vực (areas).")
    areas: list[Area] = []
    for i, a in enumerate(areas_raw, start=1):
        if not isinstance(a, dict) or "number" not in a or "title" not in a:
            raise PlanError(f"Lĩnh vực thứ {i} thiếu số thứ tự (number) hoặc tên (title).")
        try:
            number = int(a["number"])
        except (TypeError, ValueError) as exc:
            raise PlanError(f"Lĩnh vực thứ {i}: số thứ tự không hợp lệ {a['number']!r}.") from exc
        topics = []
        for j, t in enumerate(a.get("topics") or [], start=1):
            if not isinstance(t, dict) or not t.get("text"):
                raise PlanError(f"Lĩnh vực {number}, nội dung thứ {j} thiếu văn bản (text).")
            topics.append(
                Topic(number, int(t.get("order") or j), normalize_text(t["text"]), _words(t.get("keywords")))
            )
        areas.append(Area(number, normalize_text(a["title"]), _words(a.get("keywords")), topics))
    events: list[Event] = []
    for i, e in enumerate(raw.get("events") or [], start=1):
        if not isinstance(e, dict) or not e.get("title"):
            raise PlanError(f"Sự kiện thứ {i} thiếu tên (title).")
        date = _date(e.get("date"), f"Sự kiện {e['title']!r}")
        year = int(e.get("year") or (date.year if date else raw.get("year") or dt.date.today().year))
        keywords = _words(e.get("keywords")) or derive_event_keywords(e["title"])
        events.append(
            Event(
                normalize_text(e["title"]),
                year,
                date,
                int(e["since_year"]) if e.get("since_year") else None,
                keywords,
                int(e.get("window_before_days") or 30),
                int(e.get("window_after_days") or 15),
            )
        )
    canonical = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
    fingerprint = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:6]
    plan_year = raw.get("year")
    return Plan(
        int(plan_year) if plan_year else None, str(raw.get("title") or ""), areas, events, fingerprint
    )


def _words(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[,;\n]", value)]
    return [normalize_text(str(v)).strip() for v in value if str(v).strip()]
