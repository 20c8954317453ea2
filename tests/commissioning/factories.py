"""A small world for commissioning tests and helpers that drive the chain through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pressdesk.accounts.models import Organisation, OrgKind, Outlet, OutletLevel, Role
from pressdesk.commissioning import services
from pressdesk.commissioning.models import (
    ApprovalPackage,
    Contract,
    OrderRound,
    ProductType,
    Proposal,
    Verdict,
)
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

D = dt.date


@dataclass
class World:
    plan: Plan
    area: ContentArea
    topic: Topic
    event: KeyEvent
    orgs: dict[str, Organisation]
    outlets: dict[str, Outlet]
    users: dict[str, Any] = field(default_factory=dict)


def _user(username: str, role: str, org: Organisation) -> Any:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=org, role=role)
    return user


def make_world() -> World:
    plan = Plan.objects.create(year=2024, title="Kế hoạch tuyên truyền năm 2024")
    area = ContentArea.objects.create(plan=plan, number=1, title="Kinh tế")
    topic = Topic.objects.create(area=area, order=1, text="Khu kinh tế Nghi Sơn")
    event = KeyEvent.objects.create(plan=plan, area=area, topic=topic, title="Kỷ niệm", year=2024)
    o = {
        "info": OrganisationFactory(name="Sở TTTT", kind=OrgKind.INFORMATION),
        "info2": OrganisationFactory(name="Sở TTTT khác", kind=OrgKind.INFORMATION),
        "btg": OrganisationFactory(name="Ban Tuyên giáo", kind=OrgKind.PROPAGANDA),
        "btg2": OrganisationFactory(name="Ban Tuyên giáo khác", kind=OrgKind.PROPAGANDA),
        "ubnd": OrganisationFactory(name="UBND tỉnh", kind=OrgKind.PEOPLES_COMMITTEE),
        "ubnd2": OrganisationFactory(name="UBND khác", kind=OrgKind.PEOPLES_COMMITTEE),
        "a": OrganisationFactory(name="Báo A", kind=OrgKind.CENTRAL_PRESS),
        "b": OrganisationFactory(name="Báo B", kind=OrgKind.PROVINCIAL_PRESS),
    }
    o["office_a"] = OrganisationFactory(name="VPĐD Báo A", kind=OrgKind.REPRESENTATIVE_OFFICE, parent=o["a"])
    o["office_b"] = OrganisationFactory(name="VPĐD Báo B", kind=OrgKind.REPRESENTATIVE_OFFICE, parent=o["b"])
    outlets = {
        "a": Outlet.objects.create(
            agency=o["a"], name="Báo A điện tử", level=OutletLevel.CENTRAL, domains=["baoa.vn"]
        ),
        "b": Outlet.objects.create(
            agency=o["b"], name="Báo B điện tử", level=OutletLevel.PROVINCIAL, domains=["baob.vn"]
        ),
    }
    w = World(plan=plan, area=area, topic=topic, event=event, orgs=o, outlets=outlets)
    w.users = {
        "officer": _user("officer", Role.COMMISSIONING_OFFICER, o["info"]),
        "officer2": _user("officer2", Role.COMMISSIONING_OFFICER, o["info2"]),
        "appraiser": _user("appraiser", Role.APPRAISER, o["btg"]),
        "appraiser2": _user("appraiser2", Role.APPRAISER, o["btg2"]),
        "approver": _user("approver", Role.APPROVER, o["ubnd"]),
        "approver2": _user("approver2", Role.APPROVER, o["ubnd2"]),
        "editor_a": _user("editor_a", Role.AGENCY_EDITOR, o["a"]),
        "editor_b": _user("editor_b", Role.AGENCY_EDITOR, o["b"]),
        "reporter_a": _user("reporter_a", Role.RESIDENT_REPORTER, o["office_a"]),
        "reporter_b": _user("reporter_b", Role.RESIDENT_REPORTER, o["office_b"]),
        "viewer": _user("viewer", Role.VIEWER, o["ubnd"]),
    }
    return w


def open_round(w: World, ceiling: Decimal = Decimal(100_000_000)) -> OrderRound:
    return services.round_open(
        actor=w.users["officer"],
        plan=w.plan,
        title="Đợt 1 năm 2024",
        budget_ceiling=ceiling,
        proposal_deadline=timezone.localdate() + dt.timedelta(days=30),
        appraiser_org=w.orgs["btg"],
        approver_org=w.orgs["ubnd"],
        invited=[w.orgs["a"], w.orgs["b"]],
    )


def item_input(w: World, agency: str = "a", **kw: Any) -> services.ItemInput:
    data: dict[str, Any] = {
        "area": w.area,
        "topic": w.topic,
        "event": None,
        "product_type": ProductType.ARTICLE,
        "outlet": w.outlets[agency],
        "quantity": 4,
        "unit_price": Decimal(2_500_000),
        "window_start": D(2024, 4, 1),
        "window_end": D(2024, 6, 30),
    }
    data.update(kw)
    return services.ItemInput(**data)


def draft_proposal(w: World, r: OrderRound | None = None, agency: str = "a", items: int = 2) -> Proposal:
    r = r or open_round(w)
    editor = w.users[f"editor_{agency}"]
    p = services.proposal_create(
        actor=editor, round_id=r.pk, agency=w.orgs[agency], title=f"Đề xuất {agency}"
    )
    for n in range(items):
        services.proposal_item_add(actor=editor, proposal_id=p.pk, data=item_input(w, agency, quantity=4 + n))
    return p


def submitted_proposal(w: World, **kw: Any) -> Proposal:
    p = draft_proposal(w, **kw)
    agency = "a" if p.agency == w.orgs["a"] else "b"
    return services.proposal_submit(actor=w.users[f"editor_{agency}"], proposal_id=p.pk)


def endorsed_proposal(w: World, **kw: Any) -> Proposal:
    p = submitted_proposal(w, **kw)
    for item in p.items.all():
        services.item_appraise(actor=w.users["appraiser"], item_id=item.pk, verdict=Verdict.ACCEPT)
    return services.proposal_endorse(actor=w.users["appraiser"], proposal_id=p.pk, note="Đạt")


def compiled_package(w: World, **kw: Any) -> ApprovalPackage:
    p = endorsed_proposal(w, **kw)
    services.agencies_select(actor=w.users["appraiser"], round_id=p.round_id, agencies=[p.agency])
    ids = list(p.items.values_list("pk", flat=True))
    return services.package_compile(
        actor=w.users["officer"], round_id=p.round_id, title="Hồ sơ 1", item_ids=ids
    )


def submitted_package(w: World, **kw: Any) -> ApprovalPackage:
    pkg = compiled_package(w, **kw)
    return services.package_submit(actor=w.users["officer"], package_id=pkg.pk)


def approved_package(w: World, **kw: Any) -> ApprovalPackage:
    pkg = submitted_package(w, **kw)
    return services.package_approve(
        actor=w.users["approver"],
        package_id=pkg.pk,
        decision_number="123/QĐ-UBND",
        decision_date=D(2024, 3, 15),
    )


def draft_contract(w: World, number: str = "01/2024/HĐ-ĐH", **kw: Any) -> Contract:
    pkg = approved_package(w, **kw)
    agency = pkg.items.first().proposal.agency  # type: ignore[union-attr]
    return services.contract_draft(
        actor=w.users["officer"],
        package_id=pkg.pk,
        agency=agency,
        number=number,
        item_ids=list(pkg.items.values_list("pk", flat=True)),
        period_start=D(2024, 3, 20),
        period_end=D(2024, 12, 31),
        legal_basis="Nghị định 32/2019/NĐ-CP",
        advance_percent=Decimal(30),
        instalments=2,
        acceptance_method="Theo số tác phẩm đã đăng",
    )


def running_contract(w: World, **kw: Any) -> Contract:
    c = draft_contract(w, **kw)
    services.contract_sign(actor=w.users["officer"], contract_id=c.pk, signed_on=D(2024, 3, 20))
    return services.contract_start(actor=w.users["officer"], contract_id=c.pk)


def deliver_all(w: World, c: Contract, accept: bool = True) -> None:
    for item in c.items.all():
        for n in range(item.quantity):
            d = services.delivery_record(
                actor=w.users["editor_a"],
                contract_item_id=item.pk,
                outlet=item.outlet,
                url=f"https://baoa.vn/bai-{item.pk}-{n}.html",
                title=f"Bài {n}",
                published_on=D(2024, 5, 1),
            )
            if accept:
                services.delivery_accept(actor=w.users["officer"], delivery_id=d.pk)
