"""Two people acting on the same object at once leave exactly one outcome and one record.

Real threads with their own database connections; SQLite serialises writers differently (no row locks),
so these run on PostgreSQL only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from pressdesk.commissioning import services
from pressdesk.commissioning.models import ApprovalPackage, Proposal
from pressdesk.core.audit import history_for
from pressdesk.core.errors import DomainError
from tests.commissioning.factories import D, submitted_package, submitted_proposal

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
    ),
]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Start every call at the same instant in its own thread; return each result or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except DomainError as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def tworld(transactional_db: Any) -> Any:
    from tests.commissioning.factories import make_world

    return make_world()


@pytest.mark.parametrize("attempt", range(3))
def test_two_approvals_at_once_give_one_approval_and_one_record(tworld, attempt) -> None:
    pkg = submitted_package(tworld)
    approver = tworld.users["approver"]

    def approve(number: str) -> Callable[[], Any]:
        return lambda: services.package_approve(
            actor=approver, package_id=pkg.pk, decision_number=number, decision_date=D(2024, 3, 15)
        )

    results = race(approve("1/QĐ"), approve("2/QĐ"))
    assert sum(isinstance(r, ApprovalPackage) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1
    pkg.refresh_from_db()
    assert pkg.status == ApprovalPackage.Status.APPROVED
    records = history_for(pkg).filter(action="package_approve")
    assert records.count() == 1
    assert records.get().document_number == pkg.decision_number


@pytest.mark.parametrize("attempt", range(3))
def test_endorsement_and_withdrawal_at_once_leave_one_outcome(tworld, attempt) -> None:
    p = submitted_proposal(tworld)
    for item in p.items.all():
        services.item_appraise(actor=tworld.users["appraiser"], item_id=item.pk, verdict="accept")
    results = race(
        lambda: services.proposal_endorse(actor=tworld.users["appraiser"], proposal_id=p.pk),
        lambda: services.proposal_withdraw(actor=tworld.users["editor_a"], proposal_id=p.pk, note="Rút"),
    )
    assert sum(isinstance(r, Proposal) for r in results) == 1
    p.refresh_from_db()
    assert p.status in (Proposal.Status.ENDORSED, Proposal.Status.WITHDRAWN)
    outcomes = history_for(p).filter(action__in=["proposal_endorse", "proposal_withdraw"])
    assert outcomes.count() == 1
    assert outcomes.get().to_state == p.status


def test_two_package_compilations_cannot_both_take_the_ceiling(tworld) -> None:
    from decimal import Decimal

    from tests.commissioning.factories import endorsed_proposal, open_round

    r = open_round(tworld, ceiling=Decimal(30_000_000))
    pa = endorsed_proposal(tworld, r=r, agency="a")
    pb = endorsed_proposal(tworld, r=r, agency="b")
    services.agencies_select(actor=tworld.users["appraiser"], round_id=r.pk, agencies=[pa.agency, pb.agency])
    pkg_a = services.package_compile(
        actor=tworld.users["officer"],
        round_id=r.pk,
        title="A",
        item_ids=list(pa.items.values_list("pk", flat=True)),
    )
    pkg_b = services.package_compile(
        actor=tworld.users["officer"],
        round_id=r.pk,
        title="B",
        item_ids=list(pb.items.values_list("pk", flat=True)),
    )
    # Each 22.500.000 đ fits alone, both together exceed 30.000.000 đ: only one may be submitted.
    results = race(
        lambda: services.package_submit(actor=tworld.users["officer"], package_id=pkg_a.pk),
        lambda: services.package_submit(actor=tworld.users["officer"], package_id=pkg_b.pk),
    )
    assert sum(isinstance(x, ApprovalPackage) for x in results) == 1
    assert ApprovalPackage.objects.filter(status=ApprovalPackage.Status.SUBMITTED).count() == 1
