"""Report files: the DOCX has the administrative form's parts, the XLSX its sheets and formats, and
both carry the dashboard's figures."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from pressdesk.reports.periods import parse_period
from pressdesk.reports.selectors import plan_coverage
from pressdesk.reports.services import report_build
from pressdesk.reports.tables import build_tables
from tests.reports.factories import RWorld

D = dt.date
TODAY = D(2024, 6, 5)


def _docx_text(path: Path) -> tuple[str, Any]:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts), doc


@pytest.fixture
def monthly_docx(world: RWorld, tmp_path: Path) -> Path:
    return report_build(
        plan=world.plan, period=parse_period("2024-05"), fmt="docx", output=tmp_path / "bc.docx", today=TODAY
    )


def test_docx_has_the_administrative_form(world: RWorld, monthly_docx: Path) -> None:
    text, doc = _docx_text(monthly_docx)
    header = doc.tables[0]
    left, right = header.rows[0].cells
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in left.text
    assert "Số:" in left.text and "/BC-STTTT" in left.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right.text
    assert "Độc lập - Tự do - Hạnh phúc" in right.text
    assert "Thanh Hóa, ngày 05 tháng 06 năm 2024" in right.text
    # The header table is borderless.
    assert 'w:val="nil"' in header._tbl.xml
    paragraphs = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert "Kết quả thông tin, tuyên truyền tháng 5 năm 2024" in paragraphs
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN",
        "2. Kết quả theo lĩnh vực của Kế hoạch",
        "3. Tuyên truyền các sự kiện trọng tâm",
        "4. Đặt hàng tuyên truyền với các cơ quan báo chí",
        "5. Phản bác thông tin sai sự thật, trả lời báo chí",
        "II. TỒN TẠI, HẠN CHẾ",
        "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    ):
        assert heading in paragraphs
    assert "Nơi nhận:" in text
    assert "GIÁM ĐỐC" in text
    # Figures: 7 articles (3 central), the late line, the gap topic.
    assert "ghi nhận 7 tin, bài viết về tỉnh" in text
    assert "báo chí trung ương 3 tin, bài (42,9%)" in text
    assert "1.1 Khu kinh tế Nghi Sơn" in text
    assert "01/2024/HĐ" in text
    # Where the watch/infohub apps have nothing yet, the report says so honestly.
    assert "Chưa có dữ liệu" in text or "Cảnh báo" in text


def test_docx_fonts_are_times_new_roman_13_14(monthly_docx: Path) -> None:
    doc = Document(str(monthly_docx))
    sizes = set()
    for p in doc.paragraphs:
        for run in p.runs:
            assert run.font.name == "Times New Roman"
            sizes.add(run.font.size.pt)
    assert sizes <= {13.0, 14.0}
    assert 14.0 in sizes


def test_docx_area_table_equals_dashboard_table(world: RWorld, monthly_docx: Path) -> None:
    doc = Document(str(monthly_docx))
    tables = build_tables(plan_coverage(plan=world.plan, period=parse_period("2024-05"), today=TODAY))
    area_table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Lĩnh vực")
    first = [c.text for c in area_table.rows[1].cells]
    expected = tables["areas"].rows[0]
    assert first[1] == expected[0]
    assert first[2:6] == [str(v) for v in expected[1:5]]


def test_xlsx_sheets_formats_and_figures(world: RWorld, tmp_path: Path) -> None:
    path = report_build(
        plan=world.plan, period=parse_period("2024-05"), fmt="xlsx", output=tmp_path / "bc.xlsx", today=TODAY
    )
    wb = load_workbook(path)
    assert wb.sheetnames[:4] == ["Thông tin", "Cấp báo chí", "Sắc thái", "Lĩnh vực"]
    assert {"Chủ đề", "Chủ đề còn thiếu", "Sự kiện", "Hợp đồng", "Chậm tiến độ", "Ấn phẩm"} <= set(
        wb.sheetnames
    )
    levels = wb["Cấp báo chí"]
    assert levels.freeze_panes == "A2"
    assert [c.value for c in levels[1]] == ["Cấp báo chí", "Số tin, bài", "Tỷ lệ"]
    assert levels["B2"].value == 3 and levels["B2"].number_format == "#,##0"
    assert levels["C2"].number_format == "0.0%"
    assert levels["B5"].value == 7  # the total row
    contracts = wb["Hợp đồng"]
    header = [c.value for c in contracts[1]]
    value_col = header.index("Giá trị hợp đồng") + 1
    cell = contracts.cell(row=2, column=value_col)
    assert cell.value == 22_000_000
    assert cell.number_format == '#,##0 "đ"'
    assert contracts.column_dimensions["A"].width >= 30
    late = wb["Chậm tiến độ"]
    assert late.cell(row=2, column=5).number_format == "dd/mm/yyyy"


def test_report_equals_dashboard(world: RWorld, tmp_path: Path, client: Any) -> None:
    """Every data cell of every XLSX sheet equals the dashboard's table and its CSV download."""
    client.force_login(world.users["viewer"])
    response = client.get("/bao-cao/", {"plan": 2024, "period": "2024-05"})
    assert response.status_code == 200
    dashboard = response.context["tables"]
    path = report_build(
        plan=world.plan, period=parse_period("2024-05"), fmt="xlsx", output=tmp_path / "r.xlsx"
    )
    from pressdesk.reports.xlsx_report import SHEETS

    wb = load_workbook(path)
    for key, title in SHEETS:
        table = dashboard[key]
        ws = wb[title]
        sheet_rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
        expected = [[_norm(v) for v in row] for row in table.all_rows()]
        assert [[_norm(v) for v in row] for row in sheet_rows] == expected, key
        csv_lines = client.get(f"/bao-cao/csv/{key}/", {"plan": 2024, "period": "2024-05"}).content.decode(
            "utf-8-sig"
        )
        assert len(csv_lines.strip().splitlines()) == 1 + len(expected), key
    assert dashboard["levels"].rows[0][1] == wb["Cấp báo chí"]["B2"].value == 3


def _norm(v: Any) -> Any:
    from decimal import Decimal

    if isinstance(v, Decimal):
        return int(v)
    if isinstance(v, dt.datetime):
        return v.date()
    return None if v == "" else v  # an empty text cell reads back as None


def test_command_writes_docx_and_xlsx(world: RWorld, tmp_path: Path) -> None:
    out = tmp_path / "bc.xlsx"
    call_command("report", "--plan", "2024", "--period", "2024-Q2", "--format", "xlsx", "--output", str(out))
    assert load_workbook(out)["Cấp báo chí"]["B5"].value == 9
    out2 = tmp_path / "bc.docx"
    call_command("report", "--plan", "2024", "--period", "2024", "--format", "docx", "--output", str(out2))
    assert "Kết quả thông tin, tuyên truyền năm 2024" in _docx_text(out2)[0]


@pytest.mark.parametrize(
    ("plan", "period", "message"),
    [
        ("2024", "2024-13", "tháng phải từ 01 đến 12"),
        ("2024", "mai", "không hợp lệ"),
        ("2030", "2030", "Chưa có kế hoạch năm 2030"),
        ("2024", "2025-01", "không thuộc năm của kế hoạch"),
    ],
)
def test_command_refuses_bad_input(
    world: RWorld, tmp_path: Path, plan: str, period: str, message: str
) -> None:
    out = tmp_path / "x.docx"
    with pytest.raises(CommandError, match=message):
        call_command("report", "--plan", plan, "--period", period, "--format", "docx", "--output", str(out))
    assert not out.exists()


def _soffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(
    _soffice() is None,
    reason="LibreOffice absent: install Debian's libreoffice-writer-nogui to run the DOCX→PDF check",
)
def test_monthly_docx_opens_in_libreoffice(monthly_docx: Path, tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    # A private profile: parallel runs and a user's own LibreOffice must not share a lock.
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            _soffice() or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(monthly_docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / "bc.pdf"
    if keep := os.environ.get("PRESSDESK_KEEP_PDF"):  # to look at the rendering by eye
        shutil.copy(pdf, keep)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert pages >= 2
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        # Where a line wraps depends on the fonts installed (Times New Roman or a substitute).
        text = " ".join(text.split())
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "BÁO CÁO" in text
