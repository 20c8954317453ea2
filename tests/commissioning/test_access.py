"""The persona matrix: every action through the pages and the API, by the right role, the same role at
another organisation, a viewer and an anonymous visitor. A denial changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pressdesk.commissioning import services
from pressdesk.commissioning.models import (
    Acceptance,
    ApprovalPackage,
    Contract,
    ContractAmendment,
    Delivery,
    OrderRound,
    Payment,
    Proposal,
    ProposalItem,
    Selection,
)
from pressdesk.core.models import TransitionRecord
from tests.commissioning.factories import (
    D,
    World,
    approved_package,
    compiled_package,
    deliver_all,
    draft_contract,
    draft_proposal,
    endorsed_proposal,
    open_round,
    running_contract,
    submitted_package,
    submitted_proposal,
)
from tests.factories import PASSWORD


def _judged(w: World) -> Proposal:
    p = submitted_proposal(w)
    for item in p.items.all():
        services.item_appraise(actor=w.users["appraiser"], item_id=item.pk, verdict="accept")
    return p


def _selected(w: World) -> Proposal:
    p = endorsed_proposal(w)
    services.agencies_select(actor=w.users["appraiser"], round_id=p.round_id, agencies=[p.agency])
    return p


def _with_delivery(w: World) -> Delivery:
    c = running_contract(w)
    item = c.items.first()
    return services.delivery_record(
        actor=w.users["editor_a"],
        contract_item_id=item.pk,
        outlet=item.outlet,
        url="https://baoa.vn/x.html",
        title="X",
        published_on=D(2024, 5, 1),
    )


def _delivered(w: World) -> Contract:
    c = running_contract(w)
    deliver_all(w, c)
    return c


def _fully_delivered(w: World) -> Contract:
    c = _delivered(w)
    services.acceptance_record(
        actor=w.users["officer"],
        contract_id=c.pk,
        number="NT",
        period_start=D(2024, 4, 1),
        period_end=D(2024, 6, 30),
        lines=[
            services.AcceptanceLineInput(item_id=i.pk, accepted_quantity=i.quantity) for i in c.items.all()
        ],
    )
    return services.contract_mark_delivered(actor=w.users["officer"], contract_id=c.pk)


def _paid(w: World) -> Contract:
    c = _fully_delivered(w)
    services.contract_accept(actor=w.users["officer"], contract_id=c.pk)
    services.payment_record(
        actor=w.users["officer"],
        contract_id=c.pk,
        kind="final",
        amount=Decimal(22_500_000),
        paid_on=D(2024, 8, 1),
    )
    c.refresh_from_db()
    return c


def _amendment(w: World) -> ContractAmendment:
    c = running_contract(w)
    return services.amendment_propose(
        actor=w.users["officer"], contract_id=c.pk, description="Gia hạn", period_end=D(2025, 1, 31)
    )


@dataclass
class Case:
    name: str
    setup: Callable[[World], Any]
    right: str
    other: str
    web: Callable[[Any], tuple[str, dict[str, Any]]]
    api: Callable[[Any, World], tuple[str, dict[str, Any]]]
    state: Callable[[Any], Any]
    api_method: str = "post"


def _status(model: Any) -> Callable[[Any], Any]:
    return lambda obj: model.objects.get(pk=obj.pk).status


def _count(model: Any) -> Callable[[Any], Any]:
    return lambda obj: model.objects.count()


def _item_payload(w: World) -> dict[str, Any]:
    return {
        "area_id": w.area.pk,
        "topic_id": w.topic.pk,
        "product_type": "article",
        "outlet_id": w.outlets["a"].pk,
        "quantity": 2,
        "unit_price": "1000000",
        "window_start": "2024-04-01",
        "window_end": "2024-05-01",
    }


def _item_form(w: World) -> dict[str, Any]:
    return {
        "add-area": w.area.pk,
        "add-topic": w.topic.pk,
        "add-product_type": "article",
        "add-outlet": w.outlets["a"].pk,
        "add-quantity": 2,
        "add-unit_price": "1000000",
        "add-window_start": "2024-04-01",
        "add-window_end": "2024-05-01",
    }


PU = "commissioning:proposal_action"
KU = "commissioning:package_action"
CU = "commissioning:contract_action"
API = "/api/commissioning"

CASES = [
    Case(
        "round_close",
        open_round,
        "officer",
        "officer2",
        lambda r: (reverse("commissioning:round_action", args=[r.pk, "close"]), {}),
        lambda r, w: (f"{API}/rounds/{r.pk}/close", {}),
        _status(OrderRound),
    ),
    Case(
        "round_extend",
        open_round,
        "officer",
        "officer2",
        lambda r: (
            reverse("commissioning:round_action", args=[r.pk, "extend"]),
            {"extend-deadline": (timezone.localdate() + dt.timedelta(days=60)).isoformat()},
        ),
        lambda r, w: (
            f"{API}/rounds/{r.pk}/extend",
            {"deadline": (timezone.localdate() + dt.timedelta(days=60)).isoformat()},
        ),
        lambda r: OrderRound.objects.get(pk=r.pk).proposal_deadline,
    ),
    Case(
        "proposal_item_add",
        lambda w: draft_proposal(w, items=0),
        "editor_a",
        "editor_b",
        lambda p: (reverse(PU, args=[p.pk, "add"]), "ITEM"),
        lambda p, w: (f"{API}/proposals/{p.pk}/items", _item_payload(w)),
        _count(ProposalItem),
    ),
    Case(
        "proposal_submit",
        draft_proposal,
        "editor_a",
        "editor_b",
        lambda p: (reverse(PU, args=[p.pk, "submit"]), {}),
        lambda p, w: (f"{API}/proposals/{p.pk}/submit", {}),
        _status(Proposal),
    ),
    Case(
        "proposal_withdraw",
        submitted_proposal,
        "editor_a",
        "editor_b",
        lambda p: (reverse(PU, args=[p.pk, "withdraw"]), {"withdraw-note": "x"}),
        lambda p, w: (f"{API}/proposals/{p.pk}/withdraw", {"note": "x"}),
        _status(Proposal),
    ),
    Case(
        "proposal_return",
        submitted_proposal,
        "appraiser",
        "appraiser2",
        lambda p: (reverse(PU, args=[p.pk, "return"]), {"return-note": "Sửa"}),
        lambda p, w: (f"{API}/proposals/{p.pk}/return", {"note": "Sửa"}),
        _status(Proposal),
    ),
    Case(
        "item_appraise",
        submitted_proposal,
        "appraiser",
        "appraiser2",
        lambda p: (
            reverse("commissioning:item_appraise", args=[p.items.first().pk]),
            {f"a{p.items.first().pk}-verdict": "accept"},
        ),
        lambda p, w: (f"{API}/items/{p.items.first().pk}/appraise", {"verdict": "accept"}),
        lambda p: p.items.order_by("pk").first().verdict,
    ),
    Case(
        "proposal_endorse",
        _judged,
        "appraiser",
        "appraiser2",
        lambda p: (reverse(PU, args=[p.pk, "endorse"]), {}),
        lambda p, w: (f"{API}/proposals/{p.pk}/endorse", {}),
        _status(Proposal),
    ),
    Case(
        "proposal_reject",
        submitted_proposal,
        "appraiser",
        "appraiser2",
        lambda p: (reverse(PU, args=[p.pk, "reject"]), {"reject-note": "Không phù hợp"}),
        lambda p, w: (f"{API}/proposals/{p.pk}/reject", {"note": "Không phù hợp"}),
        _status(Proposal),
    ),
    Case(
        "agencies_select",
        endorsed_proposal,
        "appraiser",
        "appraiser2",
        lambda p: (
            reverse("commissioning:round_action", args=[p.round_id, "select"]),
            {"select-agencies": [p.agency_id]},
        ),
        lambda p, w: (f"{API}/rounds/{p.round_id}/select", {"agency_ids": [p.agency_id]}),
        _count(Selection),
    ),
    Case(
        "package_compile",
        _selected,
        "officer",
        "officer2",
        lambda p: (
            reverse("commissioning:round_action", args=[p.round_id, "compile"]),
            {"compile-title": "H", "compile-items": list(p.items.values_list("pk", flat=True))},
        ),
        lambda p, w: (
            f"{API}/rounds/{p.round_id}/packages",
            {"title": "H", "item_ids": list(p.items.values_list("pk", flat=True))},
        ),
        _count(ApprovalPackage),
    ),
    Case(
        "package_submit",
        compiled_package,
        "officer",
        "officer2",
        lambda k: (reverse(KU, args=[k.pk, "submit"]), {}),
        lambda k, w: (f"{API}/packages/{k.pk}/submit", {}),
        _status(ApprovalPackage),
    ),
    Case(
        "package_approve",
        submitted_package,
        "approver",
        "approver2",
        lambda k: (
            reverse(KU, args=[k.pk, "approve"]),
            {"approve-decision_number": "1/QĐ", "approve-decision_date": "2024-03-15"},
        ),
        lambda k, w: (
            f"{API}/packages/{k.pk}/approve",
            {"decision_number": "1/QĐ", "decision_date": "2024-03-15"},
        ),
        _status(ApprovalPackage),
    ),
    Case(
        "package_return",
        submitted_package,
        "approver",
        "approver2",
        lambda k: (reverse(KU, args=[k.pk, "return"]), {"return-note": "Bổ sung"}),
        lambda k, w: (f"{API}/packages/{k.pk}/return", {"note": "Bổ sung"}),
        _status(ApprovalPackage),
    ),
    Case(
        "contract_draft",
        approved_package,
        "officer",
        "officer2",
        lambda k: (
            reverse(KU, args=[k.pk, "contract"]),
            {
                "contract-agency": k.items.first().proposal.agency_id,
                "contract-number": "HĐ-9",
                "contract-items": list(k.items.values_list("pk", flat=True)),
                "contract-period_start": "2024-03-20",
                "contract-period_end": "2024-12-31",
                "contract-advance_percent": "10",
                "contract-instalments": "1",
            },
        ),
        lambda k, w: (
            f"{API}/packages/{k.pk}/contracts",
            {
                "agency_id": k.items.first().proposal.agency_id,
                "number": "HĐ-9",
                "item_ids": list(k.items.values_list("pk", flat=True)),
                "period_start": "2024-03-20",
                "period_end": "2024-12-31",
            },
        ),
        _count(Contract),
    ),
    Case(
        "contract_sign",
        draft_contract,
        "officer",
        "officer2",
        lambda c: (reverse(CU, args=[c.pk, "sign"]), {"sign-signed_on": "2024-03-20"}),
        lambda c, w: (f"{API}/contracts/{c.pk}/sign", {"signed_on": "2024-03-20"}),
        _status(Contract),
    ),
    Case(
        "contract_start",
        lambda w: services.contract_sign(
            actor=w.users["officer"], contract_id=draft_contract(w).pk, signed_on=D(2024, 3, 20)
        ),
        "officer",
        "officer2",
        lambda c: (reverse(CU, args=[c.pk, "start"]), {}),
        lambda c, w: (f"{API}/contracts/{c.pk}/start", {}),
        _status(Contract),
    ),
    Case(
        "delivery_record",
        running_contract,
        "editor_a",
        "editor_b",
        lambda c: (
            reverse(CU, args=[c.pk, "deliver"]),
            {
                "deliver-contract_item": c.items.first().pk,
                "deliver-outlet": c.items.first().outlet_id,
                "deliver-title": "Bài mới",
                "deliver-url": "https://baoa.vn/moi.html",
                "deliver-published_on": "2024-05-01",
            },
        ),
        lambda c, w: (
            f"{API}/contracts/{c.pk}/deliveries",
            {
                "contract_item_id": c.items.first().pk,
                "outlet_id": c.items.first().outlet_id,
                "title": "Bài mới",
                "url": "https://baoa.vn/moi.html",
                "published_on": "2024-05-01",
            },
        ),
        _count(Delivery),
    ),
    Case(
        "delivery_accept",
        _with_delivery,
        "officer",
        "officer2",
        lambda d: (reverse("commissioning:delivery_action", args=[d.pk, "accept"]), {}),
        lambda d, w: (f"{API}/deliveries/{d.pk}/accept", {}),
        _status(Delivery),
    ),
    Case(
        "delivery_reject",
        _with_delivery,
        "officer",
        "officer2",
        lambda d: (
            reverse("commissioning:delivery_action", args=[d.pk, "reject"]),
            {f"d{d.pk}-note": "Sai chủ đề"},
        ),
        lambda d, w: (f"{API}/deliveries/{d.pk}/reject", {"note": "Sai chủ đề"}),
        _status(Delivery),
    ),
    Case(
        "acceptance_record",
        _delivered,
        "officer",
        "officer2",
        lambda c: (
            reverse(CU, args=[c.pk, "acceptance"]),
            {
                "acceptance-number": "NT1",
                "acceptance-period_start": "2024-04-01",
                "acceptance-period_end": "2024-06-30",
                **{f"acceptance-qty_{i.pk}": 1 for i in c.items.all()},
            },
        ),
        lambda c, w: (
            f"{API}/contracts/{c.pk}/acceptances",
            {
                "number": "NT1",
                "period_start": "2024-04-01",
                "period_end": "2024-06-30",
                "lines": [{"item_id": i.pk, "accepted_quantity": 1} for i in c.items.all()],
            },
        ),
        _count(Acceptance),
    ),
    Case(
        "contract_mark_delivered",
        _delivered,
        "officer",
        "officer2",
        lambda c: (reverse(CU, args=[c.pk, "mark_delivered"]), {}),
        lambda c, w: (f"{API}/contracts/{c.pk}/mark-delivered", {}),
        _status(Contract),
    ),
    Case(
        "contract_accept",
        _fully_delivered,
        "officer",
        "officer2",
        lambda c: (reverse(CU, args=[c.pk, "accept"]), {}),
        lambda c, w: (f"{API}/contracts/{c.pk}/accept", {}),
        _status(Contract),
    ),
    Case(
        "payment_record",
        running_contract,
        "officer",
        "officer2",
        lambda c: (
            reverse(CU, args=[c.pk, "pay"]),
            {"pay-kind": "advance", "pay-amount": "1000000", "pay-paid_on": "2024-04-01"},
        ),
        lambda c, w: (
            f"{API}/contracts/{c.pk}/payments",
            {"kind": "advance", "amount": "1000000", "paid_on": "2024-04-01"},
        ),
        _count(Payment),
    ),
    Case(
        "contract_settle",
        _paid,
        "officer",
        "officer2",
        lambda c: (reverse(CU, args=[c.pk, "settle"]), {"settle-document_number": "TL-1"}),
        lambda c, w: (f"{API}/contracts/{c.pk}/settle", {"document_number": "TL-1"}),
        _status(Contract),
    ),
    Case(
        "contract_terminate",
        running_contract,
        "officer",
        "officer2",
        lambda c: (reverse(CU, args=[c.pk, "terminate"]), {"terminate-reason": "Vi phạm"}),
        lambda c, w: (f"{API}/contracts/{c.pk}/terminate", {"reason": "Vi phạm"}),
        _status(Contract),
    ),
    Case(
        "amendment_propose",
        running_contract,
        "officer",
        "officer2",
        lambda c: (
            reverse(CU, args=[c.pk, "amend"]),
            {"amend-description": "Gia hạn", "amend-period_end": "2025-01-31"},
        ),
        lambda c, w: (
            f"{API}/contracts/{c.pk}/amendments",
            {"description": "Gia hạn", "period_end": "2025-01-31"},
        ),
        _count(ContractAmendment),
    ),
    Case(
        "amendment_approve",
        _amendment,
        "approver",
        "approver2",
        lambda a: (
            reverse("commissioning:amendment_action", args=[a.pk, "approve"]),
            {"amendment-decision_number": "5/QĐ", "amendment-decision_date": "2024-08-01"},
        ),
        lambda a, w: (
            f"{API}/amendments/{a.pk}/approve",
            {"decision_number": "5/QĐ", "decision_date": "2024-08-01"},
        ),
        _status(ContractAmendment),
    ),
]


def _first_item(p: Proposal) -> ProposalItem:
    return p.items.order_by("pk").first()  # type: ignore[return-value]


def _item_edit_form(w: World, p: Proposal) -> dict[str, Any]:
    return {k.removeprefix("add-"): v for k, v in _item_form(w).items()}


CASES += [
    Case(
        "proposal_create",
        open_round,
        "editor_a",
        "editor_b",
        lambda r: (
            reverse("commissioning:round_action", args=[r.pk, "create"]),
            {"create-agency": r.invited.order_by("pk").first().pk, "create-title": "Đề xuất mới"},
        ),
        lambda r, w: (
            f"{API}/proposals",
            {"round_id": r.pk, "agency_id": w.orgs["a"].pk, "title": "Đề xuất mới"},
        ),
        _count(Proposal),
    ),
    Case(
        "proposal_item_update",
        draft_proposal,
        "editor_a",
        "editor_b",
        lambda p: (reverse("commissioning:proposal_item_edit", args=[_first_item(p).pk]), "ITEM_EDIT"),
        lambda p, w: (f"{API}/items/{_first_item(p).pk}", _item_payload(w)),
        lambda p: (_first_item(p).quantity, _first_item(p).unit_price),
        api_method="put",
    ),
    Case(
        "proposal_item_remove",
        draft_proposal,
        "editor_a",
        "editor_b",
        lambda p: (reverse("commissioning:proposal_item_remove", args=[_first_item(p).pk]), {}),
        lambda p, w: (f"{API}/items/{_first_item(p).pk}", {}),
        _count(ProposalItem),
        api_method="delete",
    ),
    Case(
        "amendment_reject",
        _amendment,
        "approver",
        "approver2",
        lambda a: (
            reverse("commissioning:amendment_action", args=[a.pk, "reject"]),
            {"amendment_reject-note": "Chưa đủ căn cứ"},
        ),
        lambda a, w: (f"{API}/amendments/{a.pk}/reject", {"note": "Chưa đủ căn cứ"}),
        _status(ContractAmendment),
    ),
]

PERSONAS = ["right", "other", "viewer", "anonymous"]


def _client(w: World, persona: str, case: Case) -> Client:
    client = Client()
    username = {"right": case.right, "other": case.other, "viewer": "viewer"}.get(persona)
    if username:
        assert client.login(username=w.users[username].username, password=PASSWORD)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_web_action_persona_matrix(world, case: Case, persona: str) -> None:
    obj = case.setup(world)
    before, records = case.state(obj), TransitionRecord.objects.count()
    url, data = case.web(obj)
    if data == "ITEM":
        data = _item_form(world)
    elif data == "ITEM_EDIT":
        data = _item_edit_form(world, obj)
    response = _client(world, persona, case).post(url, data)
    if persona == "right":
        assert response.status_code == 302, response.content.decode()[:3000]
        assert case.state(obj) != before
        assert TransitionRecord.objects.count() > records
        return
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code in (403, 404)
    assert case.state(obj) == before
    assert TransitionRecord.objects.count() == records


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_api_action_persona_matrix(world, case: Case, persona: str) -> None:
    obj = case.setup(world)
    before, records = case.state(obj), TransitionRecord.objects.count()
    url, payload = case.api(obj, world)
    client = _client(world, persona, case)
    send = getattr(client, case.api_method)
    response = send(url, json.dumps(payload), content_type="application/json")
    if persona == "right":
        assert response.status_code in (200, 204), response.content.decode()[:2000]
        assert case.state(obj) != before
        assert TransitionRecord.objects.count() > records
        return
    expected = (401,) if persona == "anonymous" else (403, 404)
    assert response.status_code in expected, response.content
    assert case.state(obj) == before
    assert TransitionRecord.objects.count() == records


def test_csrf_is_enforced_on_actions(world) -> None:
    p = draft_proposal(world)
    client = Client(enforce_csrf_checks=True)
    client.login(username="editor_a", password=PASSWORD)
    response = client.post(reverse(PU, args=[p.pk, "submit"]), {})
    assert response.status_code == 403
    p.refresh_from_db()
    assert p.status == Proposal.Status.DRAFT


def test_get_on_an_action_is_refused(world) -> None:
    p = draft_proposal(world)
    client = Client()
    client.login(username="editor_a", password=PASSWORD)
    assert client.get(reverse(PU, args=[p.pk, "submit"])).status_code == 405


# --- visibility -------------------------------------------------------------------------------------


def _get(client: Client, url: str) -> int:
    return client.get(url).status_code


def test_agency_sees_only_its_own_proposals_and_contracts(world) -> None:
    c = running_contract(world)
    p = c.items.first().source.proposal
    other = Client()
    other.login(username="editor_b", password=PASSWORD)
    assert _get(other, reverse("commissioning:proposal", args=[p.pk])) == 404
    assert _get(other, reverse("commissioning:contract", args=[c.pk])) == 404
    assert other.get(f"{API}/contracts").json() == []
    assert _get(other, f"{API}/contracts/{c.pk}") == 404
    own = Client()
    own.login(username="editor_a", password=PASSWORD)
    assert _get(own, reverse("commissioning:contract", args=[c.pk])) == 200
    assert [x["id"] for x in own.get(f"{API}/contracts").json()] == [c.pk]
    reporter = Client()
    reporter.login(username="reporter_a", password=PASSWORD)
    assert _get(reporter, reverse("commissioning:contract", args=[c.pk])) == 200
    reporter.login(username="reporter_b", password=PASSWORD)
    assert _get(reporter, reverse("commissioning:contract", args=[c.pk])) == 404


def test_drafts_stay_with_their_agency(world) -> None:
    p = draft_proposal(world)
    for username in ("officer", "appraiser", "viewer", "approver"):
        client = Client()
        client.login(username=username, password=PASSWORD)
        assert _get(client, reverse("commissioning:proposal", args=[p.pk])) == 404, username


def test_chairman_sees_packages_awaiting_approval_but_not_drafts(world) -> None:
    pkg = compiled_package(world)
    client = Client()
    client.login(username="approver", password=PASSWORD)
    assert _get(client, reverse("commissioning:package", args=[pkg.pk])) == 404
    services.package_submit(actor=world.users["officer"], package_id=pkg.pk)
    assert _get(client, reverse("commissioning:package", args=[pkg.pk])) == 200
    assert [k["id"] for k in client.get(f"{API}/packages").json()] == [pkg.pk]


def test_viewer_reads_everything_but_writes_nothing(world) -> None:
    c = running_contract(world)
    client = Client()
    client.login(username="viewer", password=PASSWORD)
    assert _get(client, reverse("commissioning:contract", args=[c.pk])) == 200
    assert _get(client, reverse("commissioning:package", args=[c.package_id])) == 200
    assert _get(client, reverse("commissioning:index")) == 200
    page = client.get(reverse("commissioning:contract", args=[c.pk])).content.decode()
    assert 'data-action="terminate"' not in page


def test_anonymous_is_sent_to_login_and_api_says_401(world) -> None:
    c = running_contract(world)
    client = Client()
    response = client.get(reverse("commissioning:contract", args=[c.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(f"{API}/contracts").status_code == 401


def test_token_authentication_reaches_the_same_permissions(world) -> None:
    from pressdesk.accounts.models import ApiToken

    c = running_contract(world)
    import hashlib
    import secrets

    key = secrets.token_hex(20)
    ApiToken.objects.create(user=world.users["editor_a"], key_hash=hashlib.sha256(key.encode()).hexdigest())
    client = Client()
    response = client.get(f"{API}/contracts/{c.pk}", HTTP_AUTHORIZATION=f"Token {key}")
    if response.status_code == 401:
        pytest.skip("accounts.services.user_for_token uses another key scheme")
    assert response.status_code == 200
    assert response.json()["value"] == "22500000"


def test_every_page_renders_for_each_role(world) -> None:
    c = _paid(world)
    p = c.items.first().source.proposal
    urls = [
        reverse("commissioning:index"),
        reverse("commissioning:round", args=[p.round_id]),
        reverse("commissioning:proposal", args=[p.pk]),
        reverse("commissioning:package", args=[c.package_id]),
        reverse("commissioning:contract", args=[c.pk]),
    ]
    for username in ("officer", "appraiser", "approver", "viewer"):
        client = Client()
        client.login(username=username, password=PASSWORD)
        for url in urls:
            status = _get(client, url)
            assert status in (200, 404), (username, url, status)
    client = Client()
    client.login(username="officer", password=PASSWORD)
    page = client.get(reverse("commissioning:contract", args=[c.pk])).content.decode()
    assert "22.500.000 đ" in page
    assert 'data-action="contract_sign"' in page and 'data-action="payment_record"' in page


def test_validation_message_is_shown_and_nothing_changes(world) -> None:
    c = running_contract(world)
    client = Client()
    client.login(username="officer", password=PASSWORD)
    before = TransitionRecord.objects.count()
    response = client.post(
        reverse(CU, args=[c.pk, "pay"]),
        {"pay-kind": "advance", "pay-amount": "99000000", "pay-paid_on": "2024-04-01"},
    )
    assert response.status_code == 422
    assert "Tạm ứng vượt mức" in response.content.decode()
    assert Payment.objects.count() == 0 and TransitionRecord.objects.count() == before
    response = client.post(reverse(CU, args=[c.pk, "terminate"]), {"terminate-reason": ""})
    assert response.status_code == 422
    c.refresh_from_db()
    assert c.status == Contract.Status.IN_PROGRESS


def test_api_domain_error_is_json(world) -> None:
    c = running_contract(world)
    client = Client()
    client.login(username="officer", password=PASSWORD)
    response = client.post(
        f"{API}/contracts/{c.pk}/settle",
        json.dumps({"document_number": "TL"}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "thanh lý" in response.json()["detail"]["message"]


def test_openapi_schema_lists_commissioning(client) -> None:
    schema = client.get("/api/schema/").json()
    assert "/api/commissioning/contracts/{pk}/sign" in schema["paths"]


def test_home_inbox_shows_what_awaits_each_role(world) -> None:
    submitted_package(world)
    p = submitted_proposal(world, r=open_round(world))
    expectations = {
        "approver": "Hồ sơ đặt hàng chờ phê duyệt",
        "appraiser": "Đề xuất chờ thẩm định",
    }
    for username, label in expectations.items():
        client = Client()
        client.login(username=username, password=PASSWORD)
        assert label in client.get("/").content.decode(), username
        assert label in client.get(reverse("commissioning:index")).content.decode(), username
    client = Client()
    client.login(username="editor_b", password=PASSWORD)
    assert "Đề xuất chờ thẩm định" not in client.get("/").content.decode()
    assert p.status == Proposal.Status.SUBMITTED
