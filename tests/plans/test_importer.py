"""The plan-document importer: exact results on two plans (text and DOCX), refusals naming the line."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressdesk.plans.importer import ParsedPlan, PlanImportError, parse_plan
from tests.plans.conftest import PLAN_2024, PLAN_2025
from tests.plans.documents import MINIMAL, docx_bytes


@pytest.fixture(scope="module")
def plan24() -> ParsedPlan:
    return parse_plan(PLAN_2024.read_bytes(), filename=PLAN_2024.name)


def _events(plan: ParsedPlan) -> list[tuple]:
    return [
        (e.title, e.date, e.year, e.since_year, e.since_date, e.area_number, e.topic_order)
        for e in plan.events
    ]


def test_2024_plan_header_purposes_and_legal_basis(plan24: ParsedPlan) -> None:
    assert plan24.year == 2024
    assert plan24.title == "Thông tin, tuyên truyền trọng tâm về tỉnh Thanh Hóa năm 2024"
    assert plan24.number == "" and plan24.issue_date is None
    assert plan24.legal_basis == ["Quyết định số 1950/QĐ-UBND ngày 08/6/2021"]
    assert plan24.preamble.startswith("Thực hiện Quyết định số 1950/QĐ-UBND")
    assert len(plan24.purposes) == 3
    assert plan24.purposes[0].startswith("Thông qua công tác tuyên truyền tạo sự chuyển biến")
    assert plan24.purposes[2].endswith("bạn bè trong nước và quốc tế.")


def test_2024_plan_areas_and_topics(plan24: ParsedPlan) -> None:
    assert [a.number for a in plan24.areas] == [1, 2, 3, 4, 5]
    assert [len(a.topics) for a in plan24.areas] == [5, 4, 2, 4, 4]
    assert plan24.topic_count == 19
    assert [a.title for a in plan24.areas] == [
        "Lĩnh vực kinh tế, phát triển hạ tầng",
        "Lĩnh vực cải cách hành chính, chuyển đổi số",
        "Lĩnh vực đối ngoại, xúc tiến đầu tư",
        "Công tác xây dựng Đảng, chính sách dân tộc và các phong trào thi đua",
        "Lĩnh vực Văn hóa - Xã hội",
    ]
    # The bullet cut by a page break ("… nâng cao năng lực" / "lãnh đạo, chỉ đạo …") is one topic.
    first = plan24.areas[3].topics[0].text
    assert "nâng cao năng lực lãnh đạo, chỉ đạo, điều hành" in first
    assert first.endswith("thi hành án...")
    # Italic markers of the text export are not content.
    assert "*" not in plan24.areas[4].topics[3].text


def test_2024_plan_events_exact(plan24: ParsedPlan) -> None:
    d = dt.date
    assert _events(plan24) == [
        ("Kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ", d(2024, 5, 7), 2024, 1954, d(1954, 5, 7), 5, 4),
        (
            "Kỷ niệm 70 năm đón tiếp đồng bào, cán bộ, chiến sỹ và học sinh miền Nam tập kết ra Bắc",
            None,
            2024,
            1954,
            None,
            5,
            4,
        ),
        (
            "Kỷ niệm 80 năm Ngày thành lập Quân đội nhân dân Việt Nam",
            d(2024, 12, 22),
            2024,
            1944,
            d(1944, 12, 22),
            5,
            4,
        ),
        ("Kỷ niệm 35 năm Ngày hội quốc phòng toàn dân", d(2024, 12, 22), 2024, 1989, d(1989, 12, 22), 5, 4),
        (
            "Kỷ niệm 100 năm phát hiện và nghiên cứu Văn hóa Đông Sơn trên địa bàn tỉnh Thanh Hóa",
            None,
            2024,
            1924,
            None,
            5,
            4,
        ),
        ("Lễ kỷ niệm 220 năm Đô thị Tĩnh lý", None, 2024, 1804, None, 5, 4),
        ("Kỷ niệm 30 năm thành lập thành phố Thanh Hóa", None, 2024, 1994, None, 5, 4),
        ("Kỷ niệm 10 năm Đô thị loại I trực thuộc tỉnh", None, 2024, 2014, None, 5, 4),
    ]
    assert sum(1 for e in plan24.events if e.date) == 3


def test_2024_plan_responsibilities_signers_recipients(plan24: ParsedPlan) -> None:
    assert [(r.order, r.body, len(r.tasks)) for r in plan24.responsibilities] == [
        (1, "Ban Tuyên giáo Tỉnh ủy", 2),
        (2, "Sở Thông tin và Truyền thông", 4),
        (3, "Đề nghị các sở, ban, ngành, đơn vị và các địa phương trong tỉnh", 3),
        (4, "Đề nghị các cơ quan báo chí của tỉnh", 2),
        (5, "Đề nghị các Văn phòng đại diện, phóng viên thường trú báo chí hoạt động trên địa bàn tỉnh", 2),
    ]
    stttt = plan24.responsibilities[1].tasks
    # The second bullet written in the middle of a line is a task of its own.
    assert stttt[2] == (
        "Triển khai thực hiện ký kết tuyên truyền với các cơ quan báo chí, sau khi được Chủ tịch UBND tỉnh phê duyệt."
    )
    assert stttt[3].startswith("Chịu trách nhiệm theo dõi, đôn đốc việc thông tin")
    assert [dataclasses.astuple(s) for s in plan24.signers] == [
        ("Phạm Văn Tuấn", "PHÓ TRƯỞNG BAN", "BAN TUYÊN GIÁO TỈNH ỦY"),
        ("Lê Văn Nam", "PHÓ GIÁM ĐỐC", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"),
    ]
    assert len(plan24.recipients) == 12
    assert plan24.recipients[0] == "Thường trực Tỉnh ủy (để b/c)"
    assert plan24.recipients[-1] == "Lưu: VT (BTG, STTTT); TTBCXB (02)"


def _check_2025(plan: ParsedPlan) -> None:
    d = dt.date
    assert plan.year == 2025
    assert plan.title == "Tuyên truyền về tỉnh Nghệ An trên báo chí Trung ương năm 2025"
    assert plan.number == "27-KH/BTGDVTU"
    assert plan.issue_date == d(2025, 3, 14)
    assert plan.legal_basis == [
        "Nghị quyết số 39-NQ/TW ngày 18/7/2023",
        "Quyết định số 412/QĐ-UBND ngày 20/02/2025",
    ]
    # Numbered sub-headings of section I are not purposes; a "+" line belongs to its bullet.
    assert plan.purposes == [
        "Quảng bá hình ảnh, tiềm năng, lợi thế của tỉnh Nghệ An tới bạn đọc trong nước và quốc tế.",
        "Thông tin kịp thời, chính xác, đúng định hướng. Bám sát các sự kiện chính trị lớn của tỉnh.",
    ]
    assert [(a.number, a.title, len(a.topics)) for a in plan.areas] == [
        (1, "Sắp xếp bộ máy và chính quyền địa phương hai cấp", 3),
        (2, "Kinh tế, khoa học, công nghệ và chuyển đổi số", 2),
        (3, "Văn hóa, lịch sử và các ngày lễ lớn", 3),
    ]
    area1 = plan.areas[0].topics
    assert area1[0].text.endswith("vận hành chính quyền địa phương hai cấp từ ngày 01/7/2025.")
    assert area1[1].text.startswith("Phản ánh kết quả giải quyết thủ tục hành chính")
    assert area1[2].text.endswith("vì lợi ích chung của tập thể và nhân dân.")
    assert (
        plan.areas[1]
        .topics[0]
        .text.endswith(
            "Khu kinh tế Đông Nam. Các dự án năng lượng, logistics tại cảng Cửa Lò. Thu hút doanh nghiệp công nghệ cao."
        )
    )
    assert _events(plan) == [
        (
            "Kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam",
            d(2025, 2, 3),
            2025,
            1930,
            d(1930, 2, 3),
            3,
            1,
        ),
        (
            "Kỷ niệm 50 năm Ngày giải phóng hoàn toàn miền Nam, thống nhất đất nước",
            d(2025, 4, 30),
            2025,
            1975,
            d(1975, 4, 30),
            3,
            1,
        ),
        ("Kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh", d(2025, 5, 19), 2025, 1890, d(1890, 5, 19), 3, 1),
        (
            "Kỷ niệm 80 năm Cách mạng Tháng Tám, Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam",
            d(2025, 9, 2),
            2025,
            1945,
            d(1945, 9, 2),
            3,
            1,
        ),
        ("Kỷ niệm 55 năm phong trào thanh niên tình nguyện của tỉnh", None, 2025, 1970, None, 3, 2),
        ("Lễ kỷ niệm 195 năm thành lập tỉnh Nghệ An", None, 2025, 1831, None, 3, 2),
        ("Kỷ niệm 20 năm Festival Sen", None, 2025, 2005, None, 3, 2),
    ]
    # Section III is "KINH PHÍ": the organisation section is found by its heading (IV).
    assert [(r.body, r.tasks) for r in plan.responsibilities] == [
        (
            "Ban Tuyên giáo và Dân vận Tỉnh ủy",
            ["Định hướng nội dung tuyên truyền; thẩm định danh mục đặt hàng."],
        ),
        (
            "Sở Văn hóa, Thể thao và Du lịch",
            [
                "Chủ trì ký kết hợp đồng đặt hàng với các cơ quan báo chí.",
                "Tổng hợp, báo cáo kết quả theo quý.",
                "Theo dõi, đánh giá hiệu quả thông tin trên báo chí Trung ương và mạng xã hội, kịp thời phát hiện "
                "thông tin sai sự thật để xử lý theo quy định.",
            ],
        ),
        (
            "Các cơ quan báo chí của tỉnh",
            ["Phối hợp với các cơ quan báo chí Trung ương cung cấp thông tin, hình ảnh."],
        ),
    ]
    assert [dataclasses.astuple(s) for s in plan.signers] == [
        ("Nguyễn Thị Hoa", "PHÓ TRƯỞNG BAN", "BAN TUYÊN GIÁO VÀ DÂN VẬN"),
        ("Trần Quốc Bảo", "PHÓ CHỦ TỊCH", "ỦY BAN NHÂN DÂN"),
    ]
    assert plan.recipients == ["Thường trực Tỉnh ủy (b/c)", "UBND tỉnh", "Các cơ quan báo chí", "Lưu: VT"]


def test_second_plan_as_text() -> None:
    _check_2025(parse_plan(PLAN_2025.read_text(encoding="utf-8"), filename=PLAN_2025.name))


def test_second_plan_as_docx() -> None:
    data = docx_bytes(PLAN_2025.read_text(encoding="utf-8"))
    _check_2025(parse_plan(data, filename="ke-hoach-2025.docx"))


def test_2024_plan_as_docx_equals_text(plan24: ParsedPlan) -> None:
    parsed = parse_plan(docx_bytes(PLAN_2024.read_text(encoding="utf-8")), filename="kh.docx")
    assert [(a.title, [t.text for t in a.topics]) for a in parsed.areas] == [
        (a.title, [t.text for t in a.topics]) for a in plan24.areas
    ]
    assert _events(parsed) == _events(plan24)
    assert parsed.signers == plan24.signers and parsed.recipients == plan24.recipients


def test_docx_with_signatures_side_by_side_in_a_table() -> None:
    import io

    import docx

    body, _, _ = MINIMAL.partition("- Định hướng nội dung./.")
    document = docx.Document()
    for line in (body + "- Định hướng nội dung./.").split("\n"):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(
        table.rows[0].cells,
        (
            ["BAN TUYÊN GIÁO TỈNH ỦY", "TRƯỞNG BAN", "", "Hoàng Văn An"],
            ["SỞ VĂN HÓA", "GIÁM ĐỐC", "", "Đỗ Thị Bình"],
        ),
        strict=True,
    ):
        cell.paragraphs[0].text = lines[0]
        for text in lines[1:]:
            cell.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    parsed = parse_plan(buf.getvalue(), filename="kh.docx")
    assert [dataclasses.astuple(s) for s in parsed.signers] == [
        ("Hoàng Văn An", "TRƯỞNG BAN", "BAN TUYÊN GIÁO TỈNH ỦY"),
        ("Đỗ Thị Bình", "GIÁM ĐỐC", "SỞ VĂN HÓA"),
    ]


def test_minimal_plan_of_any_year_and_windows_line_endings() -> None:
    parsed = parse_plan(MINIMAL.replace("\n", "\r\n").encode("utf-8-sig"), filename="kh.txt")
    assert parsed.year == 2030
    assert [len(a.topics) for a in parsed.areas] == [1]
    assert parsed.events == [] and parsed.signers == [] and parsed.recipients == []
    assert parsed.legal_basis == ["Quyết định số 12/QĐ-UBND ngày 02/01/2030"]


def test_six_areas_import() -> None:
    areas = "".join(
        f"{n}. Lĩnh vực số {n}\n\n- Nội dung {n}.1.\n\n- Nội dung {n}.2.\n\n" for n in range(1, 7)
    )
    text = MINIMAL.replace("1. Kinh tế\n\n- Kết quả tăng trưởng.\n\n", areas)
    parsed = parse_plan(text)
    assert [a.number for a in parsed.areas] == [1, 2, 3, 4, 5, 6]
    assert all(len(a.topics) == 2 for a in parsed.areas)


def _break(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


MALFORMED = [
    ("empty", "", 0, "tài liệu rỗng"),
    ("blank", "\n  \n\t\n", 0, "tài liệu rỗng"),
    ("no title", MINIMAL.replace("KẾ HOẠCH\n", ""), 1, "KẾ HOẠCH"),
    ("no year", _break("Tuyên truyền năm 2030", "Tuyên truyền trọng tâm"), 2, "năm YYYY"),
    ("no section II", _break("II. NỘI DUNG\n", ""), 15, "cần mục II (NỘI DUNG), gặp mục III"),
    ("no section III", _break("III. TỔ CHỨC THỰC HIỆN\n", ""), 19, "thiếu mục III"),
    ("section numbers skip", _break("II. NỘI DUNG", "IV. NỘI DUNG"), 10, "cần mục II"),
    ("no areas", _break("1. Kinh tế\n", ""), 10, "không có lĩnh vực"),
    (
        "area without topics",
        _break("- Kết quả tăng trưởng.\n", ""),
        12,
        "lĩnh vực 1 “Kinh tế” không có nội dung",
    ),
    (
        "second area without topics",
        _break("III. TỔ CHỨC", "2. Xã hội\n\nIII. TỔ CHỨC"),
        16,
        "lĩnh vực 2 “Xã hội” không có nội dung",
    ),
    ("areas out of order", _break("1. Kinh tế", "2. Kinh tế"), 12, "cần lĩnh vực số 1"),
    ("no purposes", _break("- Thông tin kịp thời.\n", ""), 6, "mục I"),
    ("no bodies", _break("1. Ban Tuyên giáo Tỉnh ủy\n", ""), 16, "cơ quan, đơn vị"),
    (
        "bad event date",
        _break("Kết quả tăng trưởng.", "Kỷ niệm 10 năm Ngày X (31/02/2020 - 31/02/2030)."),
        14,
        "31/02/2020",
    ),
    (
        "title without name",
        MINIMAL + "\nBAN TUYÊN GIÁO TỈNH ỦY\nTRƯỞNG BAN\n",
        23,
        "cần họ tên người ký",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "expected"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_document_names_line_and_expectation(text: str, line: int, expected: str) -> None:
    with pytest.raises(PlanImportError) as err:
        parse_plan(text)
    assert err.value.line == line
    assert expected in err.value.message
    if line:
        assert err.value.message.startswith(f"Dòng {line}: ")


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"\x00\x01\x02binary\xff\xfe junk" * 10, "kh.txt", "không phải văn bản"),
        (b"K\xca\xec HO\xd2CH\nn\xe3m 2024\n", "kh.txt", "UTF-8"),  # Windows-1258 bytes
        (b"PK\x03\x04not really a zip", "kh.docx", "DOCX bị hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "kh.doc", ".doc"),
        (b"plain text, not a docx", "kh.docx", "DOCX bị hỏng"),
    ],
    ids=["binary", "cp1258", "broken-zip", "word-97", "txt-named-docx"],
)
def test_unreadable_files_are_refused_in_vietnamese(data: bytes, filename: str, expected: str) -> None:
    with pytest.raises(PlanImportError) as err:
        parse_plan(data, filename=filename)
    assert expected in err.value.message


def test_wrong_encoding_names_the_line() -> None:
    # "Kết quả" in Windows-1258 on line 14, the rest in UTF-8.
    data = MINIMAL.encode("utf-8").replace("Kết quả".encode(), b"K\xea\xect qu\xe1")
    with pytest.raises(PlanImportError) as err:
        parse_plan(data, filename="kh.txt")
    assert err.value.line == 14


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_random_text_never_crashes(text: str) -> None:
    with contextlib.suppress(PlanImportError):
        parse_plan(text)


_LINES = st.sampled_from(
    [
        "KẾ HOẠCH",
        "Tuyên truyền năm 2031",
        "I. MỤC ĐÍCH",
        "II. NỘI DUNG",
        "III. TỔ CHỨC THỰC HIỆN",
        "IV. KINH PHÍ",
        "1. Kinh tế",
        "2. Xã hội",
        "- Nội dung. - Nội dung khác",
        "- Kỷ niệm 50 năm Ngày X (30/4/1975 - 30/4/2025); 20 năm Y (2005 - 2025)",
        "- Kỷ niệm 10 năm (31/02/2020 - 2030)",
        "tiếp theo viết thường",
        "+ ý phụ",
        "BAN TUYÊN GIÁO",
        "TM. ỦY BAN NHÂN DÂN",
        "Nguyễn Văn A",
        "Nơi nhận:",
        "Trên đây là kế hoạch./.",
        "",
        "",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=40))
def test_random_plan_like_documents_never_crash(lines: list[str]) -> None:
    try:
        parsed = parse_plan("\n".join(lines))
    except PlanImportError:
        return
    assert parsed.areas and all(a.topics for a in parsed.areas)
