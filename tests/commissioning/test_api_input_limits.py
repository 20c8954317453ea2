"""Input the database cannot store gets a 422 with a reason, never a 500 (found by tests/fuzz)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from pressdesk.accounts.services import token_issue
from pressdesk.commissioning import services
from pressdesk.commissioning.models import OrderRound, ProposalItem
from tests.commissioning.factories import World, item_input, open_round

API = "/api/commissioning"
HUGE = 2**70  # beyond the 64 bits SQLite can bind


def _client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")


def _code(response: Any) -> str:
    return str(response.json()["detail"]["code"])


def test_round_invitation_with_an_id_beyond_64_bits_is_refused(world: World) -> None:
    payload = {
        "plan_id": world.plan.pk,
        "title": "Đợt 1",
        "budget_ceiling": "100000000",
        "proposal_deadline": "2024-03-31",
        "appraiser_org_id": world.orgs["btg"].pk,
        "approver_org_id": world.orgs["ubnd"].pk,
        "invited_ids": [world.orgs["a"].pk, HUGE],
    }
    response = _client(world.users["officer"]).post(f"{API}/rounds", payload, content_type="application/json")
    assert response.status_code == 422
    # PostgreSQL compares the number and finds no such body; SQLite cannot bind it at all.
    assert _code(response) == ("value.out_of_range" if connection.vendor == "sqlite" else "ref.unknown")


def test_package_with_an_item_id_beyond_64_bits_is_refused(world: World) -> None:
    order_round = open_round(world)
    response = _client(world.users["officer"]).post(
        f"{API}/rounds/{order_round.pk}/packages",
        {"title": "Hồ sơ 1", "item_ids": [HUGE]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert _code(response) == ("value.out_of_range" if connection.vendor == "sqlite" else "package.items")


def test_list_filter_with_an_id_beyond_64_bits_is_refused_or_empty(world: World) -> None:
    open_round(world)
    client = _client(world.users["officer"])
    for path in ("proposals", "contracts", "packages"):
        response = client.get(f"{API}/{path}", {"round_id": HUGE})
        if connection.vendor == "sqlite":
            assert (response.status_code, _code(response)) == (422, "value.out_of_range"), path
        else:
            assert (response.status_code, response.json()) == (200, []), path


def test_text_with_a_nul_character_is_refused_or_matches_nothing(world: World) -> None:
    open_round(world)
    response = _client(world.users["officer"]).get(f"{API}/packages", {"status": "draft\x00"})
    if connection.vendor == "postgresql":  # PostgreSQL text cannot hold NUL at all
        assert (response.status_code, _code(response)) == (422, "value.not_storable")
        assert "NUL" in response.json()["detail"]["message"]
    else:
        assert (response.status_code, response.json()) == (200, [])


def _item(world: World, **change: Any) -> dict[str, Any]:
    data = item_input(world)
    return {
        "area_id": data.area.pk,
        "product_type": data.product_type,
        "outlet_id": data.outlet.pk,
        "quantity": data.quantity,
        "unit_price": str(data.unit_price),
        "window_start": data.window_start.isoformat(),
        "window_end": data.window_end.isoformat(),
        **change,
    }


def _add_item(world: World, **change: Any) -> Any:
    editor = world.users["editor_a"]
    proposal = services.proposal_create(
        actor=editor, round_id=open_round(world).pk, agency=world.orgs["a"], title="Đề xuất"
    )
    return _client(editor).post(
        f"{API}/proposals/{proposal.pk}/items", _item(world, **change), content_type="application/json"
    )


def test_item_quantity_beyond_64_bits_is_refused(world: World) -> None:
    response = _add_item(world, quantity=HUGE)
    assert (response.status_code, _code(response)) == (422, "value.out_of_range")
    assert not ProposalItem.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores these values as given")
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"quantity": 2**40}, "value.out_of_range"),  # beyond PostgreSQL's integer column
        ({"unit_price": "1e30"}, "value.out_of_range"),  # beyond numeric(14, 0)
        ({"channel": "x" * 300}, "value.too_long"),  # beyond varchar(255)
        ({"unit": "bài\x00"}, "value.not_storable"),
    ],
)
def test_item_values_postgresql_cannot_store_are_refused(
    world: World, change: dict[str, Any], code: str
) -> None:
    response = _add_item(world, **change)
    assert (response.status_code, _code(response)) == (422, code)
    assert not ProposalItem.objects.exists()


@pytest.mark.parametrize("body", ['"abc"', "123", "[1, 2]", "null", "true"])
def test_body_that_is_not_a_json_object_is_refused(world: World, body: str) -> None:
    # Found by schemathesis (negative mode): ninja read these as {} and, the note being optional,
    # closed the round.
    order_round = open_round(world)
    response = _client(world.users["officer"]).post(
        f"{API}/rounds/{order_round.pk}/close", body, content_type="application/json"
    )
    assert response.status_code == 400
    order_round.refresh_from_db()
    assert order_round.status == OrderRound.Status.OPEN
