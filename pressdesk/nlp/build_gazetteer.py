"""Build pressdesk/nlp/data/gazetteer.json from `vietnamadminunits` plus hand-listed places.

Run once at development time (the JSON ships with the package, so startup never queries SQLite):

    .venv/bin/python -m pressdesk.nlp.build_gazetteer
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pressdesk.nlp.text import normalize_text

DATA_DIR = Path(__file__).resolve().parent / "data"
GAZETTEER_PATH = DATA_DIR / "gazetteer.json"
PROVINCE = "Thanh Hóa"
PROVINCE_CODE = "38"

# District-level names the news kept using although the table no longer has them
# (Tĩnh Gia became thị xã Nghi Sơn in 2020, Đông Sơn merged into the city in 2024).
HISTORICAL_DISTRICTS = [
    {"code": "dist:tinh-gia", "name": "Tĩnh Gia", "ambiguous": False},
    {"code": "dist:dong-son", "name": "Đông Sơn", "ambiguous": True},
]

# Well-known places and institutions: all unique to the province, each counts on its own.
LANDMARKS: list[dict[str, Any]] = [
    {
        "code": "lm:kkt-nghi-son",
        "name": "Khu kinh tế Nghi Sơn",
        "aliases": [
            "Khu kinh tế Nghi Sơn",
            "KKT Nghi Sơn",
            "cảng Nghi Sơn",
            "Lọc hóa dầu Nghi Sơn",
            "Nhiệt điện Nghi Sơn",
            "Gang thép Nghi Sơn",
        ],
    },
    {"code": "lm:bien-sam-son", "name": "Biển Sầm Sơn", "aliases": ["biển Sầm Sơn", "bãi biển Sầm Sơn"]},
    {"code": "lm:lam-kinh", "name": "Khu di tích Lam Kinh", "aliases": ["Lam Kinh"]},
    {"code": "lm:thanh-nha-ho", "name": "Thành nhà Hồ", "aliases": ["Thành nhà Hồ", "Thành Tây Đô"]},
    {"code": "lm:pu-luong", "name": "Pù Luông", "aliases": ["Pù Luông"]},
    {"code": "lm:ben-en", "name": "Vườn quốc gia Bến En", "aliases": ["Bến En"]},
    {"code": "lm:ham-rong", "name": "Hàm Rồng", "aliases": ["cầu Hàm Rồng", "núi Hàm Rồng"]},
    {"code": "lm:hai-tien", "name": "Biển Hải Tiến", "aliases": ["biển Hải Tiến", "khu du lịch Hải Tiến"]},
    {"code": "lm:pu-hu", "name": "Khu bảo tồn Pù Hu", "aliases": ["Pù Hu"]},
    {"code": "lm:cua-dat", "name": "Hồ Cửa Đạt", "aliases": ["Cửa Đạt"]},
    {
        "code": "lm:san-bay-tho-xuan",
        "name": "Cảng hàng không Thọ Xuân",
        "aliases": ["sân bay Thọ Xuân", "Cảng hàng không Thọ Xuân", "Cảng HK Thọ Xuân"],
    },
    {"code": "lm:suoi-ca-cam-luong", "name": "Suối cá Cẩm Lương", "aliases": ["suối cá Cẩm Lương"]},
    {"code": "lm:den-ba-trieu", "name": "Đền Bà Triệu", "aliases": ["đền Bà Triệu"]},
    {"code": "lm:thuy-dien-trung-son", "name": "Thủy điện Trung Sơn", "aliases": ["Thủy điện Trung Sơn"]},
    {"code": "lm:xu-thanh", "name": "xứ Thanh", "aliases": ["xứ Thanh"]},
    {
        "code": "lm:dh-hong-duc",
        "name": "Trường Đại học Hồng Đức",
        "aliases": ["Đại học Hồng Đức", "ĐH Hồng Đức"],
    },
]

BODIES: list[dict[str, Any]] = [
    {
        "code": "org:ubnd-tinh",
        "name": "UBND tỉnh Thanh Hóa",
        "aliases": ["UBND tỉnh Thanh Hóa", "Ủy ban nhân dân tỉnh Thanh Hóa", "UBND Thanh Hóa"],
    },
    {
        "code": "org:tinh-uy",
        "name": "Tỉnh ủy Thanh Hóa",
        "aliases": ["Tỉnh ủy Thanh Hóa", "Tỉnh uỷ Thanh Hóa"],
    },
    {"code": "org:hdnd-tinh", "name": "HĐND tỉnh Thanh Hóa", "aliases": ["HĐND tỉnh Thanh Hóa"]},
    {
        "code": "org:cong-an-tinh",
        "name": "Công an tỉnh Thanh Hóa",
        "aliases": ["Công an tỉnh Thanh Hóa", "Công an Thanh Hóa", "CA tỉnh Thanh Hóa"],
    },
    {
        "code": "org:bien-phong",
        "name": "Bộ đội Biên phòng tỉnh Thanh Hóa",
        "aliases": ["Biên phòng tỉnh Thanh Hóa", "Bộ đội Biên phòng tỉnh Thanh Hóa", "biên phòng Thanh Hóa"],
    },
    {"code": "org:tand-tinh", "name": "TAND tỉnh Thanh Hóa", "aliases": ["TAND tỉnh Thanh Hóa"]},
    {"code": "org:bao-thanh-hoa", "name": "Báo Thanh Hóa", "aliases": ["Báo Thanh Hóa"]},
    {
        "code": "org:ptth",
        "name": "Đài PT-TH Thanh Hóa",
        "aliases": ["Đài Phát thanh và Truyền hình Thanh Hóa", "Đài PT-TH Thanh Hóa", "Đài PTTH Thanh Hóa"],
    },
    {
        "code": "org:doan-dbqh",
        "name": "Đoàn ĐBQH tỉnh Thanh Hóa",
        "aliases": [
            "Đoàn ĐBQH tỉnh Thanh Hóa",
            "Đoàn đại biểu Quốc hội tỉnh Thanh Hóa",
            "Đoàn ĐBQH Thanh Hóa",
        ],
    },
    {
        "code": "org:bqlkkt",
        "name": "Ban Quản lý KKT Nghi Sơn",
        "aliases": ["Ban Quản lý Khu kinh tế Nghi Sơn"],
    },
]

# Regions used in weather bulletins: "Bắc Bộ và Thanh Hóa" is a list, not the province's news.
REGIONS = [
    "Bắc Bộ",
    "Trung Bộ",
    "Bắc Trung Bộ",
    "Nam Bộ",
    "Tây Nguyên",
    "miền Bắc",
    "miền Trung",
    "miền Nam",
    "TP.HCM",
    "TPHCM",
    "TP HCM",
    "TP Hồ Chí Minh",
    "Thừa Thiên Huế",
    "Thừa Thiên - Huế",
    "Thừa Thiên-Huế",
    "Kom Tum",
    "Bắc Cạn",
    "Vinh",
    "Đồng Hới",
]


def build() -> dict[str, Any]:
    from vietnamadminunits.database import query  # development-time only

    legacy = query(
        "select provinceShort, districtShort, districtType, districtCode, wardShort, wardType, wardCode "
        "from admin_units_legacy"
    )
    new = query("select provinceShort, wardShort, wardType, wardCode from admin_units")
    elsewhere: set[str] = set()
    elsewhere_2025 = {row["wardShort"] for row in new if row["provinceShort"] != PROVINCE}
    for row in legacy:
        if row["provinceShort"] != PROVINCE:
            elsewhere.update((row["districtShort"], row["wardShort"]))
    for row in new:
        if row["provinceShort"] != PROVINCE:
            elsewhere.add(row["wardShort"])

    entries: list[dict[str, Any]] = []
    districts: dict[str, dict[str, Any]] = {}
    for row in legacy:
        if row["provinceShort"] != PROVINCE or row["districtCode"] in districts:
            continue
        districts[row["districtCode"]] = {
            "code": f"dist:{row['districtCode']}",
            "name": normalize_text(row["districtShort"]),
            "type": row["districtType"],
            "level": "district",
            "ambiguous": row["districtShort"] in elsewhere,
        }
    entries.extend(districts.values())
    for extra in HISTORICAL_DISTRICTS:
        entries.append({**extra, "type": "Huyện", "level": "district"})
    for row in legacy:
        if row["provinceShort"] != PROVINCE:
            continue
        entries.append(
            {
                "code": f"xa:{row['wardCode']}",
                "name": normalize_text(row["wardShort"]),
                "type": row["wardType"],
                "level": "commune_legacy",
                "parent": f"dist:{row['districtCode']}",
                "ambiguous": row["wardShort"] in elsewhere,
            }
        )
    for row in new:
        if row["provinceShort"] != PROVINCE:
            continue
        entries.append(
            {
                "code": f"xa2025:{row['wardCode']}",
                "name": normalize_text(row["wardShort"]),
                "type": row["wardType"],
                "level": "commune",
                # shared with another province's current unit, or with any unit before 2025
                "shared_2025": row["wardShort"] in elsewhere_2025,
                "ambiguous": row["wardShort"] in elsewhere,
            }
        )
    for item in LANDMARKS:
        entries.append({**item, "level": "landmark", "ambiguous": False})
    for item in BODIES:
        entries.append({**item, "level": "body", "ambiguous": False})
    for entry in entries:
        entry["name"] = normalize_text(entry["name"])
        entry["aliases"] = [normalize_text(a) for a in entry.get("aliases", [])]

    provinces = sorted({row["provinceShort"] for row in legacy} | {row["provinceShort"] for row in new})
    return {
        "source": "vietnamadminunits (admin_units_legacy, admin_units) + hand-listed places",
        "province": {"code": PROVINCE_CODE, "name": PROVINCE, "level": "province"},
        "counts": {
            "districts_legacy": len(districts),
            "communes_legacy": sum(1 for e in entries if e["level"] == "commune_legacy"),
            "communes_2025": sum(1 for e in entries if e["level"] == "commune"),
            "communes_2025_shared": sum(1 for e in entries if e.get("shared_2025")),
            "communes_2025_ambiguous": sum(1 for e in entries if e["level"] == "commune" and e["ambiguous"]),
        },
        "other_provinces": [normalize_text(p) for p in provinces if p != PROVINCE],
        "regions": [normalize_text(r) for r in REGIONS],
        "entries": entries,
    }


def main() -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    data = build()
    GAZETTEER_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {GAZETTEER_PATH} counts={data['counts']}")


if __name__ == "__main__":
    main()
