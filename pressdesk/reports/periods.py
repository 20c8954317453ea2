"""Reporting periods: a month (YYYY-MM), a quarter (YYYY-Qn) or a year (YYYY), parsed once."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from pressdesk.core.errors import ValidationFailed

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    kind: str  # "month" | "quarter" | "year"
    start: dt.date
    end: dt.date  # inclusive
    code: str  # canonical text: 2024-05, 2024-Q2, 2024

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """How an administrative report names the period: 'tháng 5 năm 2024', 'quý II năm 2024'."""
        if self.kind == "month":
            return f"tháng {self.start.month} năm {self.year}"
        if self.kind == "quarter":
            roman = ["I", "II", "III", "IV"][(self.start.month - 1) // 3]
            return f"quý {roman} năm {self.year}"
        return f"năm {self.year}"

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware datetimes at local midnight: what a day means to the province."""
        zone = ZoneInfo(settings.TIME_ZONE)
        begin = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return begin, after

    def next(self) -> Period:
        day = self.end + dt.timedelta(days=1)
        if self.kind == "month":
            return parse_period(f"{day.year}-{day.month:02d}")
        if self.kind == "quarter":
            return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
        return parse_period(str(day.year))


def _year(digits: str, value: str) -> int:
    """The period's year; "0000" and "9999" would crash dates (no year 0; 9999's next period is year 10000)."""
    year = int(digits)
    if not dt.MINYEAR <= year < dt.MAXYEAR:
        raise ValidationFailed(
            "period.invalid",
            f"Kỳ báo cáo '{value}' không hợp lệ: năm phải từ {dt.MINYEAR} đến {dt.MAXYEAR - 1}.",
            period=value,
        )
    return year


def parse_period(text: str) -> Period:
    """'2024-05', '2024-Q2' or '2024' → Period; anything else raises a Vietnamese ValidationFailed."""
    value = (text or "").strip()
    if m := _MONTH.match(value):
        year, month = _year(m.group(1), value), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValidationFailed(
                "period.invalid", f"Kỳ báo cáo '{value}' không hợp lệ: tháng phải từ 01 đến 12.", period=value
            )
        last = calendar.monthrange(year, month)[1]
        return Period("month", dt.date(year, month, 1), dt.date(year, month, last), f"{year}-{month:02d}")
    if m := _QUARTER.match(value):
        year, quarter = _year(m.group(1), value), int(m.group(2))
        first = 3 * (quarter - 1) + 1
        last_month = first + 2
        last = calendar.monthrange(year, last_month)[1]
        return Period(
            "quarter", dt.date(year, first, 1), dt.date(year, last_month, last), f"{year}-Q{quarter}"
        )
    if m := _YEAR.match(value):
        year = _year(m.group(1), value)
        return Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    raise ValidationFailed(
        "period.invalid",
        f"Kỳ báo cáo '{value}' không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm), "
        "ví dụ 2024-05, 2024-Q2, 2024.",
        period=value,
    )


def default_period(today: dt.date, plan_year: int) -> Period:
    """The month a reader most likely wants: this month within the plan's year, else its last month."""
    if today.year == plan_year:
        return parse_period(f"{today.year}-{today.month:02d}")
    if today.year > plan_year:
        return parse_period(f"{plan_year}-12")
    return parse_period(f"{plan_year}-01")
