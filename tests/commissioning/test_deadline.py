"""The proposal deadline of an order round: no new proposal, no first sending after it; extensions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pressdesk.commissioning import services
from pressdesk.commissioning.models import OrderRound, Proposal
from pressdesk.core.audit import history_for
from pressdesk.core.errors import ValidationFailed
from tests.commissioning.factories import item_input, make_world, open_round

pytestmark = pytest.mark.django_db


def _past_deadline(r: OrderRound) -> None:
    OrderRound.objects.filter(pk=r.pk).update(proposal_deadline=timezone.localdate() - dt.timedelta(days=1))


def _draft_with_item(w, r: OrderRound) -> Proposal:  # type: ignore[no-untyped-def]
    editor = w.users["editor_a"]
    draft = services.proposal_create(actor=editor, round_id=r.pk, agency=w.orgs["a"], title="Tuyến bài")
    services.proposal_item_add(actor=editor, proposal_id=draft.pk, data=item_input(w))
    return draft


def test_no_new_proposal_and_no_first_sending_after_the_deadline() -> None:
    w = make_world()
    r = open_round(w)
    editor = w.users["editor_a"]
    draft = _draft_with_item(w, r)
    _past_deadline(r)
    with pytest.raises(ValidationFailed) as late:
        services.proposal_create(actor=editor, round_id=r.pk, agency=w.orgs["a"], title="Muộn")
    assert late.value.code == "proposal.deadline" and "quá hạn nộp đề xuất" in late.value.message
    with pytest.raises(ValidationFailed):
        services.proposal_submit(actor=editor, proposal_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT  # nothing changed
    assert Proposal.objects.filter(round=r).count() == 1


def test_a_returned_proposal_may_come_back_after_the_deadline() -> None:
    w = make_world()
    r = open_round(w)
    editor = w.users["editor_a"]
    p = _draft_with_item(w, r)
    services.proposal_submit(actor=editor, proposal_id=p.pk)
    services.proposal_return(actor=w.users["appraiser"], proposal_id=p.pk, note="Bổ sung")
    _past_deadline(r)
    assert services.proposal_submit(actor=editor, proposal_id=p.pk).status == Proposal.Status.SUBMITTED


def test_the_commissioning_officer_extends_the_deadline() -> None:
    w = make_world()
    r = open_round(w)
    _past_deadline(r)
    new = timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(PermissionDenied):
        services.round_extend(actor=w.users["editor_a"], round_id=r.pk, deadline=new)
    with pytest.raises(ValidationFailed):
        services.round_extend(
            actor=w.users["officer"], round_id=r.pk, deadline=timezone.localdate() - dt.timedelta(days=2)
        )
    services.round_extend(actor=w.users["officer"], round_id=r.pk, deadline=new, note="Theo đề nghị")
    r.refresh_from_db()
    assert r.proposal_deadline == new
    record = [h for h in history_for(r) if h.action == "round_extend"][0]
    assert record.data == {
        "from": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "to": new.isoformat(),
    }
    services.proposal_create(actor=w.users["editor_a"], round_id=r.pk, agency=w.orgs["a"], title="Kịp hạn")


def test_extension_from_the_round_page(client) -> None:  # type: ignore[no-untyped-def]
    w = make_world()
    r = open_round(w)
    client.force_login(w.users["officer"])
    page = client.get(f"/dat-hang/dot/{r.pk}/")
    assert "Gia hạn nộp đề xuất" in page.content.decode()
    new = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        f"/dat-hang/dot/{r.pk}/extend/", {"extend-deadline": new.isoformat(), "extend-note": ""}
    )
    assert response.status_code in (200, 302)
    r.refresh_from_db()
    assert r.proposal_deadline == new
    bad = client.post(f"/dat-hang/dot/{r.pk}/extend/", {"extend-deadline": "2020-01-01"})
    assert bad.status_code == 422 and "từ hôm nay" in bad.content.decode()
    client.force_login(w.users["editor_a"])
    assert client.post(f"/dat-hang/dot/{r.pk}/extend/", {"extend-deadline": new.isoformat()}).status_code in (
        403,
        404,
    )


def test_the_round_page_says_the_deadline_passed_and_offers_no_new_proposal(client) -> None:  # type: ignore[no-untyped-def]
    w = make_world()
    r = open_round(w)
    client.force_login(w.users["editor_a"])
    assert 'id="id_create-title"' in client.get(f"/dat-hang/dot/{r.pk}/").content.decode()
    _past_deadline(r)
    page = client.get(f"/dat-hang/dot/{r.pk}/").content.decode()
    assert "đã quá hạn: không nhận đề xuất mới" in page
    assert 'id="id_create-title"' not in page
