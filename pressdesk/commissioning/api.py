"""JSON API of commissioning (django-ninja); mounted at /api/commissioning/ in pressdesk/api.py.

Reads go through the same lookup helpers as the pages; every POST calls one service. DomainError becomes a
JSON error with its status code (pressdesk/api.py), PermissionDenied a 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from pressdesk.accounts.models import Organisation, Outlet
from pressdesk.commissioning import selectors, services
from pressdesk.commissioning.models import (
    ApprovalPackage,
    Contract,
    ContractAmendment,
    OrderRound,
    Proposal,
    ProposalItem,
)
from pressdesk.core.errors import NotFound, ValidationFailed
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic

router = Router(tags=["commissioning"])


# --- schemas ----------------------------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    plan_id: int
    title: str
    status: str
    budget_ceiling: Decimal
    committed: Decimal
    proposal_deadline: dt.date
    opened_by_id: int
    appraiser_org_id: int
    approver_org_id: int
    invited_ids: list[int]


class ItemOut(Schema):
    id: int
    area_id: int
    topic_id: int | None
    event_id: int | None
    product_type: str
    outlet_id: int
    channel: str
    quantity: int
    unit: str
    unit_price: Decimal
    amount: Decimal
    window_start: dt.date
    window_end: dt.date
    verdict: str
    verdict_note: str
    approved_quantity: int | None
    approved_unit_price: Decimal | None
    approved_amount: Decimal
    package_id: int | None


class ProposalOut(Schema):
    id: int
    round_id: int
    agency_id: int
    title: str
    status: str
    note: str
    submitted_at: dt.datetime | None
    total: Decimal
    items: list[ItemOut]


class PackageOut(Schema):
    id: int
    round_id: int
    title: str
    status: str
    decision_number: str
    decision_date: dt.date | None
    total: Decimal
    item_ids: list[int]


class ContractItemOut(Schema):
    id: int
    source_id: int
    product_type: str
    outlet_id: int
    quantity: int
    unit: str
    unit_price: Decimal
    window_start: dt.date
    window_end: dt.date
    delivered: int
    delivered_accepted: int
    accepted: int


class ContractOut(Schema):
    id: int
    number: str
    package_id: int
    agency_id: int
    status: str
    period_start: dt.date
    period_end: dt.date
    signed_on: dt.date | None
    advance_percent: Decimal
    instalments: int
    legal_basis: str
    acceptance_method: str
    termination_reason: str
    value: Decimal
    approved_value: Decimal
    accepted_value: Decimal
    paid: Decimal
    items: list[ContractItemOut]


class DeliveryOut(Schema):
    id: int
    contract_item_id: int
    outlet_id: int
    url: str
    print_issue: str
    print_page: str
    airtime: str
    title: str
    published_on: dt.date
    status: str


class IdOut(Schema):
    id: int
    status: str = ""


class NoteIn(Schema):
    note: str = ""


class ExtendIn(Schema):
    deadline: dt.date
    note: str = ""


class DecisionIn(Schema):
    decision_number: str
    decision_date: dt.date
    note: str = ""


class RoundOpenIn(Schema):
    plan_id: int
    title: str
    budget_ceiling: Decimal
    proposal_deadline: dt.date
    appraiser_org_id: int
    approver_org_id: int
    invited_ids: list[int]


class ProposalCreateIn(Schema):
    round_id: int
    agency_id: int
    title: str
    note: str = ""


class ItemIn(Schema):
    area_id: int
    topic_id: int | None = None
    event_id: int | None = None
    product_type: str
    outlet_id: int
    channel: str = ""
    quantity: int
    unit: str = ""
    unit_price: Decimal
    window_start: dt.date
    window_end: dt.date


class AppraiseIn(Schema):
    verdict: str
    note: str = ""
    approved_quantity: int | None = None
    approved_unit_price: Decimal | None = None


class SelectIn(Schema):
    agency_ids: list[int]
    note: str = ""


class CompileIn(Schema):
    title: str
    item_ids: list[int]
    note: str = ""


class ContractDraftIn(Schema):
    agency_id: int
    number: str
    item_ids: list[int]
    period_start: dt.date
    period_end: dt.date
    legal_basis: str = ""
    advance_percent: Decimal = Decimal(0)
    instalments: int = 1
    acceptance_method: str = ""


class SignIn(Schema):
    signed_on: dt.date
    note: str = ""


class DeliveryIn(Schema):
    contract_item_id: int
    outlet_id: int
    title: str
    published_on: dt.date
    url: str = ""
    print_issue: str = ""
    print_page: str = ""
    airtime: str = ""


class LineIn(Schema):
    item_id: int
    accepted_quantity: int
    deduction: Decimal = Decimal(0)
    deduction_reason: str = ""


class AcceptanceIn(Schema):
    number: str
    period_start: dt.date
    period_end: dt.date
    lines: list[LineIn]
    note: str = ""


class PaymentIn(Schema):
    kind: str
    amount: Decimal
    paid_on: dt.date
    document_number: str = ""
    note: str = ""


class SettleIn(Schema):
    document_number: str
    note: str = ""


class TerminateIn(Schema):
    reason: str


class AmendmentIn(Schema):
    description: str
    quantities: dict[int, int] = {}
    period_end: dt.date | None = None


# --- serialisers ------------------------------------------------------------------------------------


def _round(r: OrderRound) -> dict[str, Any]:
    return {
        **{k: getattr(r, k) for k in RoundOut.model_fields if hasattr(r, k) and k != "invited_ids"},
        "committed": selectors.round_committed(r),
        "invited_ids": list(r.invited.values_list("pk", flat=True)),
    }


def _item(i: ProposalItem) -> dict[str, Any]:
    data = {k: getattr(i, k) for k in ItemOut.model_fields}
    return data


def _proposal(p: Proposal) -> dict[str, Any]:
    return {
        **{
            k: getattr(p, k)
            for k in ("id", "round_id", "agency_id", "title", "status", "note", "submitted_at")
        },
        "total": selectors.proposal_total(p),
        "items": [_item(i) for i in p.items.all()],
    }


def _package(k: ApprovalPackage) -> dict[str, Any]:
    return {
        **{
            f: getattr(k, f)
            for f in ("id", "round_id", "title", "status", "decision_number", "decision_date")
        },
        "total": selectors.package_total(k),
        "item_ids": list(k.items.values_list("pk", flat=True)),
    }


def _contract(c: Contract) -> dict[str, Any]:
    progress = selectors.contract_progress(c)
    fields = [f for f in ContractOut.model_fields if hasattr(c, f) and f not in ("items", "value")]
    return {
        **{f: getattr(c, f) for f in fields},
        "value": progress.value,
        "approved_value": progress.approved_value,
        "accepted_value": progress.accepted_value,
        "paid": progress.paid,
        "items": [
            {
                **{f: getattr(p.item, f) for f in ContractItemOut.model_fields if hasattr(p.item, f)},
                "delivered": p.delivered,
                "delivered_accepted": p.delivered_accepted,
                "accepted": p.accepted,
            }
            for p in progress.items
        ],
    }


def _ref(model: type[Model], pk: int | None, what: str) -> Any:
    if pk is None:
        return None
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed("ref.unknown", f"{what} #{pk} không tồn tại.")
    return obj


def _u(request: HttpRequest) -> Any:
    return request.user


# --- reads ------------------------------------------------------------------------------------------


@router.get("/rounds", response=list[RoundOut])
def list_rounds(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    qs = selectors.rounds_for_user(_u(request))
    if status:
        qs = qs.filter(status=status)
    return [_round(r) for r in qs[:200]]


@router.get("/rounds/{pk}", response=RoundOut)
def get_round(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _round(selectors.round_get_for_user(_u(request), pk))


@router.get("/proposals", response=list[ProposalOut])
def list_proposals(
    request: HttpRequest, round_id: int | None = None, agency_id: int | None = None, status: str = ""
) -> list[dict[str, Any]]:
    qs = selectors.proposals_for_user(_u(request)).prefetch_related("items")
    if round_id:
        qs = qs.filter(round_id=round_id)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if status:
        qs = qs.filter(status=status)
    return [_proposal(p) for p in qs[:200]]


@router.get("/proposals/{pk}", response=ProposalOut)
def get_proposal(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _proposal(selectors.proposal_get_for_user(_u(request), pk))


@router.get("/packages", response=list[PackageOut])
def list_packages(
    request: HttpRequest, round_id: int | None = None, status: str = ""
) -> list[dict[str, Any]]:
    qs = selectors.packages_for_user(_u(request))
    if round_id:
        qs = qs.filter(round_id=round_id)
    if status:
        qs = qs.filter(status=status)
    return [_package(k) for k in qs[:200]]


@router.get("/packages/{pk}", response=PackageOut)
def get_package(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _package(selectors.package_get_for_user(_u(request), pk))


@router.get("/contracts", response=list[ContractOut])
def list_contracts(
    request: HttpRequest, round_id: int | None = None, agency_id: int | None = None, status: str = ""
) -> list[dict[str, Any]]:
    qs = selectors.contracts_for_user(_u(request))
    if round_id:
        qs = qs.filter(package__round_id=round_id)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if status:
        qs = qs.filter(status=status)
    return [_contract(c) for c in qs[:200]]


@router.get("/contracts/{pk}", response=ContractOut)
def get_contract(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _contract(selectors.contract_get_for_user(_u(request), pk))


@router.get("/contracts/{pk}/deliveries", response=list[DeliveryOut])
def list_deliveries(request: HttpRequest, pk: int) -> Any:
    c = selectors.contract_get_for_user(_u(request), pk)
    return list(selectors.deliveries_for_user(_u(request)).filter(contract_item__contract=c))


# --- actions: rounds and proposals ------------------------------------------------------------------


@router.post("/rounds", response=IdOut)
def round_open(request: HttpRequest, payload: RoundOpenIn) -> Any:
    invited = list(Organisation.objects.filter(pk__in=payload.invited_ids))
    if len(invited) != len(set(payload.invited_ids)):
        raise ValidationFailed("ref.unknown", "Có cơ quan được mời không tồn tại.")
    return services.round_open(
        actor=_u(request),
        plan=_ref(Plan, payload.plan_id, "Kế hoạch"),
        title=payload.title,
        budget_ceiling=payload.budget_ceiling,
        proposal_deadline=payload.proposal_deadline,
        appraiser_org=_ref(Organisation, payload.appraiser_org_id, "Cơ quan thẩm định"),
        approver_org=_ref(Organisation, payload.approver_org_id, "Cơ quan phê duyệt"),
        invited=invited,
    )


@router.post("/rounds/{pk}/close", response=IdOut)
def round_close(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    r = selectors.round_get_for_user(_u(request), pk, write=True)
    return services.round_close(actor=_u(request), round_id=r.pk, note=payload.note)


@router.post("/rounds/{pk}/extend", response=IdOut)
def round_extend(request: HttpRequest, pk: int, payload: ExtendIn) -> Any:
    r = selectors.round_get_for_user(_u(request), pk, write=True)
    return services.round_extend(
        actor=_u(request), round_id=r.pk, deadline=payload.deadline, note=payload.note
    )


@router.post("/rounds/{pk}/select", response=list[int])
def agencies_select(request: HttpRequest, pk: int, payload: SelectIn) -> list[int]:
    r = selectors.round_get_for_user(_u(request), pk, write=True)
    agencies = [_ref(Organisation, a, "Cơ quan") for a in payload.agency_ids]
    sel = services.agencies_select(actor=_u(request), round_id=r.pk, agencies=agencies, note=payload.note)
    return [s.agency_id for s in sel]


@router.post("/rounds/{pk}/packages", response=IdOut)
def package_compile(request: HttpRequest, pk: int, payload: CompileIn) -> Any:
    r = selectors.round_get_for_user(_u(request), pk, write=True)
    return services.package_compile(
        actor=_u(request), round_id=r.pk, title=payload.title, item_ids=payload.item_ids, note=payload.note
    )


@router.post("/proposals", response=IdOut)
def proposal_create(request: HttpRequest, payload: ProposalCreateIn) -> Any:
    r = selectors.round_get_for_user(_u(request), payload.round_id, write=True)
    return services.proposal_create(
        actor=_u(request),
        round_id=r.pk,
        agency=_ref(Organisation, payload.agency_id, "Cơ quan báo chí"),
        title=payload.title,
        note=payload.note,
    )


def _item_input(payload: ItemIn) -> services.ItemInput:
    return services.ItemInput(
        area=_ref(ContentArea, payload.area_id, "Lĩnh vực"),
        topic=_ref(Topic, payload.topic_id, "Chủ đề"),
        event=_ref(KeyEvent, payload.event_id, "Sự kiện"),
        product_type=payload.product_type,
        outlet=_ref(Outlet, payload.outlet_id, "Ấn phẩm"),
        channel=payload.channel,
        quantity=payload.quantity,
        unit=payload.unit,
        unit_price=payload.unit_price,
        window_start=payload.window_start,
        window_end=payload.window_end,
    )


@router.post("/proposals/{pk}/items", response=ItemOut)
def proposal_item_add(request: HttpRequest, pk: int, payload: ItemIn) -> Any:
    p = selectors.proposal_get_for_user(_u(request), pk, write=True)
    return _item(services.proposal_item_add(actor=_u(request), proposal_id=p.pk, data=_item_input(payload)))


@router.put("/items/{pk}", response=ItemOut)
def proposal_item_update(request: HttpRequest, pk: int, payload: ItemIn) -> Any:
    item = selectors.proposal_item_get_for_user(_u(request), pk, write=True)
    return _item(services.proposal_item_update(actor=_u(request), item_id=item.pk, data=_item_input(payload)))


@router.delete("/items/{pk}", response={204: None})
def proposal_item_remove(request: HttpRequest, pk: int) -> Any:
    item = selectors.proposal_item_get_for_user(_u(request), pk, write=True)
    services.proposal_item_remove(actor=_u(request), item_id=item.pk)
    # A plain 204 response: the tuple form is deprecated in newer django-ninja, Status absent in older.
    return HttpResponse(status=204)


@router.post("/items/{pk}/appraise", response=ItemOut)
def item_appraise(request: HttpRequest, pk: int, payload: AppraiseIn) -> Any:
    item = selectors.proposal_item_get_for_user(_u(request), pk, write=True)
    return _item(services.item_appraise(actor=_u(request), item_id=item.pk, **payload.model_dump()))


PROPOSAL_SERVICES = {
    "submit": services.proposal_submit,
    "withdraw": services.proposal_withdraw,
    "return": services.proposal_return,
    "endorse": services.proposal_endorse,
    "reject": services.proposal_reject,
}


@router.post("/proposals/{pk}/{action}", response=IdOut)
def proposal_action(request: HttpRequest, pk: int, action: str, payload: NoteIn) -> Any:
    """action: submit, withdraw, return, endorse or reject (return and reject need a note)."""
    if action not in PROPOSAL_SERVICES:
        raise NotFound("action.unknown", "Không có thao tác này.")
    p = selectors.proposal_get_for_user(_u(request), pk, write=True)
    return PROPOSAL_SERVICES[action](actor=_u(request), proposal_id=p.pk, note=payload.note)  # type: ignore[operator]


# --- actions: packages and contracts ----------------------------------------------------------------


@router.post("/packages/{pk}/submit", response=IdOut)
def package_submit(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    k = selectors.package_get_for_user(_u(request), pk, write=True)
    return services.package_submit(actor=_u(request), package_id=k.pk, note=payload.note)


@router.post("/packages/{pk}/approve", response=IdOut)
def package_approve(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    k = selectors.package_get_for_user(_u(request), pk, write=True)
    return services.package_approve(actor=_u(request), package_id=k.pk, **payload.model_dump())


@router.post("/packages/{pk}/return", response=IdOut)
def package_return(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    k = selectors.package_get_for_user(_u(request), pk, write=True)
    return services.package_return(actor=_u(request), package_id=k.pk, note=payload.note)


@router.post("/packages/{pk}/contracts", response=IdOut)
def contract_draft(request: HttpRequest, pk: int, payload: ContractDraftIn) -> Any:
    k = selectors.package_get_for_user(_u(request), pk, write=True)
    data = payload.model_dump()
    agency = _ref(Organisation, data.pop("agency_id"), "Cơ quan báo chí")
    return services.contract_draft(actor=_u(request), package_id=k.pk, agency=agency, **data)


def _contract_for(request: HttpRequest, pk: int) -> Contract:
    return selectors.contract_get_for_user(_u(request), pk, write=True)


@router.post("/contracts/{pk}/sign", response=IdOut)
def contract_sign(request: HttpRequest, pk: int, payload: SignIn) -> Any:
    c = _contract_for(request, pk)
    return services.contract_sign(actor=_u(request), contract_id=c.pk, **payload.model_dump())


@router.post("/contracts/{pk}/start", response=IdOut)
def contract_start(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    c = _contract_for(request, pk)
    return services.contract_start(actor=_u(request), contract_id=c.pk, note=payload.note)


@router.post("/contracts/{pk}/mark-delivered", response=IdOut)
def contract_mark_delivered(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    c = _contract_for(request, pk)
    return services.contract_mark_delivered(actor=_u(request), contract_id=c.pk, note=payload.note)


@router.post("/contracts/{pk}/accept", response=IdOut)
def contract_accept(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    c = _contract_for(request, pk)
    return services.contract_accept(actor=_u(request), contract_id=c.pk, note=payload.note)


@router.post("/contracts/{pk}/settle", response=IdOut)
def contract_settle(request: HttpRequest, pk: int, payload: SettleIn) -> Any:
    c = _contract_for(request, pk)
    return services.contract_settle(actor=_u(request), contract_id=c.pk, **payload.model_dump())


@router.post("/contracts/{pk}/terminate", response=IdOut)
def contract_terminate(request: HttpRequest, pk: int, payload: TerminateIn) -> Any:
    c = _contract_for(request, pk)
    return services.contract_terminate(actor=_u(request), contract_id=c.pk, reason=payload.reason)


@router.post("/contracts/{pk}/deliveries", response=DeliveryOut)
def delivery_record(request: HttpRequest, pk: int, payload: DeliveryIn) -> Any:
    c = _contract_for(request, pk)
    data = payload.model_dump()
    item_id = data.pop("contract_item_id")
    if not c.items.filter(pk=item_id).exists():
        raise ValidationFailed("delivery.item", "Dòng hợp đồng không thuộc hợp đồng này.")
    outlet = _ref(Outlet, data.pop("outlet_id"), "Ấn phẩm")
    return services.delivery_record(actor=_u(request), contract_item_id=item_id, outlet=outlet, **data)


@router.post("/deliveries/{pk}/accept", response=DeliveryOut)
def delivery_accept(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    d = selectors.delivery_get_for_user(_u(request), pk, write=True)
    return services.delivery_accept(actor=_u(request), delivery_id=d.pk, note=payload.note)


@router.post("/deliveries/{pk}/reject", response=DeliveryOut)
def delivery_reject(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    d = selectors.delivery_get_for_user(_u(request), pk, write=True)
    return services.delivery_reject(actor=_u(request), delivery_id=d.pk, note=payload.note)


@router.post("/contracts/{pk}/acceptances", response=IdOut)
def acceptance_record(request: HttpRequest, pk: int, payload: AcceptanceIn) -> Any:
    c = _contract_for(request, pk)
    acc = services.acceptance_record(
        actor=_u(request),
        contract_id=c.pk,
        number=payload.number,
        period_start=payload.period_start,
        period_end=payload.period_end,
        note=payload.note,
        lines=[services.AcceptanceLineInput(**line.model_dump()) for line in payload.lines],
    )
    return {"id": acc.pk, "status": ""}


@router.post("/contracts/{pk}/payments", response=IdOut)
def payment_record(request: HttpRequest, pk: int, payload: PaymentIn) -> Any:
    c = _contract_for(request, pk)
    pay = services.payment_record(actor=_u(request), contract_id=c.pk, **payload.model_dump())
    return {"id": pay.pk, "status": pay.kind}


@router.post("/contracts/{pk}/amendments", response=IdOut)
def amendment_propose(request: HttpRequest, pk: int, payload: AmendmentIn) -> Any:
    c = _contract_for(request, pk)
    return services.amendment_propose(actor=_u(request), contract_id=c.pk, **payload.model_dump())


@router.post("/amendments/{pk}/approve", response=IdOut)
def amendment_approve(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    am = ContractAmendment.objects.filter(pk=pk).first()
    if am is None:
        raise NotFound("amendment.not_found", "Không tìm thấy phụ lục.")
    _contract_for(request, am.contract_id)
    return services.amendment_approve(actor=_u(request), amendment_id=am.pk, **payload.model_dump())


@router.post("/amendments/{pk}/reject", response=IdOut)
def amendment_reject(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    am = ContractAmendment.objects.filter(pk=pk).first()
    if am is None:
        raise NotFound("amendment.not_found", "Không tìm thấy phụ lục.")
    _contract_for(request, am.contract_id)
    return services.amendment_reject(actor=_u(request), amendment_id=am.pk, note=payload.note)
