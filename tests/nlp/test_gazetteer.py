"""The gazetteer: counts from vietnamadminunits, ambiguity and the negative cases of the issue."""

from __future__ import annotations

import json

import pytest

from pressdesk.nlp.build_gazetteer import build
from pressdesk.nlp.gazetteer import DATA_PATH, get_gazetteer, summarise


def test_shipped_counts():
    data = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    assert data["counts"] == {
        "districts_legacy": 26,
        "communes_legacy": 547,
        "communes_2025": 166,
        "communes_2025_shared": 37,
        "communes_2025_ambiguous": 64,
    }
    levels = [e["level"] for e in data["entries"]]
    assert levels.count("district") == 26 + 2  # plus Tĩnh Gia and Đông Sơn, gone from the table
    assert levels.count("commune_legacy") == 547
    assert levels.count("commune") == 166
    assert len(data["other_provinces"]) == 62


def test_shipped_file_matches_the_package():
    """The JSON was built from vietnamadminunits; rebuilding gives the same entries."""
    assert build()["entries"] == json.loads(DATA_PATH.read_text(encoding="utf-8"))["entries"]


def roles(text: str, title: str = "") -> list[tuple[str, str]]:
    return [(m.surface, m.role) for m in get_gazetteer().find(title, "", text)]


def counted_codes(text: str) -> set[str]:
    return {p["code"] for p in summarise(get_gazetteer().find("", "", text))}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("UBND tỉnh Thanh Hóa họp bàn về Khu kinh tế Nghi Sơn.", "org:ubnd-tinh"),
        ("UBND tỉnh Thanh Hóa họp bàn về Khu kinh tế Nghi Sơn.", "lm:kkt-nghi-son"),
        ("Du khách đổ về biển Sầm Sơn, Thanh Hóa.", "lm:bien-sam-son"),
        ("Mùa lúa chín ở Pù Luông (Thanh Hóa).", "lm:pu-luong"),
        ("Lễ hội Lam Kinh thu hút du khách.", "lm:lam-kinh"),
        ("Thành nhà Hồ đón khách quốc tế.", "lm:thanh-nha-ho"),
        ("Cháy rừng ở xã Hoằng Trường, huyện Hoằng Hóa, tỉnh Thanh Hóa.", "xa:16006"),
        ("Cháy rừng ở xã Hoằng Trường, huyện Hoằng Hóa, tỉnh Thanh Hóa.", "dist:399"),
        ("Đường phố TP Thanh Hóa ngập sâu.", "dist:380"),
        ("Nhiều ngư dân Thanh Hóa được mùa tôm.", "38"),
        ("Người dân xứ Thanh đón Tết.", "lm:xu-thanh"),
        ("Cảng hàng không Thọ Xuân mở đường bay quốc tế.", "lm:san-bay-tho-xuan"),
        ("Huyện Tĩnh Gia giải phóng mặt bằng cho dự án.", "dist:tinh-gia"),
        # typed without diacritics
        ("UBND tinh Thanh Hoa hop ve khu kinh te Nghi Son, huyen Tinh Gia.", "lm:kkt-nghi-son"),
        ("UBND tinh Thanh Hoa hop ve khu kinh te Nghi Son, huyen Tinh Gia.", "dist:tinh-gia"),
        ("THANH HÓA: BẮT GIỮ 2 TẤN NGÀ VOI", "38"),
        ("Thanh Hoá mưa to (tone mark on a)", "38"),
    ],
)
def test_places_found(text, code):
    assert code in counted_codes(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Chị Thanh Hòa (32 tuổi) mở tiệm bánh ở Hà Nội.", "person"),
        ("Ông Nguyễn Thanh Hóa được bổ nhiệm làm giám đốc.", "person, family name before"),
        ("Bà Lê Thanh Hoà nói chuyện với phóng viên.", "person"),
        ("Cháy cửa hàng trên đường Thanh Hóa, quận Thanh Khê, Đà Nẵng.", "street in another city"),
        ("Khu kinh tế Đông Nam Nghệ An thu hút 5 dự án; KKT Đông Nam cấp phép.", "Nghệ An's own zone"),
        ("Khu công nghiệp Hoàng Mai thuộc Khu kinh tế Đông Nam Nghệ An.", "Nghệ An's own zone"),
        ("FLC Thanh Hóa thắng HAGL 5-2 ở vòng 16 V.League.", "football club"),
        ("Nông dân huyện Thạnh Hóa, tỉnh Long An trồng chanh.", "Thạnh Hóa of Long An"),
        ("Bẫy chim ở xã Thanh Hóa (huyện Tuyên Hóa, Quảng Bình).", "commune of Quảng Bình"),
        ("Lối viết phát thanh hóa báo in.", "a word, not a name"),
        ("Nhà thiết kế Lê Thanh Hòa ra mắt bộ sưu tập.", "designer"),
        ("chi Thanh Hoa o quan Cau Giay, Ha Noi ban hang online.", "no diacritics, person"),
        ("Giao su Dai hoc Thanh Hoa cua Trung Quoc.", "no diacritics: Tsinghua"),
        (
            "UBND xã Quảng Phú, huyện Quảng Điền, tỉnh Thừa Thiên Huế khánh thành đường.",
            "shared name elsewhere",
        ),
        ("Đường Quang Trung, quận Hà Đông tắc nghẽn.", "shared name without context"),
        ("Trống đồng Đông Sơn được trưng bày ở Hà Nội.", "shared name without context"),
        ("Xã Tam Thanh, huyện Phú Quý, Bình Thuận.", "shared name elsewhere"),
    ],
)
def test_not_the_province(text, why):
    assert counted_codes(text) == set(), why


def test_origin_list_plate_and_deputy_are_not_counted():
    assert roles("Anh Nguyễn Văn C. (SN 1998, quê Thanh Hóa) bị chém ở Bình Tân.") == [
        ("Thanh Hóa", "origin")
    ]
    assert roles("Nắng nóng ở các tỉnh từ Thanh Hóa đến Phú Yên.") == [("Thanh Hóa", "list")]
    assert roles("Chiếc xe biển số Thanh Hóa bỏ chạy.") == [("Thanh Hóa", "plate")]
    assert roles("ĐB Bùi Sỹ Lợi (Thanh Hóa) phát biểu.") == [("Thanh Hóa", "deputy")]


def test_shared_names_count_with_context():
    text = "Xã Quảng Phú, huyện Thọ Xuân, tỉnh Thanh Hóa khánh thành nhà văn hóa."
    codes = counted_codes(text)
    assert "xa:16522" in codes and "dist:395" in codes
    assert counted_codes("Xã Quảng Phú khánh thành nhà văn hóa.") == set()


def test_summary_counts_mentions():
    places = summarise(get_gazetteer().find("Thanh Hóa mưa lớn", "Mưa lớn ở Thanh Hóa và Sầm Sơn.", ""))
    assert places[0] == {"code": "38", "name": "Thanh Hóa", "level": "province", "count": 2}
    assert {"code": "dist:382", "name": "Sầm Sơn", "level": "district", "count": 1} in places
