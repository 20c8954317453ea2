"""A crafted world for report tests: a plan, outlets of each level, articles with known labels, a
contract with deliveries, acceptance and payments. Rows are created directly so the expected
figures can be counted by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from pressdesk.accounts.models import Organisation, OrgKind, Outlet, OutletLevel, Role
from pressdesk.commissioning.models import (
    Acceptance,
    AcceptanceLine,
    ApprovalPackage,
    Contract,
    ContractItem,
    Delivery,
    OrderRound,
    Payment,
    ProductType,
    Proposal,
    ProposalItem,
    Verdict,
)
from pressdesk.monitoring.models import Article, Mention, MentionEvent, MentionTopic, StoryCluster
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

D = dt.date
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class RWorld:
    plan: Plan
    areas: dict[str, ContentArea]
    topics: dict[str, Topic]
    event: KeyEvent
    orgs: dict[str, Organisation]
    outlets: dict[str, Outlet]
    users: dict[str, Any] = field(default_factory=dict)
    contract: Contract | None = None
    items: dict[str, ContractItem] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)


def user(username: str, role: str, org: Organisation) -> Any:
    u = UserFactory(username=username)
    MembershipFactory(user=u, organisation=org, role=role)
    return u


_seq = [0]


def article(
    w: RWorld,
    outlet: str | None,
    when: dt.datetime,
    *,
    area: str | None = None,
    topics: tuple[str, ...] = (),
    event: bool = False,
    tone: str = "neutral",
    about: bool = True,
    false_info: bool = False,
    cluster: StoryCluster | None = None,
    url: str | None = None,
) -> Article:
    _seq[0] += 1
    n = _seq[0]
    domain = w.outlets[outlet].domains[0] if outlet else "blog.example.org"
    link = url or f"https://{domain}/bai-{n}.html"
    a = Article.objects.create(
        canonical_url=link,
        url=link,
        outlet=w.outlets[outlet] if outlet else None,
        title=f"Bài {n} về Thanh Hóa",
        text="Nội dung",
        published_at=when,
        about_province=about,
        relevance_decision="subject" if about else "none",
        tone=tone,
        false_info=false_info,
        cluster=cluster,
        analysed_at=when,
        model_version="test-1",
    )
    if area or topics or event:
        m = Mention.objects.create(article=a, plan=w.plan, area=w.areas[area] if area else None)
        for t in topics:
            MentionTopic.objects.create(mention=m, topic=w.topics[t], score=1.0)
        if event:
            MentionEvent.objects.create(mention=m, event=w.event, score=1.0)
    w.articles.append(a)
    return a


def at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=ZONE)


def make_world() -> RWorld:
    plan = Plan.objects.create(
        year=2024, title="Kế hoạch thông tin, tuyên truyền năm 2024", number="15/KH-BTG"
    )
    a1 = ContentArea.objects.create(plan=plan, number=1, title="Kinh tế")
    a2 = ContentArea.objects.create(plan=plan, number=2, title="Văn hóa, xã hội")
    t11 = Topic.objects.create(area=a1, order=1, text="Khu kinh tế Nghi Sơn", target_count=24)
    t12 = Topic.objects.create(area=a1, order=2, text="Nông nghiệp công nghệ cao")
    t21 = Topic.objects.create(area=a2, order=1, text="Du lịch Sầm Sơn", target_count=12)
    event = KeyEvent.objects.create(
        plan=plan,
        area=a2,
        topic=t21,
        title="Kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
        date=D(2024, 5, 7),
        year=2024,
        window_before_days=14,
        window_after_days=7,
    )
    orgs = {
        "info": OrganisationFactory(name="Sở Thông tin và Truyền thông", kind=OrgKind.INFORMATION),
        "btg": OrganisationFactory(name="Ban Tuyên giáo Tỉnh ủy", kind=OrgKind.PROPAGANDA),
        "ubnd": OrganisationFactory(name="UBND tỉnh Thanh Hóa", kind=OrgKind.PEOPLES_COMMITTEE),
        "a": OrganisationFactory(name="Báo Trung ương A", kind=OrgKind.CENTRAL_PRESS),
        "b": OrganisationFactory(name="Báo Tỉnh B", kind=OrgKind.PROVINCIAL_PRESS),
        "c": OrganisationFactory(name="Tạp chí C", kind=OrgKind.OTHER),
    }
    outlets = {
        "a": Outlet.objects.create(
            agency=orgs["a"], name="Báo A điện tử", level=OutletLevel.CENTRAL, domains=["baoa.vn"]
        ),
        "b": Outlet.objects.create(
            agency=orgs["b"], name="Báo B điện tử", level=OutletLevel.PROVINCIAL, domains=["baob.vn"]
        ),
        "c": Outlet.objects.create(
            agency=orgs["c"], name="Tạp chí C", level=OutletLevel.OTHER, domains=["tapchic.vn"]
        ),
    }
    w = RWorld(plan, {"1": a1, "2": a2}, {"1.1": t11, "1.2": t12, "2.1": t21}, event, orgs, outlets)
    w.users = {
        "officer": user("officer", Role.COMMISSIONING_OFFICER, orgs["info"]),
        "monitor": user("monitor", Role.MONITOR, orgs["info"]),
        "editor": user("plan_editor", Role.PLAN_EDITOR, orgs["btg"]),
        "appraiser": user("appraiser", Role.APPRAISER, orgs["btg"]),
        "approver": user("approver", Role.APPROVER, orgs["ubnd"]),
        "viewer": user("viewer", Role.VIEWER, orgs["ubnd"]),
        "agency_a": user("agency_a", Role.AGENCY_EDITOR, orgs["a"]),
        "agency_b": user("agency_b", Role.AGENCY_EDITOR, orgs["b"]),
        "body": user("body", Role.BODY_OFFICER, OrganisationFactory(name="UBND xã", kind=OrgKind.LOCALITY)),
    }
    return w


def add_articles(w: RWorld) -> None:
    """May 2024 (the month under test) and a few outside it.

    In May: central 3 (a), provincial 2 (b), other 2 (c + no outlet) = 7 about the province.
    Tones: positive 3, neutral 2, negative 1, unanalysed 1.
    Area 1: a×2 (one with topics 1.1+1.2), b×1 → 3 (central 2, provincial 1); area 2: a, b, c → 3.
    Topic 1.1: 2 articles (a, b); topic 1.2: 1 (a); topic 2.1: 2 (a, c).
    Event (7 May, window 23/4–14/5): before 1 (a, 5 May), on 1 (b, 7 May), after 1 (c, 10 May).
    """
    article(w, "a", at(2024, 5, 2), area="1", topics=("1.1", "1.2"), tone="positive")
    article(w, "a", at(2024, 5, 20), area="1", tone="positive")
    article(w, "b", at(2024, 5, 21), area="1", topics=("1.1",), tone="negative")
    article(w, "a", at(2024, 5, 5), area="2", topics=("2.1",), event=True, tone="positive")
    article(w, "b", at(2024, 5, 7), area="2", event=True, tone="neutral")
    article(w, "c", at(2024, 5, 10), area="2", topics=("2.1",), event=True, tone="neutral", false_info=True)
    article(w, None, at(2024, 5, 31, 23), tone="")  # no outlet → "other"; 23:00 local is still 31 May
    # Outside May or not counted.
    article(w, "a", at(2024, 4, 30, 23), area="1", tone="positive")  # April (event window, not in May)
    article(w, "a", at(2024, 6, 1, 0), area="1", tone="positive")  # June: local midnight
    article(w, "b", at(2024, 5, 15), area="1", about=False)  # not about the province


def add_contract(w: RWorld) -> Contract:
    o = w.orgs
    officer = w.users["officer"]
    r = OrderRound.objects.create(
        plan=w.plan,
        title="Đợt 1",
        opened_by=o["info"],
        appraiser_org=o["btg"],
        approver_org=o["ubnd"],
        budget_ceiling=Decimal(500_000_000),
        proposal_deadline=timezone.localdate() + dt.timedelta(days=30),
        created_by=officer,
    )
    prop = Proposal.objects.create(
        round=r, agency=o["a"], title="Đề xuất A", author=w.users["agency_a"], status=Proposal.Status.ENDORSED
    )
    pkg = ApprovalPackage.objects.create(
        round=r,
        title="Hồ sơ 1",
        compiled_by=officer,
        status=ApprovalPackage.Status.APPROVED,
        decision_number="1/QĐ",
        decision_date=D(2024, 3, 25),
    )
    c = Contract.objects.create(
        number="01/2024/HĐ",
        package=pkg,
        agency=o["a"],
        period_start=D(2024, 4, 1),
        period_end=D(2024, 12, 31),
        status=Contract.Status.IN_PROGRESS,
        signed_on=D(2024, 3, 30),
        created_by=officer,
    )

    def line(
        key: str, area: str, topic: str | None, qty: int, price: int, start: dt.date, end: dt.date
    ) -> None:
        src = ProposalItem.objects.create(
            proposal=prop,
            area=w.areas[area],
            topic=w.topics[topic] if topic else None,
            product_type=ProductType.ARTICLE,
            outlet=w.outlets["a"],
            quantity=qty,
            unit="bài",
            unit_price=Decimal(price),
            window_start=start,
            window_end=end,
            verdict=Verdict.ACCEPT,
            package=pkg,
        )
        w.items[key] = ContractItem.objects.create(
            contract=c,
            source=src,
            area=w.areas[area],
            topic=w.topics[topic] if topic else None,
            product_type=ProductType.ARTICLE,
            outlet=w.outlets["a"],
            quantity=qty,
            unit="bài",
            unit_price=Decimal(price),
            window_start=start,
            window_end=end,
        )

    line("econ", "1", "1.1", 4, 3_000_000, D(2024, 4, 1), D(2024, 5, 15))  # closed mid-May: late if < 4
    line("culture", "2", "2.1", 2, 5_000_000, D(2024, 5, 1), D(2024, 6, 30))
    econ = w.items["econ"]
    agent = w.users["agency_a"]
    for n, day in enumerate([D(2024, 4, 20), D(2024, 5, 2)], start=1):
        Delivery.objects.create(
            contract_item=econ,
            outlet=w.outlets["a"],
            url=f"https://baoa.vn/hd-{n}.html",
            title=f"Tác phẩm {n}",
            published_on=day,
            recorded_by=agent,
            status=Delivery.Status.ACCEPTED,
        )
    Delivery.objects.create(
        contract_item=econ,
        outlet=w.outlets["a"],
        url="https://baoa.vn/hd-x.html",
        title="Bị từ chối",
        published_on=D(2024, 5, 3),
        recorded_by=agent,
        status=Delivery.Status.REJECTED,
    )
    Delivery.objects.create(
        contract_item=w.items["culture"],
        outlet=w.outlets["a"],
        url="https://baoa.vn/vh-1.html",
        title="Văn hóa 1",
        published_on=D(2024, 5, 5),
        recorded_by=agent,
    )
    acc = Acceptance.objects.create(
        contract=c, number="NT-01", period_start=D(2024, 4, 1), period_end=D(2024, 5, 31), recorded_by=officer
    )
    AcceptanceLine.objects.create(
        acceptance=acc,
        contract_item=econ,
        accepted_quantity=2,
        deduction=Decimal(500_000),
        deduction_reason="Chậm",
    )
    Payment.objects.create(
        contract=c,
        kind=Payment.Kind.ADVANCE,
        amount=Decimal(6_000_000),
        paid_on=D(2024, 4, 2),
        recorded_by=officer,
    )
    Payment.objects.create(
        contract=c,
        kind=Payment.Kind.INTERIM,
        amount=Decimal(1_000_000),
        paid_on=D(2024, 6, 10),
        recorded_by=officer,
    )
    w.contract = c
    return c
