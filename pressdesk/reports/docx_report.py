"""The DOCX report in the Vietnamese administrative form (Nghị định 30/2020/NĐ-CP, Phụ lục I).

Layout: a borderless two-column header (issuing body and number on the left; national title, motto,
place and date on the right), the title "BÁO CÁO" with its summary line, numbered sections with the
figures and tables of `plan_coverage`, then "Nơi nhận" and the signature block side by side.
Times New Roman 14 pt for the body, 13 pt for the header and tables, A4 with the decree's margins.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from pressdesk.accounts.models import Organisation
from pressdesk.reports.selectors import (
    LEVEL_LABELS,
    Coverage,
    false_info_answers,
    inquiry_figures,
    reporting_body,
)
from pressdesk.reports.tables import DATE, INT, MONEY, PCT, Table, build_tables

FONT = "Times New Roman"
BODY_PT = 14
SMALL_PT = 13
TABLE_PT = 11
PROVINCE = "Thanh Hóa"
NO_DATA = "Chưa có dữ liệu."
TEXT_CELL_MAX = 140


def _vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _fmt(value: Any, kind: str) -> str:
    if value is None:
        return "-"
    if kind == INT:
        return _vn_int(int(value))
    if kind == MONEY:
        return _vn_int(int(value))
    if kind == PCT:
        return f"{value * 100:.1f}%".replace(".", ",")
    if kind == DATE and isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _pct(part: int, whole: int) -> str:
    return _fmt(part / whole if whole else 0.0, PCT)


def _initials(name: str) -> str:
    """'Sở Thông tin và Truyền thông' → 'STTTT' (the symbol convention drops 'và')."""
    words = [w for w in name.replace(",", " ").split() if w.lower() not in {"và", "của"}]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def _set_font(run: Any, size: int = BODY_PT, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    # Word reads East-Asian and complex-script fonts separately; Vietnamese must not fall back.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _para(
    container: Any,
    text: str = "",
    *,
    size: int = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    after: int = 6,
) -> Paragraph:
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(0)
    fmt.line_spacing = 1.15
    if indent and align == WD_ALIGN_PARAGRAPH.JUSTIFY:
        fmt.first_line_indent = Cm(1.27)
    if text:
        _set_font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _no_borders(table: DocxTable) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table: DocxTable, widths: tuple[Any, ...]) -> None:
    """Fixed column widths in the grid and every cell: LibreOffice reads the grid, Word the cells."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _cell_text(
    cell: Any, text: str, *, size: int, bold: bool = False, italic: bool = False, align: Any = None
) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    p.paragraph_format.space_after = Pt(0)
    _set_font(p.add_run(text), size, bold=bold, italic=italic)


def _add_line(cell: Any, text: str, *, size: int, bold: bool = False, italic: bool = False) -> Paragraph:
    p = cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    _set_font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _header(doc: Any, body: Organisation | None, symbol: str, day: dt.date) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (Cm(6.0), Cm(10.5)))
    left, right = table.rows[0].cells
    parent = body.parent.name.upper() if body and body.parent else f"UBND TỈNH {PROVINCE.upper()}"
    _cell_text(left, parent, size=SMALL_PT)
    _add_line(left, (body.name if body else "Cơ quan báo cáo").upper(), size=SMALL_PT, bold=True)
    _add_line(left, "_______", size=SMALL_PT)
    _add_line(left, f"Số:        /BC-{symbol}", size=SMALL_PT)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=SMALL_PT, bold=True)
    _add_line(right, "Độc lập - Tự do - Hạnh phúc", size=BODY_PT, bold=True)
    _add_line(right, "_______________________", size=SMALL_PT)
    _add_line(
        right,
        f"{PROVINCE}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
        size=BODY_PT,
        italic=True,
    )


def _data_table(doc: Any, table: Table, *, limit: int | None = None) -> None:
    rows = table.rows[:limit] if limit else table.rows
    shown = [*rows, *([table.total] if table.total else [])]
    t = doc.add_table(rows=1 + len(shown), cols=1 + len(table.columns))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    # 16.5 cm of text width: 1 cm for the row number, then shares by what the column holds.
    weight = {"text": 3.0, MONEY: 2.2, DATE: 1.9}
    shares = [weight.get(c.kind, 1.0) for c in table.columns]
    unit = 15.5 / sum(shares)
    _widths(t, (Cm(1.0), *[Cm(unit * share) for share in shares]))
    _cell_text(t.rows[0].cells[0], "TT", size=TABLE_PT, bold=True)
    for j, col in enumerate(table.columns, start=1):
        _cell_text(t.rows[0].cells[j], col.label, size=TABLE_PT, bold=True)
    for i, row in enumerate(shown, start=1):
        is_total = table.total is not None and i == len(shown)
        _cell_text(t.rows[i].cells[0], "" if is_total else str(i), size=TABLE_PT)
        for j, (value, col) in enumerate(zip(row, table.columns, strict=True), start=1):
            align = WD_ALIGN_PARAGRAPH.LEFT if col.kind == "text" else WD_ALIGN_PARAGRAPH.RIGHT
            text = _fmt(value, col.kind)
            if len(text) > TEXT_CELL_MAX:  # whole texts are in the XLSX; a page keeps its tables readable
                text = text[: TEXT_CELL_MAX - 1].rstrip() + "…"
            _cell_text(t.rows[i].cells[j], text, size=TABLE_PT, bold=is_total, align=align)
    if limit and len(table.rows) > limit:
        _para(
            doc,
            f"(Bảng trên liệt kê {limit}/{len(table.rows)} dòng; đầy đủ trong tệp Excel kèm theo.)",
            size=SMALL_PT,
            italic=True,
        )
    _para(doc, "", after=2)


def _heading(doc: Any, text: str, *, level: int = 1) -> None:
    _para(doc, text, bold=True, italic=level > 1, indent=True, after=4)


def _drop(table: Table, labels: set[str]) -> Table:
    """A narrower copy for the page: the DOCX leaves out columns that only fit a spreadsheet."""
    keep = [i for i, c in enumerate(table.columns) if c.label not in labels]
    return Table(
        table.key,
        table.title,
        [table.columns[i] for i in keep],
        [[r[i] for i in keep] for r in table.rows],
        [table.total[i] for i in keep] if table.total else None,
    )


def write_docx(cov: Coverage, path: Path, *, today: dt.date | None = None) -> Path:
    day = today or dt.date.today()
    tables = build_tables(cov)
    body = reporting_body(cov.plan)
    symbol = (body.short_name if body and body.short_name else _initials(body.name if body else "")) or "BC"
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    _header(doc, body, symbol, day)
    _para(doc, "", after=6)
    _para(doc, "BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(
        doc,
        f"Kết quả thông tin, tuyên truyền {cov.period.label}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    _para(doc, f"theo {cov.plan.title}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, "_______________", align=WD_ALIGN_PARAGRAPH.CENTER, after=12)

    plan_ref = f" số {cov.plan.number}" if cov.plan.number else ""
    _para(
        doc,
        f"Thực hiện Kế hoạch{plan_ref} ({cov.plan.title}), {body.name if body else 'cơ quan'} báo cáo kết quả "
        f"thông tin, tuyên truyền {cov.period.label} (từ ngày {cov.period.start:%d/%m/%Y} đến ngày "
        f"{cov.period.end:%d/%m/%Y}) như sau:",
    )

    # I. Results.
    _heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    _heading(doc, "1. Kết quả chung", level=2)
    lv = cov.levels
    _para(
        doc,
        f"Trong kỳ, hệ thống theo dõi ghi nhận {_vn_int(cov.total)} tin, bài viết về tỉnh trên báo chí, trong đó "
        f"{LEVEL_LABELS['central'].lower()} {_vn_int(lv['central'])} tin, bài ({_pct(lv['central'], cov.total)}); "
        f"{LEVEL_LABELS['provincial'].lower()} {_vn_int(lv['provincial'])} tin, bài "
        f"({_pct(lv['provincial'], cov.total)}); cơ quan báo chí khác {_vn_int(lv['other'])} tin, bài "
        f"({_pct(lv['other'], cov.total)}).",
    )
    tones = cov.tones
    _para(
        doc,
        f"Về sắc thái: tích cực {_vn_int(tones.get('positive', 0))} ({_pct(tones.get('positive', 0), cov.total)}), "
        f"trung tính {_vn_int(tones.get('neutral', 0))} ({_pct(tones.get('neutral', 0), cov.total)}), "
        f"tiêu cực {_vn_int(tones.get('negative', 0))} ({_pct(tones.get('negative', 0), cov.total)}); "
        f"chưa phân tích {_vn_int(tones.get('', 0))}.",
    )
    _data_table(doc, tables["levels"])

    _heading(doc, "2. Kết quả theo lĩnh vực của Kế hoạch", level=2)
    if cov.areas:
        _data_table(doc, _drop(tables["areas"], {"Cơ quan báo chí đưa tin", "Tích cực", "Tiêu cực"}))
        for row in cov.areas:
            if row.total:
                _para(
                    doc,
                    f"- {row.label}: {_vn_int(row.total)} tin, bài; các cơ quan đưa tin: {row.outlets_text()}.",
                )
    else:
        _para(doc, "Kế hoạch chưa có lĩnh vực nào. " + NO_DATA)
    top = sorted(cov.outlets, key=lambda o: -o[2])[:10]
    if top:
        _para(
            doc,
            "Các cơ quan báo chí đưa tin nhiều nhất: "
            + "; ".join(f"{n} ({_vn_int(c)})" for n, _l, c in top)
            + ".",
        )

    _heading(doc, "3. Tuyên truyền các sự kiện trọng tâm", level=2)
    if cov.events:
        _data_table(doc, _drop(tables["events"], {"Đặt hàng"}))
    else:
        _para(doc, "Trong kỳ không có sự kiện trọng tâm nào của Kế hoạch.")

    _heading(doc, "4. Đặt hàng tuyên truyền với các cơ quan báo chí", level=2)
    t = cov.progress_total
    if cov.agencies:
        _para(
            doc,
            f"Lũy kế đến ngày {cov.as_of:%d/%m/%Y}: {_vn_int(t.contracts)} hợp đồng với {len(cov.agencies)} cơ quan "
            f"báo chí, đặt hàng {_vn_int(t.ordered)} sản phẩm, đã đăng, phát {_vn_int(t.delivered)} "
            f"({_pct(t.delivered, t.ordered)}), đã nghiệm thu {_vn_int(t.accepted)}; giá trị hợp đồng "
            f"{_vn_int(int(t.value))} đồng, đã thanh toán {_vn_int(int(t.paid))} đồng.",
        )
        _data_table(doc, _drop(tables["contracts"], {"Giá trị nghiệm thu", "Tỷ lệ đã đăng"}))
    else:
        _para(doc, "Chưa có hợp đồng đặt hàng nào có hiệu lực trong kỳ.")

    _heading(doc, "5. Phản bác thông tin sai sự thật, trả lời báo chí", level=2)
    _para(
        doc,
        f"Hệ thống phát hiện {_vn_int(cov.false_info)} tin, bài có nội dung liên quan đến thông tin sai sự thật "
        "hoặc cải chính thông tin.",
    )
    answers = false_info_answers(period=cov.period)
    if answers.available:
        for line in answers.lines:
            _para(doc, f"- {line}")
    else:
        _para(doc, f"- Cảnh báo và phản hồi: {NO_DATA}")
    inquiries = inquiry_figures(period=cov.period)
    if inquiries.available:
        _para(doc, "- Tiếp nhận, trả lời câu hỏi của báo chí: " + "; ".join(inquiries.lines) + ".")
    else:
        _para(doc, f"- Tiếp nhận, trả lời câu hỏi của báo chí: {NO_DATA}")

    # II. Shortcomings.
    _heading(doc, "II. TỒN TẠI, HẠN CHẾ")
    if cov.gaps:
        _para(
            doc,
            f"Có {len(cov.gaps)} chủ đề của Kế hoạch chưa được tuyên truyền đủ trong kỳ (chưa có tin, bài hoặc "
            "chưa đạt chỉ tiêu, số lượng đặt hàng):",
        )
        _data_table(doc, _drop(tables["gaps"], set()), limit=15)
    else:
        _para(doc, "Các chủ đề của Kế hoạch đều có tin, bài và đạt chỉ tiêu trong kỳ.")
    if cov.late:
        _para(doc, f"Có {len(cov.late)} dòng hợp đồng đã hết thời hạn đăng, phát nhưng chưa đủ số lượng:")
        _data_table(doc, _drop(tables["late"], {"Ấn phẩm"}), limit=15)
    else:
        _para(doc, "Không có dòng hợp đồng nào chậm tiến độ.")

    # III. Next tasks: drawn from what the figures show.
    _heading(doc, "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")
    n = 1
    if cov.gaps:
        names = "; ".join(g.label for g in cov.gaps[:5])
        _para(
            doc,
            f"{n}. Tập trung tuyên truyền các chủ đề còn thiếu, làm căn cứ cho đợt đặt hàng tiếp theo: {names}.",
        )
        n += 1
    if cov.late:
        agencies = sorted({x.agency for x in cov.late})
        _para(
            doc, f"{n}. Đôn đốc các cơ quan báo chí hoàn thành hợp đồng chậm tiến độ: {', '.join(agencies)}."
        )
        n += 1
    nxt = cov.period.next()
    upcoming = [
        e
        for e in cov.plan.events.all().order_by("date", "order")
        if e.date and nxt.start <= e.date <= nxt.end
    ]
    if upcoming:
        items = "; ".join(f"{e.title} ({e.date:%d/%m/%Y})" for e in upcoming)
        _para(doc, f"{n}. Chuẩn bị tuyên truyền các sự kiện trọng tâm {nxt.label}: {items}.")
        n += 1
    _para(
        doc,
        f"{n}. Tiếp tục theo dõi thông tin báo chí về tỉnh, kịp thời phát hiện, đề xuất xử lý thông tin sai sự "
        "thật; nghiệm thu, thanh toán các sản phẩm đã đăng, phát theo hợp đồng.",
    )
    _para(doc, f"Trên đây là báo cáo kết quả thông tin, tuyên truyền {cov.period.label}./.")

    _closing(doc, cov, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _closing(doc: Any, cov: Coverage, body: Organisation | None) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (Cm(8.0), Cm(8.5)))
    left, right = table.rows[0].cells
    left.text = ""
    p = left.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    _set_font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    recipients = [r for r in (cov.plan.recipients or []) if isinstance(r, str)][:6]
    if not recipients:
        recipients = ["UBND tỉnh (b/c)", "Ban Tuyên giáo Tỉnh ủy (b/c)", "Các cơ quan báo chí"]
    for r in [*recipients, "Lưu: VT."]:
        line = left.add_paragraph()
        line.paragraph_format.space_after = Pt(0)
        text = r if r.startswith("-") else f"- {r}"
        _set_font(line.add_run(text if text.endswith((";", ".")) else text + ";"), 11)
    _cell_text(
        right,
        "GIÁM ĐỐC" if body and body.name.startswith("Sở") else "THỦ TRƯỞNG CƠ QUAN",
        size=SMALL_PT,
        bold=True,
    )
    _add_line(right, "(Ký, ghi rõ họ tên, đóng dấu)", size=SMALL_PT, italic=True)
