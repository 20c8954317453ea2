"""Demonstration bodies of the 2024 plan (and their 2025 successors), press agencies, one user per role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pressdesk.accounts.models import (
    Membership,
    Organisation,
    OrgKind,
    Outlet,
    OutletKind,
    OutletLevel,
    Role,
    User,
)
from pressdesk.core.demo import DEMO_PASSWORD, DemoContext

D = dt.date

# key, name, short name, kind, valid_from, valid_to, successor key, admin unit code, website
ORGANISATIONS: list[tuple[str, str, str, str, dt.date | None, dt.date | None, str | None, str, str]] = [
    (
        "btg2025",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy Thanh Hóa",
        "BTGDV",
        OrgKind.PROPAGANDA,
        D(2025, 2, 20),
        None,
        None,
        "",
        "",
    ),
    (
        "btg",
        "Ban Tuyên giáo Tỉnh ủy Thanh Hóa",
        "BTGTU",
        OrgKind.PROPAGANDA,
        None,
        D(2025, 2, 19),
        "btg2025",
        "",
        "",
    ),
    (
        "skhcn",
        "Sở Khoa học và Công nghệ tỉnh Thanh Hóa",
        "SKHCN",
        OrgKind.INFORMATION,
        D(2025, 3, 1),
        None,
        None,
        "",
        "https://skhcn.thanhhoa.gov.vn",
    ),
    (
        "stttt",
        "Sở Thông tin và Truyền thông tỉnh Thanh Hóa",
        "STTTT",
        OrgKind.INFORMATION,
        None,
        D(2025, 2, 28),
        "skhcn",
        "",
        "https://stttt.thanhhoa.gov.vn",
    ),
    (
        "ubnd",
        "Ủy ban nhân dân tỉnh Thanh Hóa",
        "UBND tỉnh",
        OrgKind.PEOPLES_COMMITTEE,
        None,
        None,
        None,
        "38",
        "https://thanhhoa.gov.vn",
    ),
    (
        "svhttdl",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa",
        "SVHTTDL",
        OrgKind.DEPARTMENT,
        None,
        None,
        None,
        "",
        "https://svhttdl.thanhhoa.gov.vn",
    ),
    (
        "stc",
        "Sở Tài chính tỉnh Thanh Hóa",
        "STC",
        OrgKind.DEPARTMENT,
        None,
        None,
        None,
        "",
        "https://stc.thanhhoa.gov.vn",
    ),
    (
        "skhdt",
        "Sở Kế hoạch và Đầu tư tỉnh Thanh Hóa",
        "SKHĐT",
        OrgKind.DEPARTMENT,
        None,
        D(2025, 2, 28),
        "stc",
        "",
        "https://skhdt.thanhhoa.gov.vn",
    ),
    (
        "bqlkkt",
        "Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp",
        "BQL KKT",
        OrgKind.DEPARTMENT,
        None,
        None,
        None,
        "",
        "https://nghison.thanhhoa.gov.vn",
    ),
    (
        "hacthanh",
        "UBND phường Hạc Thành",
        "P. Hạc Thành",
        OrgKind.LOCALITY,
        D(2025, 7, 1),
        None,
        None,
        "",
        "",
    ),
    (
        "tptH",
        "UBND thành phố Thanh Hóa",
        "TP Thanh Hóa",
        OrgKind.LOCALITY,
        None,
        D(2025, 6, 30),
        "hacthanh",
        "380",
        "https://thanhphothanhhoa.thanhhoa.gov.vn",
    ),
    ("psamson", "UBND phường Sầm Sơn", "P. Sầm Sơn", OrgKind.LOCALITY, D(2025, 7, 1), None, None, "", ""),
    (
        "samson",
        "UBND thành phố Sầm Sơn",
        "TP Sầm Sơn",
        OrgKind.LOCALITY,
        None,
        D(2025, 6, 30),
        "psamson",
        "382",
        "https://samson.thanhhoa.gov.vn",
    ),
    ("pnghison", "UBND phường Nghi Sơn", "P. Nghi Sơn", OrgKind.LOCALITY, D(2025, 7, 1), None, None, "", ""),
    (
        "nghison",
        "UBND thị xã Nghi Sơn",
        "TX Nghi Sơn",
        OrgKind.LOCALITY,
        None,
        D(2025, 6, 30),
        "pnghison",
        "407",
        "https://nghison.thanhhoa.gov.vn",
    ),
    ("xbathuoc", "UBND xã Bá Thước", "X. Bá Thước", OrgKind.LOCALITY, D(2025, 7, 1), None, None, "", ""),
    (
        "bathuoc",
        "UBND huyện Bá Thước",
        "H. Bá Thước",
        OrgKind.LOCALITY,
        None,
        D(2025, 6, 30),
        "xbathuoc",
        "386",
        "",
    ),
    (
        "nhandan",
        "Báo Nhân Dân",
        "Nhân Dân",
        OrgKind.CENTRAL_PRESS,
        None,
        None,
        None,
        "",
        "https://nhandan.vn",
    ),
    (
        "ttxvn",
        "Thông tấn xã Việt Nam",
        "TTXVN",
        OrgKind.CENTRAL_PRESS,
        None,
        None,
        None,
        "",
        "https://www.vietnamplus.vn",
    ),
    ("vtv", "Đài Truyền hình Việt Nam", "VTV", OrgKind.CENTRAL_PRESS, None, None, None, "", "https://vtv.vn"),
    (
        "tienphong",
        "Báo Tiền Phong",
        "Tiền Phong",
        OrgKind.CENTRAL_PRESS,
        None,
        None,
        None,
        "",
        "https://tienphong.vn",
    ),
    (
        "baoth2025",
        "Báo và Phát thanh, Truyền hình Thanh Hóa",
        "Báo và PTTH TH",
        OrgKind.PROVINCIAL_PRESS,
        D(2025, 7, 1),
        None,
        None,
        "",
        "https://baothanhhoa.vn",
    ),
    (
        "baoth",
        "Báo Thanh Hóa",
        "Báo Thanh Hóa",
        OrgKind.PROVINCIAL_PRESS,
        None,
        D(2025, 6, 30),
        "baoth2025",
        "",
        "https://baothanhhoa.vn",
    ),
    (
        "ptth",
        "Đài Phát thanh và Truyền hình Thanh Hóa",
        "Đài PTTH TH",
        OrgKind.PROVINCIAL_PRESS,
        None,
        D(2025, 6, 30),
        "baoth2025",
        "",
        "https://truyenhinhthanhhoa.vn",
    ),
    (
        "vpttxvn",
        "Văn phòng đại diện Thông tấn xã Việt Nam tại Thanh Hóa",
        "VPĐD TTXVN",
        OrgKind.REPRESENTATIVE_OFFICE,
        None,
        None,
        None,
        "",
        "",
    ),
    ("hnb", "Hội Nhà báo tỉnh Thanh Hóa", "Hội Nhà báo", OrgKind.ASSOCIATION, None, None, None, "", ""),
    ("hhdn", "Hiệp hội Doanh nghiệp tỉnh Thanh Hóa", "HHDN", OrgKind.ASSOCIATION, None, None, None, "", ""),
]

PARENTS = {"vpttxvn": "ttxvn"}

# agency key, outlet name, kind, level, domains
OUTLETS: list[tuple[str, str, str, str, list[str]]] = [
    ("nhandan", "Báo Nhân Dân điện tử", OutletKind.ONLINE, OutletLevel.CENTRAL, ["nhandan.vn"]),
    ("nhandan", "Báo Nhân Dân (bản in)", OutletKind.PRINT, OutletLevel.CENTRAL, []),
    ("ttxvn", "VietnamPlus", OutletKind.ONLINE, OutletLevel.CENTRAL, ["vietnamplus.vn"]),
    ("ttxvn", "Báo Tin tức", OutletKind.ONLINE, OutletLevel.CENTRAL, ["baotintuc.vn"]),
    ("vtv", "VTV1", OutletKind.TV, OutletLevel.CENTRAL, ["vtv.vn"]),
    ("tienphong", "Tiền Phong Online", OutletKind.ONLINE, OutletLevel.CENTRAL, ["tienphong.vn"]),
    ("baoth", "Báo Thanh Hóa điện tử", OutletKind.ONLINE, OutletLevel.PROVINCIAL, ["baothanhhoa.vn"]),
    ("baoth", "Báo Thanh Hóa (bản in)", OutletKind.PRINT, OutletLevel.PROVINCIAL, []),
    ("ptth", "Truyền hình Thanh Hóa", OutletKind.TV, OutletLevel.PROVINCIAL, ["truyenhinhthanhhoa.vn"]),
]

# username, first name, last name, position, [(org key, role)], staff
USERS: list[tuple[str, str, str, str, list[tuple[str, str]], bool]] = [
    ("bientap", "Hà", "Nguyễn Thu", "Chuyên viên Ban Tuyên giáo", [("btg", Role.PLAN_EDITOR)], False),
    ("thamdinh", "Minh", "Lê Văn", "Phó Trưởng ban Tuyên giáo", [("btg", Role.APPRAISER)], False),
    (
        "dathang",
        "Lan",
        "Trần Thị",
        "Chuyên viên Phòng Thông tin - Báo chí",
        [("stttt", Role.COMMISSIONING_OFFICER)],
        False,
    ),
    ("chutich", "Hùng", "Đỗ Minh", "Chủ tịch UBND tỉnh", [("ubnd", Role.APPROVER)], False),
    ("nhandan", "Tuấn", "Phạm Anh", "Biên tập viên Báo Nhân Dân", [("nhandan", Role.AGENCY_EDITOR)], False),
    ("baothanhhoa", "Hương", "Lê Thị", "Biên tập viên Báo Thanh Hóa", [("baoth", Role.AGENCY_EDITOR)], False),
    ("pvtt", "Quang", "Vũ Đức", "Phóng viên thường trú TTXVN", [("vpttxvn", Role.RESIDENT_REPORTER)], False),
    # Officers of the localities abolished on 30/06/2025 work on in their successor wards (the 2024 plan's
    # bodies keep their history; alerts raised today go to the successors).
    (
        "samson",
        "Nam",
        "Hoàng Văn",
        "Chuyên viên UBND TP Sầm Sơn",
        [("samson", Role.BODY_OFFICER), ("psamson", Role.BODY_OFFICER)],
        False,
    ),
    (
        "nghison",
        "Bình",
        "Mai Thanh",
        "Chuyên viên UBND TX Nghi Sơn",
        [("nghison", Role.BODY_OFFICER), ("pnghison", Role.BODY_OFFICER)],
        False,
    ),
    (
        "thutruong",
        "Sơn",
        "Lê Đình",
        "Chủ tịch UBND TP Sầm Sơn",
        [("samson", Role.BODY_HEAD), ("psamson", Role.BODY_HEAD)],
        False,
    ),
    (
        "phatngon",
        "Thảo",
        "Nguyễn Phương",
        "Chánh Văn phòng UBND TP Sầm Sơn",
        [("samson", Role.SPOKESPERSON)],
        False,
    ),
    ("theodoi", "Dũng", "Trịnh Xuân", "Chuyên viên theo dõi báo chí", [("stttt", Role.MONITOR)], False),
    ("xem", "Mai", "Đặng Thị", "Chuyên viên Văn phòng UBND tỉnh", [("ubnd", Role.VIEWER)], False),
    ("quantri", "Khoa", "Bùi Minh", "Quản trị hệ thống", [("stttt", Role.ADMINISTRATOR)], True),
]


def load(ctx: DemoContext) -> None:
    orgs: dict[str, Organisation] = {}
    # Successors first so predecessors can point at them (the list is ordered that way).
    for key, name, short, kind, valid_from, valid_to, successor, code, website in ORGANISATIONS:
        defaults: dict[str, Any] = {
            "short_name": short,
            "kind": kind,
            "valid_to": valid_to,
            "successor": orgs.get(successor) if successor else None,
            "admin_unit_code": code,
            "website": website,
        }
        orgs[key], _ = Organisation.objects.update_or_create(
            name=name, valid_from=valid_from, defaults=defaults
        )
    for child, parent in PARENTS.items():
        Organisation.objects.filter(pk=orgs[child].pk).update(parent=orgs[parent])
    for agency, name, kind, level, domains in OUTLETS:
        Outlet.objects.update_or_create(
            name=name,
            defaults={
                "agency": orgs[agency],
                "kind": kind,
                "level": level,
                "domains": domains,
                "homepage": f"https://{domains[0]}" if domains else "",
            },
        )
    for username, first, last, position, roles, staff in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "position": position,
                "email": f"{username}@example.vn",
            },
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.is_staff = staff
        user.is_superuser = staff
        user.save()
        for org_key, role in roles:
            Membership.objects.get_or_create(user=user, organisation=orgs[org_key], role=role)
        ctx.users[username] = user
    ctx.orgs.update(orgs)
    ctx.lines.append(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
    for username, _first, _last, position, roles, _staff in USERS:
        ctx.lines.append(f"  {username:<12} {Role(roles[0][1]).label} — {position}")
