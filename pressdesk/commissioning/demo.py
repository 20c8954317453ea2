"""Demonstration data for commissioning, made through the services by the demo users so the history is real.

An order round for the 2024 plan with proposals in every state, an approved package, one contract in
progress with published works and one settled contract. Idempotent: nothing happens if the round exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pressdesk.accounts.models import Outlet
from pressdesk.commissioning import services
from pressdesk.commissioning.models import Contract, OrderRound, ProductType, Verdict
from pressdesk.core.demo import DemoContext
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic

ROUND_TITLE = "Đặt hàng tuyên truyền năm 2024 trên báo chí – đợt 1"
D = dt.date


def load(ctx: DemoContext) -> None:
    existing = OrderRound.objects.filter(title=ROUND_TITLE).first()
    if existing is not None:
        _share(ctx, existing)
        return
    plan = ctx.extra.get("plan") or Plan.objects.filter(year=2024).first()
    needed = ("nhandan", "baothanhhoa", "thamdinh", "dathang", "chutich")
    if plan is None or not all(u in ctx.users for u in needed):
        ctx.lines.append("Đặt hàng: chưa có kế hoạch 2024 hoặc tài khoản mẫu, bỏ qua dữ liệu mẫu đặt hàng.")
        return
    areas = list(ContentArea.objects.filter(plan=plan).order_by("number")[:3])
    if not areas:
        ctx.lines.append("Đặt hàng: kế hoạch 2024 chưa có lĩnh vực, bỏ qua dữ liệu mẫu đặt hàng.")
        return
    with services.notifications_muted():
        _build(ctx, plan, areas)


def _share(ctx: DemoContext, order_round: OrderRound) -> None:
    contracts = Contract.objects.filter(package__round=order_round)
    ctx.extra["order_round"] = order_round
    ctx.extra["contracts"] = {
        "in_progress": contracts.filter(status=Contract.Status.IN_PROGRESS).first(),
        "settled": contracts.filter(status=Contract.Status.SETTLED).first(),
    }


def _build(ctx: DemoContext, plan: Plan, areas: list[ContentArea]) -> None:
    u, o = ctx.users, ctx.orgs
    nd, th = o["nhandan"], o["baoth"]
    nd_web = _outlet(nd, "nhandan.vn")
    th_web = _outlet(th, "baothanhhoa.vn")
    th_print = Outlet.objects.filter(agency=th, kind="print").first() or th_web
    topic = [Topic.objects.filter(area=a).order_by("order").first() for a in areas]
    event = KeyEvent.objects.filter(plan=plan, date__year=2024).order_by("date").first()

    r = services.round_open(
        actor=u["dathang"],
        plan=plan,
        title=ROUND_TITLE,
        budget_ceiling=Decimal(1_500_000_000),
        # The demonstration replays the 2024 round today: proposals are made and sent through the
        # services, which refuse them after the deadline; the round shows its 2024 deadline below.
        proposal_deadline=timezone.localdate(),
        appraiser_org=o["btg"],
        approver_org=o["ubnd"],
        invited=[nd, th, o["ttxvn"]],
    )

    def item(
        area_i: int, outlet: Outlet, ptype: str, qty: int, price: int, start: dt.date, end: dt.date, **kw: Any
    ) -> Any:
        return services.ItemInput(
            area=areas[area_i % len(areas)],
            topic=topic[area_i % len(areas)],
            product_type=ptype,
            outlet=outlet,
            quantity=qty,
            unit_price=Decimal(price),
            window_start=start,
            window_end=end,
            **kw,
        )

    def proposal(editor: str, agency: Any, title: str, items: list[Any]) -> Any:
        p = services.proposal_create(actor=u[editor], round_id=r.pk, agency=agency, title=title)
        for data in items:
            services.proposal_item_add(actor=u[editor], proposal_id=p.pk, data=data)
        return p

    # 1. Nhân Dân: endorsed, one line reduced by the appraiser; becomes the contract in progress.
    p1 = proposal(
        "nhandan",
        nd,
        "Tuyên truyền thành tựu kinh tế - xã hội Thanh Hóa 2024 trên Báo Nhân Dân điện tử",
        [
            item(
                0, nd_web, ProductType.ARTICLE, 6, 6_000_000, D(2024, 4, 1), D(2024, 9, 30), channel="Kinh tế"
            ),
            item(
                1, nd_web, ProductType.REPORTAGE, 2, 15_000_000, D(2024, 5, 1), D(2024, 10, 31), event=event
            ),
            item(2, nd_web, ProductType.INFOGRAPHIC, 3, 8_000_000, D(2024, 4, 1), D(2024, 12, 15)),
        ],
    )
    # 2. Báo Thanh Hóa: endorsed; becomes the settled contract.
    p2 = proposal(
        "baothanhhoa",
        th,
        "Chuyên mục “Thanh Hóa vững bước” trên Báo Thanh Hóa",
        [
            item(
                0,
                th_web,
                ProductType.ARTICLE,
                3,
                3_000_000,
                D(2024, 3, 20),
                D(2024, 6, 30),
                channel="Thời sự",
            ),
            item(1, th_print, ProductType.SECTION, 2, 10_000_000, D(2024, 3, 20), D(2024, 6, 30)),
        ],
    )
    for p, editor in ((p1, "nhandan"), (p2, "baothanhhoa")):
        services.proposal_submit(actor=u[editor], proposal_id=p.pk)
    lines1 = list(p1.items.order_by("pk"))
    services.item_appraise(actor=u["thamdinh"], item_id=lines1[0].pk, verdict=Verdict.ACCEPT)
    services.item_appraise(
        actor=u["thamdinh"],
        item_id=lines1[1].pk,
        verdict=Verdict.ACCEPT_WITH_CHANGES,
        note="Giảm đơn giá theo định mức của tỉnh",
        approved_unit_price=Decimal(12_000_000),
    )
    services.item_appraise(
        actor=u["thamdinh"],
        item_id=lines1[2].pk,
        verdict=Verdict.REJECT,
        note="Trùng với sản phẩm đã đặt hàng năm 2023",
    )
    for line in p2.items.all():
        services.item_appraise(actor=u["thamdinh"], item_id=line.pk, verdict=Verdict.ACCEPT)
    services.proposal_endorse(
        actor=u["thamdinh"], proposal_id=p1.pk, note="Đạt, điều chỉnh 1 dòng, loại 1 dòng"
    )
    services.proposal_endorse(actor=u["thamdinh"], proposal_id=p2.pk, note="Đạt")
    services.agencies_select(
        actor=u["thamdinh"],
        round_id=r.pk,
        agencies=[nd, th],
        note="Hai cơ quan có đề xuất đạt và phạm vi phù hợp",
    )

    # 3–6: the other states a newcomer should see.
    p3 = proposal(
        "baothanhhoa",
        th,
        "Phóng sự về Khu kinh tế Nghi Sơn",
        [item(1, th_web, ProductType.REPORTAGE, 2, 9_000_000, D(2024, 6, 1), D(2024, 8, 31))],
    )
    services.proposal_submit(actor=u["baothanhhoa"], proposal_id=p3.pk)
    p4 = proposal(
        "nhandan",
        nd,
        "Tuyến bài về chuyển đổi số",
        [item(2, nd_web, ProductType.ARTICLE, 10, 7_000_000, D(2024, 5, 1), D(2024, 11, 30))],
    )
    services.proposal_submit(actor=u["nhandan"], proposal_id=p4.pk)
    services.proposal_return(
        actor=u["thamdinh"], proposal_id=p4.pk, note="Làm rõ nội dung từng bài và giảm số lượng xuống 6 bài"
    )
    p5 = proposal(
        "baothanhhoa",
        th,
        "Ảnh phóng sự lễ hội",
        [item(0, th_web, ProductType.PHOTO, 20, 1_500_000, D(2024, 4, 1), D(2024, 5, 31))],
    )
    services.proposal_submit(actor=u["baothanhhoa"], proposal_id=p5.pk)
    for line in p5.items.all():
        services.item_appraise(
            actor=u["thamdinh"], item_id=line.pk, verdict=Verdict.REJECT, note="Không thuộc nội dung kế hoạch"
        )
    services.proposal_reject(
        actor=u["thamdinh"], proposal_id=p5.pk, note="Không có dòng nào phù hợp với kế hoạch"
    )
    proposal(
        "nhandan",
        nd,
        "Video giới thiệu du lịch biển (nháp)",
        [item(0, nd_web, ProductType.VIDEO, 4, 12_000_000, D(2024, 6, 1), D(2024, 8, 31))],
    )
    # Every proposal is in: the round shows the deadline it had in 2024.
    OrderRound.objects.filter(pk=r.pk).update(proposal_deadline=D(2024, 3, 10))

    # Approval package: the accepted lines of both endorsed proposals.
    accepted = [i.pk for p in (p1, p2) for i in p.items.all() if i.is_accepted]
    pkg = services.package_compile(
        actor=u["dathang"], round_id=r.pk, title="Hồ sơ đặt hàng đợt 1 năm 2024", item_ids=accepted
    )
    services.package_submit(
        actor=u["dathang"], package_id=pkg.pk, note="Kính trình Chủ tịch UBND tỉnh phê duyệt"
    )
    services.package_approve(
        actor=u["chutich"], package_id=pkg.pk, decision_number="825/QĐ-UBND", decision_date=D(2024, 3, 15)
    )

    common = {
        "legal_basis": "Nghị định số 32/2019/NĐ-CP; Quyết định số 825/QĐ-UBND ngày 15/3/2024 của Chủ tịch UBND tỉnh",
        "acceptance_method": "Nghiệm thu theo số tác phẩm đã đăng, có đường dẫn hoặc bản chụp trang báo",
    }
    # Contract A (Nhân Dân): signed, in progress, with works published on nhandan.vn.
    a = services.contract_draft(
        actor=u["dathang"],
        package_id=pkg.pk,
        agency=nd,
        number="01/2024/HĐĐH-STTTT",
        item_ids=[i.pk for i in p1.items.all() if i.is_accepted],
        period_start=D(2024, 3, 20),
        period_end=D(2024, 12, 31),
        advance_percent=Decimal(30),
        instalments=2,
        **common,
    )
    services.contract_sign(actor=u["dathang"], contract_id=a.pk, signed_on=D(2024, 3, 20))
    services.contract_start(actor=u["dathang"], contract_id=a.pk)
    services.payment_record(
        actor=u["dathang"],
        contract_id=a.pk,
        kind="advance",
        amount=Decimal(17_000_000),
        paid_on=D(2024, 3, 28),
        document_number="UNC 112/2024",
    )
    a_items = list(a.items.order_by("pk"))
    works = [
        (
            a_items[0],
            "https://nhandan.vn/thanh-hoa-tang-truong-kinh-te-quy-i-2024-post801234.html",
            "Thanh Hóa: tăng trưởng kinh tế quý I đạt khá",
            D(2024, 4, 12),
            True,
        ),
        (
            a_items[0],
            "https://nhandan.vn/khu-kinh-te-nghi-son-thu-hut-dau-tu-post803456.html",
            "Khu kinh tế Nghi Sơn tiếp tục thu hút đầu tư",
            D(2024, 5, 8),
            True,
        ),
        (
            a_items[0],
            "https://nhandan.vn/thanh-hoa-xuat-khau-6-thang-post806789.html",
            "Xuất khẩu sáu tháng đầu năm của Thanh Hóa",
            D(2024, 7, 3),
            None,
        ),
        (
            a_items[1],
            "https://nhandan.vn/phong-su-mien-tay-xu-thanh-post808888.html",
            "Phóng sự: đổi thay miền Tây xứ Thanh",
            D(2024, 6, 20),
            False,
        ),
    ]
    for line, url, title, day, verdict in works:
        d = services.delivery_record(
            actor=u["nhandan"],
            contract_item_id=line.pk,
            outlet=line.outlet,
            url=url,
            title=title,
            published_on=day,
        )
        if verdict is True:
            services.delivery_accept(actor=u["dathang"], delivery_id=d.pk)
        elif verdict is False:
            services.delivery_reject(
                actor=u["dathang"], delivery_id=d.pk, note="Nội dung chưa đúng đề cương đã duyệt"
            )

    # Contract B (Báo Thanh Hóa): delivered, accepted with a deduction, paid and settled.
    b = services.contract_draft(
        actor=u["dathang"],
        package_id=pkg.pk,
        agency=th,
        number="02/2024/HĐĐH-STTTT",
        item_ids=list(p2.items.values_list("pk", flat=True)),
        period_start=D(2024, 3, 20),
        period_end=D(2024, 7, 31),
        advance_percent=Decimal(20),
        instalments=2,
        **common,
    )
    services.contract_sign(actor=u["dathang"], contract_id=b.pk, signed_on=D(2024, 3, 22))
    services.contract_start(actor=u["dathang"], contract_id=b.pk)
    services.payment_record(
        actor=u["dathang"],
        contract_id=b.pk,
        kind="advance",
        amount=Decimal(5_800_000),
        paid_on=D(2024, 3, 29),
        document_number="UNC 118/2024",
    )
    b_items = list(b.items.order_by("pk"))
    for n in range(b_items[0].quantity):
        d = services.delivery_record(
            actor=u["baothanhhoa"],
            contract_item_id=b_items[0].pk,
            outlet=b_items[0].outlet,
            url=f"https://baothanhhoa.vn/thanh-hoa-vung-buoc-ky-{n + 1}-2024{n + 1:02d}.htm",
            title=f"Thanh Hóa vững bước – kỳ {n + 1}",
            published_on=D(2024, 4, 5) + dt.timedelta(days=20 * n),
        )
        services.delivery_accept(actor=u["dathang"], delivery_id=d.pk)
    for n in range(b_items[1].quantity):
        d = services.delivery_record(
            actor=u["baothanhhoa"],
            contract_item_id=b_items[1].pk,
            outlet=b_items[1].outlet,
            print_issue=f"{2150 + n * 14}",
            print_page="5",
            title=f"Chuyên trang Thanh Hóa vững bước số {n + 1}",
            published_on=D(2024, 4, 15) + dt.timedelta(days=30 * n),
        )
        services.delivery_accept(actor=u["dathang"], delivery_id=d.pk)
    services.acceptance_record(
        actor=u["dathang"],
        contract_id=b.pk,
        number="NT-02/2024",
        period_start=D(2024, 3, 20),
        period_end=D(2024, 6, 30),
        lines=[
            services.AcceptanceLineInput(item_id=b_items[0].pk, accepted_quantity=b_items[0].quantity),
            services.AcceptanceLineInput(
                item_id=b_items[1].pk,
                accepted_quantity=b_items[1].quantity,
                deduction=Decimal(1_000_000),
                deduction_reason="Chuyên trang số 2 đăng chậm 5 ngày so với lịch",
            ),
        ],
    )
    services.contract_mark_delivered(actor=u["dathang"], contract_id=b.pk)
    services.contract_accept(actor=u["dathang"], contract_id=b.pk)
    # value 29.000.000, accepted 28.000.000, advance 5.800.000 → final 22.200.000
    services.payment_record(
        actor=u["dathang"],
        contract_id=b.pk,
        kind="final",
        amount=Decimal(22_200_000),
        paid_on=D(2024, 7, 15),
        document_number="UNC 402/2024",
    )
    services.contract_settle(
        actor=u["dathang"], contract_id=b.pk, document_number="TL-02/2024", note="Hai bên thống nhất thanh lý"
    )

    _share(ctx, r)
    ctx.lines.append(
        "Đặt hàng: đợt 2024 với đề xuất ở mọi trạng thái, hồ sơ đã phê duyệt, "
        f"hợp đồng {a.number} đang thực hiện và {b.number} đã thanh lý (/dat-hang/)."
    )


def _outlet(agency: Any, domain: str) -> Outlet:
    # JSON containment lookups are not available on every SQLite build: look the domain up in Python.
    for outlet in Outlet.objects.filter(agency=agency).order_by("pk"):
        if domain in (outlet.domains or []):
            return outlet
    fallback = Outlet.objects.filter(agency=agency).order_by("pk").first()
    if fallback is None:
        raise LookupError(f"no outlet for {agency}")
    return fallback
