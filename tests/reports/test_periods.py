from __future__ import annotations

import datetime as dt

import pytest

from pressdesk.core.errors import ValidationFailed
from pressdesk.reports.periods import default_period, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "label"),
    [
        ("2024-05", "month", D(2024, 5, 1), D(2024, 5, 31), "tháng 5 năm 2024"),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29), "tháng 2 năm 2024"),
        ("2024-Q2", "quarter", D(2024, 4, 1), D(2024, 6, 30), "quý II năm 2024"),
        ("2024-q4", "quarter", D(2024, 10, 1), D(2024, 12, 31), "quý IV năm 2024"),
        (" 2024 ", "year", D(2024, 1, 1), D(2024, 12, 31), "năm 2024"),
    ],
)
def test_parse_period(text: str, kind: str, start: dt.date, end: dt.date, label: str) -> None:
    p = parse_period(text)
    assert (p.kind, p.start, p.end, p.label) == (kind, start, end, label)


@pytest.mark.parametrize(
    "text", ["", "2024-13", "2024-00", "2024-Q5", "24-05", "2024/05", "tháng 5", "2024-5"]
)
def test_bad_period_is_refused_with_a_vietnamese_message(text: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_period(text)
    assert info.value.code == "period.invalid"
    assert "Kỳ báo cáo" in info.value.message
    assert "không hợp lệ" in info.value.message


@pytest.mark.parametrize("text", ["0000", "0000-05", "0000-Q1", "9999", "9999-12"])
def test_year_without_dates_is_refused_not_a_crash(text: str) -> None:
    # Found by tests/fuzz: "0000" raised ValueError (there is no year 0) and the reports API answered 500;
    # 9999 has no next period and no end bound.
    with pytest.raises(ValidationFailed, match="năm phải từ 1 đến 9998") as info:
        parse_period(text)
    assert info.value.code == "period.invalid"


def test_month_message_names_the_month_range() -> None:
    with pytest.raises(ValidationFailed, match="tháng phải từ 01 đến 12"):
        parse_period("2024-13")


def test_next_period_and_default() -> None:
    assert parse_period("2024-12").next().code == "2025-01"
    assert parse_period("2024-Q4").next().code == "2025-Q1"
    assert default_period(D(2024, 7, 9), 2024).code == "2024-07"
    assert default_period(D(2026, 1, 2), 2024).code == "2024-12"


def test_bounds_are_local_midnights() -> None:
    begin, after = parse_period("2024-05").bounds()
    assert begin.isoformat() == "2024-05-01T00:00:00+07:00"
    assert after.isoformat() == "2024-06-01T00:00:00+07:00"
