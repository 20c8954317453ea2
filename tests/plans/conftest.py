"""Fixtures of the plan tests: the shipped 2024 plan, the 2025 test plan, persona users."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pressdesk.accounts.models import OrgKind, Role
from pressdesk.plans import services
from pressdesk.plans.models import Plan

DATA = Path(__file__).resolve().parent / "data"
PLAN_2024 = (
    Path(__file__).resolve().parents[2] / "pressdesk" / "plans" / "data" / "ke-hoach-tuyen-truyen-2024.txt"
)
PLAN_2025 = DATA / "ke-hoach-nghe-an-2025.txt"

# The organisation kind of each role's persona, as in the demo data.
ROLE_KIND = {
    Role.PLAN_EDITOR: OrgKind.PROPAGANDA,
    Role.APPRAISER: OrgKind.PROPAGANDA,
    Role.COMMISSIONING_OFFICER: OrgKind.INFORMATION,
    Role.APPROVER: OrgKind.PEOPLES_COMMITTEE,
    Role.AGENCY_EDITOR: OrgKind.CENTRAL_PRESS,
    Role.RESIDENT_REPORTER: OrgKind.REPRESENTATIVE_OFFICE,
    Role.BODY_OFFICER: OrgKind.LOCALITY,
    Role.BODY_HEAD: OrgKind.LOCALITY,
    Role.SPOKESPERSON: OrgKind.LOCALITY,
    Role.MONITOR: OrgKind.INFORMATION,
    Role.VIEWER: OrgKind.PEOPLES_COMMITTEE,
    Role.ADMINISTRATOR: OrgKind.INFORMATION,
}


@pytest.fixture
def plan_2024(db: Any) -> Plan:
    return services.plan_import(document=PLAN_2024.read_bytes(), filename=PLAN_2024.name)


@pytest.fixture
def persona(make_user: Any):
    def _make(role: str) -> Any:
        return make_user(role, kind=ROLE_KIND[role])

    return _make


@pytest.fixture
def editor(persona: Any) -> Any:
    return persona(Role.PLAN_EDITOR)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
