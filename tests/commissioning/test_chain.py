"""The whole chain through the services, and the guards that keep each step honest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from pressdesk.commissioning import selectors, services
from pressdesk.commissioning.models import (
    ApprovalPackage,
    Contract,
    Delivery,
    Payment,
    ProductType,
    Proposal,
    Verdict,
)
from pressdesk.core.audit import history_for
from pressdesk.core.errors import TransitionError, ValidationFailed
from pressdesk.core.models import TransitionRecord
from tests.commissioning.factories import (
    D,
    approved_package,
    compiled_package,
    deliver_all,
    draft_contract,
    draft_proposal,
    endorsed_proposal,
    item_input,
    open_round,
    running_contract,
    submitted_package,
    submitted_proposal,
)


def test_whole_chain_from_proposal_to_settlement(world) -> None:
    u = world.users
    contract = running_contract(world)
    # items: 4 and 5 articles at 2.500.000 đ
    assert selectors.contract_value(contract) == Decimal(22_500_000)
    services.payment_record(
        actor=u["officer"],
        contract_id=contract.pk,
        kind=Payment.Kind.ADVANCE,
        amount=Decimal(6_750_000),
        paid_on=D(2024, 3, 25),
    )
    deliver_all(world, contract)
    items = list(contract.items.all())
    acc = services.acceptance_record(
        actor=u["officer"],
        contract_id=contract.pk,
        number="NT-01",
        period_start=D(2024, 4, 1),
        period_end=D(2024, 6, 30),
        lines=[
            services.AcceptanceLineInput(item_id=items[0].pk, accepted_quantity=4),
            services.AcceptanceLineInput(
                item_id=items[1].pk,
                accepted_quantity=5,
                deduction=Decimal(500_000),
                deduction_reason="Chậm 3 ngày",
            ),
        ],
    )
    assert acc.lines.count() == 2
    services.contract_mark_delivered(actor=u["officer"], contract_id=contract.pk)
    services.contract_accept(actor=u["officer"], contract_id=contract.pk)
    assert selectors.contract_accepted_value(contract) == Decimal(22_000_000)
    services.payment_record(
        actor=u["officer"],
        contract_id=contract.pk,
        kind=Payment.Kind.INTERIM,
        amount=Decimal(10_000_000),
        paid_on=D(2024, 7, 5),
    )
    services.payment_record(
        actor=u["officer"],
        contract_id=contract.pk,
        kind=Payment.Kind.FINAL,
        amount=Decimal(5_250_000),
        paid_on=D(2024, 7, 20),
    )
    contract.refresh_from_db()
    assert contract.status == Contract.Status.PAID
    services.contract_settle(actor=u["officer"], contract_id=contract.pk, document_number="TL-01")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SETTLED
    actions = [r.action for r in history_for(contract)]
    assert actions[:4] == ["contract_draft", "contract_sign", "contract_start", "payment_record"]
    assert actions[-1] == "contract_settle"
    assert actions.count("delivery_record") == 9 and actions.count("delivery_accept") == 9
    steps = [(r.from_state, r.to_state) for r in history_for(contract) if r.from_state != r.to_state]
    assert (
        steps
        == [
            ("", "draft"),
            ("draft", "signed"),
            ("signed", "in_progress"),
            ("recorded", "accepted"),
        ]
        * 0
        + steps
    )  # the step list is checked below by state sequence
    states = [r.to_state for r in history_for(contract) if r.action.startswith("contract_")]
    assert states == ["draft", "signed", "in_progress", "delivered", "accepted", "settled"]
    paid_rec = [r for r in history_for(contract) if r.to_state == "paid"]
    assert len(paid_rec) == 1 and paid_rec[0].from_state == "accepted"


def test_every_record_names_actor_role_and_organisation(world) -> None:
    pkg = approved_package(world)
    rec = history_for(pkg).get(action="package_approve")
    assert rec.actor == world.users["approver"]
    assert rec.role == "approver"
    assert rec.organisation == world.orgs["ubnd"]
    assert rec.document_number == "123/QĐ-UBND"
    assert (rec.from_state, rec.to_state) == ("submitted", "approved")


def test_transition_records_cannot_be_changed(world) -> None:
    p = submitted_proposal(world)
    rec = history_for(p).last()
    assert rec is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        TransitionRecord.objects.filter(pk=rec.pk).update(note="changed")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            TransitionRecord.objects.filter(pk=rec.pk).delete()
    rec.refresh_from_db()
    assert rec.note == ""
    assert history_for(p).count() == 4  # create, 2 × item_add, submit


def test_return_and_resubmit_then_reject(world) -> None:
    u = world.users
    p = submitted_proposal(world)
    with pytest.raises(ValidationFailed):
        services.proposal_return(actor=u["appraiser"], proposal_id=p.pk, note="  ")
    services.proposal_return(actor=u["appraiser"], proposal_id=p.pk, note="Giảm số lượng")
    item = p.items.first()
    services.proposal_item_update(actor=u["editor_a"], item_id=item.pk, data=item_input(world, quantity=2))
    services.proposal_submit(actor=u["editor_a"], proposal_id=p.pk)
    services.proposal_reject(actor=u["appraiser"], proposal_id=p.pk, note="Không phù hợp")
    p.refresh_from_db()
    assert p.status == Proposal.Status.REJECTED
    assert [r.to_state for r in history_for(p) if r.action.startswith("proposal_")] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "rejected",
    ]


def test_endorse_requires_every_item_judged_and_one_accepted(world) -> None:
    u = world.users
    p = submitted_proposal(world)
    first, second = list(p.items.all())
    services.item_appraise(actor=u["appraiser"], item_id=first.pk, verdict=Verdict.REJECT, note="Trùng")
    with pytest.raises(ValidationFailed, match="chưa có kết quả"):
        services.proposal_endorse(actor=u["appraiser"], proposal_id=p.pk)
    services.item_appraise(actor=u["appraiser"], item_id=second.pk, verdict=Verdict.REJECT, note="Trùng")
    with pytest.raises(ValidationFailed, match="Không có dòng nào đạt"):
        services.proposal_endorse(actor=u["appraiser"], proposal_id=p.pk)
    services.item_appraise(
        actor=u["appraiser"],
        item_id=second.pk,
        verdict=Verdict.ACCEPT_WITH_CHANGES,
        note="Giảm còn 3",
        approved_quantity=3,
        approved_unit_price=Decimal(2_000_000),
    )
    services.proposal_endorse(actor=u["appraiser"], proposal_id=p.pk)
    second.refresh_from_db()
    assert second.approved_amount == Decimal(6_000_000)
    first.refresh_from_db()
    assert first.approved_amount == Decimal(0)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"approved_quantity": 99}, "Số lượng được duyệt"),
        ({"approved_unit_price": Decimal(9_000_000)}, "không được cao hơn"),
        ({}, "Cần nhập số lượng hoặc đơn giá"),
    ],
)
def test_appraisal_with_changes_is_checked(world, kw, message) -> None:
    p = submitted_proposal(world)
    item = p.items.first()
    with pytest.raises(ValidationFailed, match=message):
        services.item_appraise(
            actor=world.users["appraiser"],
            item_id=item.pk,
            verdict=Verdict.ACCEPT_WITH_CHANGES,
            note="x",
            **kw,
        )
    item.refresh_from_db()
    assert item.verdict == ""


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"quantity": 0}, "số lượng phải lớn hơn 0"),
        ({"unit_price": Decimal(-1)}, "không được âm"),
        ({"unit_price": Decimal("10.5")}, "không có phần lẻ"),
        ({"window_end": D(2024, 1, 1)}, "ngày kết thúc đăng"),
        ({"product_type": ProductType.PROGRAMME, "unit": "bài"}, "tính theo phút"),
    ],
)
def test_bad_item_is_refused_with_a_clear_message(world, kw, message) -> None:
    p = draft_proposal(world, items=0)
    with pytest.raises(ValidationFailed, match=message):
        services.proposal_item_add(
            actor=world.users["editor_a"], proposal_id=p.pk, data=item_input(world, **kw)
        )
    assert p.items.count() == 0


def test_item_with_other_agency_outlet_is_refused(world) -> None:
    p = draft_proposal(world, items=0)
    with pytest.raises(ValidationFailed, match="ấn phẩm không thuộc"):
        services.proposal_item_add(
            actor=world.users["editor_a"], proposal_id=p.pk, data=item_input(world, "b")
        )


def test_programme_defaults_to_minutes(world) -> None:
    p = draft_proposal(world, items=0)
    item = services.proposal_item_add(
        actor=world.users["editor_a"],
        proposal_id=p.pk,
        data=item_input(world, product_type=ProductType.PROGRAMME),
    )
    assert item.unit == "phút"


def test_withdraw_after_endorsement_is_refused(world) -> None:
    p = endorsed_proposal(world)
    before = TransitionRecord.objects.count()
    with pytest.raises(TransitionError):
        services.proposal_withdraw(actor=world.users["editor_a"], proposal_id=p.pk)
    p.refresh_from_db()
    assert p.status == Proposal.Status.ENDORSED
    assert TransitionRecord.objects.count() == before


def test_withdraw_from_submitted(world) -> None:
    p = submitted_proposal(world)
    services.proposal_withdraw(actor=world.users["editor_a"], proposal_id=p.pk, note="Đổi kế hoạch")
    p.refresh_from_db()
    assert p.status == Proposal.Status.WITHDRAWN


def test_package_above_ceiling_is_refused(world) -> None:
    r = open_round(world, ceiling=Decimal(10_000_000))
    p = endorsed_proposal(world, r=r)
    services.agencies_select(actor=world.users["appraiser"], round_id=r.pk, agencies=[p.agency])
    with pytest.raises(ValidationFailed, match="vượt trần kinh phí"):
        services.package_compile(
            actor=world.users["officer"],
            round_id=r.pk,
            title="H",
            item_ids=list(p.items.values_list("pk", flat=True)),
        )
    assert ApprovalPackage.objects.count() == 0


def test_package_needs_selected_agency(world) -> None:
    p = endorsed_proposal(world)
    with pytest.raises(ValidationFailed, match="cơ quan được lựa chọn"):
        services.package_compile(
            actor=world.users["officer"],
            round_id=p.round_id,
            title="H",
            item_ids=list(p.items.values_list("pk", flat=True)),
        )


def test_selection_needs_endorsed_proposal(world) -> None:
    p = submitted_proposal(world)
    with pytest.raises(ValidationFailed, match="chưa có đề xuất đạt"):
        services.agencies_select(actor=world.users["appraiser"], round_id=p.round_id, agencies=[p.agency])


def test_returned_package_releases_items_for_a_new_package(world) -> None:
    pkg = submitted_package(world)
    ids = list(pkg.items.values_list("pk", flat=True))
    services.package_return(actor=world.users["approver"], package_id=pkg.pk, note="Bổ sung thuyết minh")
    assert pkg.items.count() == 0
    again = services.package_compile(
        actor=world.users["officer"], round_id=pkg.round_id, title="Hồ sơ 2", item_ids=ids
    )
    assert sorted(again.items.values_list("pk", flat=True)) == sorted(ids)


def test_approval_requires_decision_number(world) -> None:
    pkg = submitted_package(world)
    with pytest.raises(ValidationFailed, match="số và ngày quyết định"):
        services.package_approve(
            actor=world.users["approver"], package_id=pkg.pk, decision_number="", decision_date=D(2024, 3, 1)
        )
    pkg.refresh_from_db()
    assert pkg.status == ApprovalPackage.Status.SUBMITTED


def test_contract_cannot_be_drafted_before_approval(world) -> None:
    pkg = submitted_package(world)
    with pytest.raises(TransitionError, match="đã được phê duyệt"):
        services.contract_draft(
            actor=world.users["officer"],
            package_id=pkg.pk,
            agency=world.orgs["a"],
            number="X",
            item_ids=list(pkg.items.values_list("pk", flat=True)),
            period_start=D(2024, 4, 1),
            period_end=D(2024, 5, 1),
        )
    assert Contract.objects.count() == 0


def test_contract_cannot_be_signed_when_package_not_approved(world) -> None:
    c = draft_contract(world)
    # A package can only leave "approved" by a database edit; the sign guard must still hold.
    ApprovalPackage.objects.filter(pk=c.package_id).update(status=ApprovalPackage.Status.RETURNED)
    with pytest.raises(TransitionError, match="Chưa có quyết định phê duyệt"):
        services.contract_sign(actor=world.users["officer"], contract_id=c.pk, signed_on=D(2024, 4, 1))
    c.refresh_from_db()
    assert c.status == Contract.Status.DRAFT


def test_contract_above_approved_value_cannot_be_signed(world) -> None:
    c = draft_contract(world)
    item = c.items.first()
    services.contract_item_update(
        actor=world.users["officer"],
        item_id=item.pk,
        quantity=item.quantity + 1,
        unit_price=item.unit_price,
        window_start=item.window_start,
        window_end=item.window_end,
    )
    with pytest.raises(ValidationFailed, match="vượt giá trị được phê duyệt"):
        services.contract_sign(actor=world.users["officer"], contract_id=c.pk, signed_on=D(2024, 4, 1))
    c.refresh_from_db()
    assert c.status == Contract.Status.DRAFT


def test_contract_number_is_unique_and_items_belong_to_one_agency(world) -> None:
    c = draft_contract(world)
    with pytest.raises(ValidationFailed, match="đã được dùng"):
        services.contract_draft(
            actor=world.users["officer"],
            package_id=c.package_id,
            agency=world.orgs["a"],
            number=c.number,
            item_ids=[],
            period_start=D(2024, 4, 1),
            period_end=D(2024, 5, 1),
        )
    with pytest.raises(ValidationFailed, match="chưa thuộc hợp đồng khác"):
        services.contract_draft(
            actor=world.users["officer"],
            package_id=c.package_id,
            agency=world.orgs["a"],
            number="02",
            item_ids=list(c.package.items.values_list("pk", flat=True)),
            period_start=D(2024, 4, 1),
            period_end=D(2024, 5, 1),
        )


def test_delivery_url_must_be_on_the_outlet_domain(world) -> None:
    c = running_contract(world)
    item = c.items.first()
    with pytest.raises(ValidationFailed, match="tên miền"):
        services.delivery_record(
            actor=world.users["editor_a"],
            contract_item_id=item.pk,
            outlet=item.outlet,
            url="https://evil.example.com/a",
            title="X",
            published_on=D(2024, 5, 1),
        )
    assert Delivery.objects.count() == 0


def test_resident_reporter_of_the_agency_office_records_delivery(world) -> None:
    c = running_contract(world)
    item = c.items.first()
    d = services.delivery_record(
        actor=world.users["reporter_a"],
        contract_item_id=item.pk,
        outlet=item.outlet,
        url="https://baoa.vn/x.html",
        title="X",
        published_on=D(2024, 5, 1),
    )
    assert d.recorded_by == world.users["reporter_a"]
    with pytest.raises(PermissionDenied):
        services.delivery_record(
            actor=world.users["reporter_b"],
            contract_item_id=item.pk,
            outlet=item.outlet,
            url="https://baoa.vn/y.html",
            title="Y",
            published_on=D(2024, 5, 1),
        )


def test_accepted_deliveries_never_exceed_ordered(world) -> None:
    c = running_contract(world)
    item = c.items.first()
    deliver_all(world, c)
    extra = services.delivery_record(
        actor=world.users["editor_a"],
        contract_item_id=item.pk,
        outlet=item.outlet,
        url="https://baoa.vn/extra.html",
        title="Thêm",
        published_on=D(2024, 5, 2),
    )
    with pytest.raises(ValidationFailed, match="đã đủ"):
        services.delivery_accept(actor=world.users["officer"], delivery_id=extra.pk)


def test_acceptance_above_ordered_is_refused(world) -> None:
    c = running_contract(world)
    deliver_all(world, c)
    item = c.items.first()
    with pytest.raises(ValidationFailed, match="vượt số lượng đặt hàng"):
        services.acceptance_record(
            actor=world.users["officer"],
            contract_id=c.pk,
            number="NT",
            period_start=D(2024, 4, 1),
            period_end=D(2024, 6, 1),
            lines=[services.AcceptanceLineInput(item_id=item.pk, accepted_quantity=item.quantity + 1)],
        )
    services.acceptance_record(
        actor=world.users["officer"],
        contract_id=c.pk,
        number="NT1",
        period_start=D(2024, 4, 1),
        period_end=D(2024, 6, 1),
        lines=[services.AcceptanceLineInput(item_id=item.pk, accepted_quantity=3)],
    )
    with pytest.raises(ValidationFailed, match="vượt số lượng đặt hàng"):
        services.acceptance_record(
            actor=world.users["officer"],
            contract_id=c.pk,
            number="NT2",
            period_start=D(2024, 6, 2),
            period_end=D(2024, 7, 1),
            lines=[services.AcceptanceLineInput(item_id=item.pk, accepted_quantity=item.quantity - 2)],
        )
    assert c.acceptances.count() == 1


def test_deduction_needs_a_reason(world) -> None:
    c = running_contract(world)
    deliver_all(world, c)
    item = c.items.first()
    with pytest.raises(ValidationFailed, match="lý do giảm trừ"):
        services.acceptance_record(
            actor=world.users["officer"],
            contract_id=c.pk,
            number="NT",
            period_start=D(2024, 4, 1),
            period_end=D(2024, 6, 1),
            lines=[
                services.AcceptanceLineInput(item_id=item.pk, accepted_quantity=1, deduction=Decimal(1000))
            ],
        )


def test_payments_never_exceed_accepted_value_and_advance_limit(world) -> None:
    u = world.users
    c = running_contract(world)  # value 22.500.000, advance 30% = 6.750.000
    with pytest.raises(ValidationFailed, match="Tạm ứng vượt mức"):
        services.payment_record(
            actor=u["officer"],
            contract_id=c.pk,
            kind="advance",
            amount=Decimal(6_750_001),
            paid_on=D(2024, 4, 1),
        )
    with pytest.raises(ValidationFailed, match="vượt giá trị đã nghiệm thu"):
        services.payment_record(
            actor=u["officer"], contract_id=c.pk, kind="interim", amount=Decimal(1), paid_on=D(2024, 4, 1)
        )
    deliver_all(world, c)
    item = c.items.first()
    services.acceptance_record(
        actor=u["officer"],
        contract_id=c.pk,
        number="NT",
        period_start=D(2024, 4, 1),
        period_end=D(2024, 6, 1),
        lines=[services.AcceptanceLineInput(item_id=item.pk, accepted_quantity=2)],
    )
    services.payment_record(
        actor=u["officer"], contract_id=c.pk, kind="interim", amount=Decimal(5_000_000), paid_on=D(2024, 6, 2)
    )
    with pytest.raises(ValidationFailed, match="vượt giá trị đã nghiệm thu"):
        services.payment_record(
            actor=u["officer"], contract_id=c.pk, kind="interim", amount=Decimal(1), paid_on=D(2024, 6, 3)
        )
    with pytest.raises(TransitionError):
        services.payment_record(
            actor=u["officer"], contract_id=c.pk, kind="final", amount=Decimal(1), paid_on=D(2024, 6, 3)
        )
    assert selectors.contract_paid(c) == Decimal(5_000_000)


def test_settle_only_after_full_payment_and_terminate_needs_reason(world) -> None:
    c = running_contract(world)
    with pytest.raises(TransitionError):
        services.contract_settle(actor=world.users["officer"], contract_id=c.pk, document_number="TL")
    with pytest.raises(ValidationFailed, match="lý do chấm dứt"):
        services.contract_terminate(actor=world.users["officer"], contract_id=c.pk, reason="")
    services.contract_terminate(
        actor=world.users["officer"], contract_id=c.pk, reason="Cơ quan báo chí không thực hiện"
    )
    c.refresh_from_db()
    assert c.status == Contract.Status.TERMINATED and c.termination_reason


def test_amendment_takes_effect_only_when_approved(world) -> None:
    u = world.users
    c = running_contract(world)
    item = c.items.first()
    with pytest.raises(ValidationFailed, match="vượt giá trị được phê duyệt"):
        services.amendment_propose(
            actor=u["officer"], contract_id=c.pk, description="x", quantities={item.pk: 50}
        )
    am = services.amendment_propose(
        actor=u["officer"],
        contract_id=c.pk,
        description="Giảm 1 bài, gia hạn",
        quantities={item.pk: item.quantity - 1},
        period_end=dt.date(2025, 1, 31),
    )
    item.refresh_from_db()
    assert item.quantity == 4
    with pytest.raises(TransitionError, match="chờ phê duyệt"):
        services.amendment_propose(
            actor=u["officer"], contract_id=c.pk, description="y", period_end=dt.date(2025, 2, 1)
        )
    with pytest.raises(PermissionDenied):
        services.amendment_approve(
            actor=u["approver2"], amendment_id=am.pk, decision_number="1", decision_date=D(2024, 8, 1)
        )
    services.amendment_approve(
        actor=u["approver"], amendment_id=am.pk, decision_number="9/QĐ", decision_date=D(2024, 8, 1)
    )
    item.refresh_from_db()
    c.refresh_from_db()
    assert item.quantity == 3 and c.period_end == dt.date(2025, 1, 31)
    assert history_for(c).filter(action="amendment_approve", document_number="9/QĐ").count() == 1


def test_money_is_exact(world) -> None:
    p = draft_proposal(world, items=0)
    for _ in range(3):
        services.proposal_item_add(
            actor=world.users["editor_a"],
            proposal_id=p.pk,
            data=item_input(world, quantity=3, unit_price=Decimal(333_333)),
        )
    assert selectors.proposal_total(p) == Decimal(2_999_997)


def test_compiled_package_total_is_computed(world) -> None:
    pkg = compiled_package(world)
    assert selectors.package_total(pkg) == Decimal(22_500_000)


@pytest.mark.parametrize(
    "change",
    [{"quantity": 0}, {"unit_price": Decimal(-1)}, {"window_end": D(2024, 1, 1)}],
    ids=["quantity", "price", "window"],
)
def test_database_constraints_hold_even_without_the_services(world, change) -> None:
    from django.db import IntegrityError

    from pressdesk.commissioning.models import ProposalItem

    p = draft_proposal(world, items=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalItem.objects.filter(proposal=p).update(**change)


def test_terminated_contract_needs_a_reason_in_the_database(world) -> None:
    from django.db import IntegrityError

    c = draft_contract(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=c.pk).update(status=Contract.Status.TERMINATED)
