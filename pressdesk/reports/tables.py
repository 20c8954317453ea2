"""The tables behind every chart and report section, built once from a Coverage.

The dashboard shows these tables, the CSV downloads write them, the XLSX has one sheet per table and
the DOCX prints a selection: the same rows everywhere, so the figures agree by construction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pressdesk.reports.selectors import LEVEL_LABELS, LEVELS, TONE_LABELS, TONES, Coverage

# Column kinds decide formats: int "#,##0", money "#,##0 đ", pct "0.0%", date dd/mm/yyyy, text.
INT, MONEY, PCT, DATE, TEXT = "int", "money", "pct", "date", "text"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = INT
    width: int = 12


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    total: list[Any] | None = None  # a closing "Tổng cộng" row, kept apart from the data rows

    def all_rows(self) -> list[list[Any]]:
        return [*self.rows, *([self.total] if self.total else [])]

    def column(self, label: str) -> list[Any]:
        index = [c.label for c in self.columns].index(label)
        return [r[index] for r in self.rows]


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _level_cols() -> list[Column]:
    return [Column(LEVEL_LABELS[lv]) for lv in LEVELS]


def _week_label(day: dt.date) -> str:
    return f"Tuần từ {day:%d/%m}"


def build_tables(cov: Coverage) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    total = cov.total

    tables["levels"] = Table(
        "levels",
        "Tin, bài về tỉnh theo cấp cơ quan báo chí",
        [Column("Cấp báo chí", TEXT, 28), Column("Số tin, bài"), Column("Tỷ lệ", PCT)],
        [[LEVEL_LABELS[lv], cov.levels[lv], _share(cov.levels[lv], total)] for lv in LEVELS],
        ["Tổng cộng", total, 1.0 if total else 0.0],
    )
    tables["tone"] = Table(
        "tone",
        "Sắc thái thông tin",
        [Column("Sắc thái", TEXT, 20), Column("Số tin, bài"), Column("Tỷ lệ", PCT)],
        [[TONE_LABELS[t], cov.tones.get(t, 0), _share(cov.tones.get(t, 0), total)] for t in TONES],
        ["Tổng cộng", total, 1.0 if total else 0.0],
    )
    area_rows = []
    for row in cov.areas:
        area_rows.append(
            [
                row.label,
                *[row.levels[lv] for lv in LEVELS],
                row.total,
                row.tones.get("positive", 0),
                row.tones.get("negative", 0),
                row.target,
                row.contracted,
                row.delivered,
                row.outlets_text(),
            ]
        )
    tables["areas"] = Table(
        "areas",
        "Kết quả theo lĩnh vực",
        [
            Column("Lĩnh vực", TEXT, 40),
            *_level_cols(),
            Column("Tổng số"),
            Column("Tích cực"),
            Column("Tiêu cực"),
            Column("Chỉ tiêu kỳ"),
            Column("Đặt hàng"),
            Column("Đã đăng theo đặt hàng"),
            Column("Cơ quan báo chí đưa tin", TEXT, 40),
        ],
        area_rows,
        [
            "Tổng cộng (tin, bài đã xác định lĩnh vực)",
            *[sum(r.levels[lv] for r in cov.areas) for lv in LEVELS],
            sum(r.total for r in cov.areas),
            sum(r.tones.get("positive", 0) for r in cov.areas),
            sum(r.tones.get("negative", 0) for r in cov.areas),
            sum(r.target or 0 for r in cov.areas),
            sum(r.contracted for r in cov.areas),
            sum(r.delivered for r in cov.areas),
            "",
        ],
    )
    tables["topics"] = Table(
        "topics",
        "Kết quả theo chủ đề",
        [
            Column("Chủ đề", TEXT, 50),
            *_level_cols(),
            Column("Tổng số"),
            Column("Chỉ tiêu kỳ"),
            Column("Đặt hàng"),
            Column("Đã đăng theo đặt hàng"),
            Column("Cơ quan báo chí đưa tin", TEXT, 40),
        ],
        [
            [
                row.label,
                *[row.levels[lv] for lv in LEVELS],
                row.total,
                row.target,
                row.contracted,
                row.delivered,
                row.outlets_text(),
            ]
            for row in cov.topics
        ],
    )
    tables["events"] = Table(
        "events",
        "Sự kiện trọng tâm",
        [
            Column("Sự kiện", TEXT, 45),
            Column("Ngày", DATE),
            *_level_cols(),
            Column("Tổng số"),
            Column("Trước ngày"),
            Column("Đúng ngày"),
            Column("Sau ngày"),
            Column("Đặt hàng"),
        ],
        [
            [
                e.label,
                e.date,
                *[e.levels[lv] for lv in LEVELS],
                e.total,
                e.before,
                e.on_day,
                e.after,
                e.contracted,
            ]
            for e in cov.events
        ],
    )
    offsets = sorted({o for e in cov.events for o in e.weeks})
    tables["event_weeks"] = Table(
        "event_weeks",
        "Diễn biến đưa tin quanh sự kiện (theo tuần so với ngày sự kiện)",
        [Column("Sự kiện", TEXT, 45), *[Column(f"Tuần {o:+d}") for o in offsets]],
        [[e.label, *[e.weeks.get(o, 0) for o in offsets]] for e in cov.events if e.date],
    )
    area_labels = {row.key.pk: row.label for row in cov.areas}
    area_keys = [row.key.pk for row in cov.areas]
    if None in cov.area_weeks:
        area_keys.append(None)
        area_labels[None] = "Chưa xác định lĩnh vực"
    tables["area_weeks"] = Table(
        "area_weeks",
        "Tin, bài theo tuần và lĩnh vực",
        [Column("Tuần", TEXT, 18), *[Column(area_labels[k], INT, 14) for k in area_keys]],
        [[_week_label(w), *[cov.area_weeks.get(k, {}).get(w, 0) for k in area_keys]] for w in cov.weeks],
    )
    tables["level_weeks"] = Table(
        "level_weeks",
        "Tin, bài theo tuần và cấp báo chí",
        [Column("Tuần", TEXT, 18), *_level_cols(), Column("Tổng số")],
        [
            [
                _week_label(w),
                *[cov.level_weeks[lv].get(w, 0) for lv in LEVELS],
                sum(cov.level_weeks[lv].get(w, 0) for lv in LEVELS),
            ]
            for w in cov.weeks
        ],
    )
    tables["outlets"] = Table(
        "outlets",
        "Cơ quan báo chí đưa tin về tỉnh",
        [Column("Ấn phẩm", TEXT, 36), Column("Cấp", TEXT, 22), Column("Số tin, bài")],
        [[name, LEVEL_LABELS[level], n] for name, level, n in cov.outlets],
    )
    tables["gaps"] = Table(
        "gaps",
        "Chủ đề chưa được tuyên truyền đủ trong kỳ",
        [
            Column("Chủ đề", TEXT, 50),
            Column("Đã có"),
            Column("Cần có"),
            Column("Còn thiếu"),
            Column("Ghi chú", TEXT, 36),
        ],
        [[g.label, g.covered, g.expected, g.shortfall, g.reason] for g in cov.gaps],
    )
    progress = [*cov.agencies]
    t = cov.progress_total
    tables["contracts"] = Table(
        "contracts",
        f"Tiến độ thực hiện hợp đồng đặt hàng (lũy kế đến {cov.as_of:%d/%m/%Y})",
        [
            Column("Cơ quan báo chí", TEXT, 34),
            Column("Số hợp đồng"),
            Column("Đặt hàng"),
            Column("Đã đăng, phát"),
            Column("Đã nghiệm thu"),
            Column("Tỷ lệ đã đăng", PCT),
            Column("Giá trị hợp đồng", MONEY, 18),
            Column("Giá trị nghiệm thu", MONEY, 18),
            Column("Đã thanh toán", MONEY, 18),
            Column("Dòng chậm tiến độ"),
        ],
        [
            [
                p.agency,
                p.contracts,
                p.ordered,
                p.delivered,
                p.accepted,
                round(p.delivered_share, 4),
                p.value,
                p.accepted_value,
                p.paid,
                p.late_items,
            ]
            for p in progress
        ],
        [
            t.agency,
            t.contracts,
            t.ordered,
            t.delivered,
            t.accepted,
            round(t.delivered_share, 4),
            t.value,
            t.accepted_value,
            t.paid,
            t.late_items,
        ]
        if progress
        else None,
    )
    tables["late"] = Table(
        "late",
        "Dòng hợp đồng chậm tiến độ",
        [
            Column("Cơ quan báo chí", TEXT, 30),
            Column("Hợp đồng", TEXT, 18),
            Column("Nội dung", TEXT, 40),
            Column("Ấn phẩm", TEXT, 24),
            Column("Hạn đăng", DATE),
            Column("Đặt hàng"),
            Column("Đã đăng"),
            Column("Còn thiếu"),
            Column("Số ngày chậm"),
        ],
        [
            [
                x.agency,
                x.contract,
                x.description,
                x.outlet,
                x.window_end,
                x.ordered,
                x.delivered,
                x.missing,
                x.days_late,
            ]
            for x in cov.late
        ],
    )
    return tables


def csv_value(value: Any, kind: str) -> str:
    """Plain machine-readable values: integers, money in whole đồng, shares as decimals, ISO dates."""
    if value is None:
        return ""
    if kind == DATE and isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1)))
    return str(value)


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.label for c in table.columns])
    for row in table.all_rows():
        writer.writerow([csv_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    return buffer.getvalue()
