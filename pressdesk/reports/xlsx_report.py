"""The XLSX report: one sheet per table, typed cells with number formats, frozen header, widths."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pressdesk.reports.selectors import Coverage
from pressdesk.reports.tables import DATE, INT, MONEY, PCT, Table, build_tables

NUMBER_FORMATS = {INT: "#,##0", MONEY: '#,##0 "đ"', PCT: "0.0%", DATE: "dd/mm/yyyy"}
SHEETS = [
    ("levels", "Cấp báo chí"),
    ("tone", "Sắc thái"),
    ("areas", "Lĩnh vực"),
    ("topics", "Chủ đề"),
    ("gaps", "Chủ đề còn thiếu"),
    ("events", "Sự kiện"),
    ("event_weeks", "Sự kiện theo tuần"),
    ("area_weeks", "Theo tuần - lĩnh vực"),
    ("level_weeks", "Theo tuần - cấp báo"),
    ("outlets", "Ấn phẩm"),
    ("contracts", "Hợp đồng"),
    ("late", "Chậm tiến độ"),
]
_BAD = re.compile(r"[\[\]:*?/\\]")


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_table(wb: Workbook, title: str, table: Table) -> None:
    ws = wb.create_sheet(_BAD.sub("-", title)[:31])
    ws.append([c.label for c in table.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
    for row in table.all_rows():
        ws.append([_cell(v) for v in row])
    if table.total:
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(column.width, 10)
        fmt = NUMBER_FORMATS.get(column.kind)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = fmt
    ws.freeze_panes = "A2"


def write_xlsx(cov: Coverage, path: Path) -> Path:
    tables = build_tables(cov)
    wb = Workbook()
    info = wb.active
    assert info is not None  # a new workbook always has its first sheet
    info.title = "Thông tin"
    info.append(["Báo cáo", f"Kết quả thông tin, tuyên truyền {cov.period.label}"])
    info.append(["Kế hoạch", cov.plan.title])
    info.append(["Kỳ báo cáo", cov.period.code])
    info.append(["Từ ngày", cov.period.start])
    info.append(["Đến ngày", cov.period.end])
    info.append(["Số liệu hợp đồng lũy kế đến", cov.as_of])
    info.append(["Lập lúc", dt.datetime.now().replace(microsecond=0)])
    for row in info.iter_rows(min_row=4, max_row=6, min_col=2, max_col=2):
        row[0].number_format = "dd/mm/yyyy"
    info["B7"].number_format = "dd/mm/yyyy hh:mm"
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 70
    for key, title in SHEETS:
        write_table(wb, title, tables[key])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
