"""Generate pressdesk/nlp/data/plan-2024.json from the shipped plan document (run once).

This is the Analyser's fallback plan when no plan is given and the plans app's importer is not
available. It has the `plan show --json` shape plus the keywords a plan editor would add:

    .venv/bin/python -m pressdesk.nlp.build_plan
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from pressdesk.nlp.text import normalize_text

REPO_PACKAGE = Path(__file__).resolve().parents[1]
PLAN_DOCUMENT = REPO_PACKAGE / "plans" / "data" / "ke-hoach-tuyen-truyen-2024.txt"
PLAN_JSON = Path(__file__).resolve().parent / "data" / "plan-2024.json"

# What a plan editor types on the area page: words that signal the area in news text.
AREA_KEYWORDS: dict[int, list[str]] = {
    1: [
        "kinh tế", "tăng trưởng", "GRDP", "thu ngân sách", "dự án", "khu công nghiệp", "khu kinh tế",
        "nhà máy", "doanh nghiệp", "sản xuất", "nông nghiệp", "nông thôn mới", "thủy sản", "ngư dân",
        "tàu cá", "cao tốc", "quốc lộ", "giao thông", "hạ tầng", "cảng", "điện",
        "năng lượng", "logistics", "xuất khẩu", "quy hoạch", "giải phóng mặt bằng", "đất đai",
        "thương mại", "vốn", "lọc hóa dầu", "công nghiệp", "thủy điện", "đường giao thông", "bồi thường",
    ],
    2: [
        "cải cách hành chính", "thủ tục hành chính", "dịch vụ công", "một cửa", "chính quyền điện tử",
        "chuyển đổi số", "công nghệ thông tin", "số hóa", "khoa học công nghệ", "khoa học và công nghệ",
        "đổi mới sáng tạo", "khởi nghiệp", "chỉ số PCI", "năng lực cạnh tranh", "phần mềm", "trực tuyến",
        "ứng dụng công nghệ", "chính phủ điện tử", "dữ liệu", "nghiên cứu khoa học",
    ],
    3: [
        "xúc tiến đầu tư", "hội nghị xúc tiến", "nhà đầu tư nước ngoài", "FDI", "đối ngoại",
        "hợp tác quốc tế", "đại sứ", "tổng lãnh sự", "biên bản ghi nhớ", "hữu nghị", "Hủa Phăn", "Lào",
        "Nhật Bản", "Hàn Quốc", "Thái Lan", "kết nghĩa", "quốc tế", "ASEAN", "chứng nhận đầu tư",
        "thu hút đầu tư", "đoàn công tác", "ký kết",
    ],
    4: [
        "Đảng", "đảng viên", "Tỉnh ủy", "Huyện ủy", "chi bộ", "kỷ luật", "khai trừ", "tham nhũng",
        "Ủy ban kiểm tra", "cán bộ", "bổ nhiệm", "cách chức", "dân tộc", "tôn giáo", "đồng bào",
        "giảm nghèo", "thi đua", "điển hình", "tấm gương", "người tốt việc tốt", "khen thưởng",
        "quốc phòng", "biên phòng", "Mặt trận", "đoàn thanh niên", "đại hội", "Quốc hội", "ĐBQH",
        "HĐND",
    ],
    5: [
        "văn hóa", "du lịch", "du khách", "lễ hội", "di tích", "di sản", "bảo tàng", "nghệ thuật",
        "giáo dục", "học sinh", "giáo viên", "trường", "thi THPT", "tốt nghiệp", "đại học", "y tế",
        "bệnh viện", "bác sĩ", "sức khỏe", "BHYT", "kỷ niệm", "lịch sử", "truyền thống", "thể thao",
        "bãi biển", "khách sạn", "mầm non", "triển lãm",
    ],
}  # fmt: skip

EVENT_KEYWORDS: dict[str, list[str]] = {
    "Điện Biên Phủ": ["Điện Biên Phủ", "chiến thắng Điện Biên"],
    "tập kết ra Bắc": ["tập kết ra Bắc", "học sinh miền Nam"],
    "Quân đội nhân dân": ["Quân đội nhân dân Việt Nam", "thành lập Quân đội nhân dân"],
    "Ngày hội quốc phòng": ["Ngày hội quốc phòng toàn dân", "quốc phòng toàn dân"],
    "Văn hóa Đông Sơn": ["Văn hóa Đông Sơn", "trống đồng Đông Sơn"],
    "Tĩnh lý": ["Đô thị Tĩnh lý", "Tĩnh lý"],
    "30 năm thành lập thành phố": ["thành lập thành phố Thanh Hóa"],
    "Đô thị loại I": ["Đô thị loại I", "đô thị loại 1"],
}


def parse(text: str) -> dict[str, Any]:
    text = normalize_text(text)
    content = text.split("II. NỘI DUNG", 1)[1].split("III. TỔ CHỨC", 1)[0]
    areas: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in content.splitlines():
        line = line.strip()
        heading = re.match(r"^(\d)\.\s+(.*)$", line)
        if heading:
            current = {"number": int(heading.group(1)), "title": heading.group(2).strip(), "topics": []}
            areas.append(current)
        elif line.startswith("- ") and current is not None:
            current["topics"].append({"order": len(current["topics"]) + 1, "text": line[2:].strip()})
        elif line and current is not None and current["topics"]:
            current["topics"][-1]["text"] += " " + line  # a topic continued after a page break
    for area in areas:
        area["keywords"] = AREA_KEYWORDS.get(area["number"], [])
        for topic in area["topics"]:
            topic["keywords"] = []
    return {"year": 2024, "title": "Kế hoạch thông tin, tuyên truyền trọng tâm về tỉnh Thanh Hóa năm 2024",
            "areas": areas, "events": _events(content)}  # fmt: skip


def _events(content: str) -> list[dict[str, Any]]:
    match = re.search(r"\*(.*)\*", content, re.S)
    if not match:
        return []
    events = []
    for part in re.split(r";\s*", match.group(1).rstrip(",.…")):
        part = part.strip().rstrip(",.").strip()
        for piece in re.split(r"\s+và\s+(?=\d+\s+năm)|,\s*(?=\d+\s+năm)", part):
            title = piece.strip().rstrip(",.").strip()
            if not title:
                continue
            title = title[0].upper() + title[1:]
            dates = re.findall(r"(\d{1,2})/(\d{1,2})/(\d{4})", title)
            years = re.findall(r"\((\d{4})\s*-\s*(\d{4})\)", title)
            date = None
            since_year = None
            if dates:
                day, month, year = dates[-1]
                date = dt.date(int(year), int(month), int(day)).isoformat()
                since_year = int(dates[0][2])
            elif years:
                since_year = int(years[0][0])
            keywords = next((kw for key, kw in EVENT_KEYWORDS.items() if key in title), [])
            events.append(
                {"title": title, "date": date, "year": 2024, "since_year": since_year, "keywords": keywords}
            )
    return events


def main() -> None:
    plan = parse(PLAN_DOCUMENT.read_text(encoding="utf-8"))
    PLAN_JSON.write_text(json.dumps(plan, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {PLAN_JSON}: {len(plan['areas'])} areas, {len(plan['events'])} events")


if __name__ == "__main__":
    main()
