"""Reads of commissioning: computed totals and what each user may see (one lookup helper per object kind).

Visibility (who reads what):
- commissioning officer, viewer, administrator: everything (except other agencies' drafts, which stay private);
- appraiser: rounds, proposals once submitted, packages once submitted;
- approver: rounds, packages awaiting or past approval, contracts (amendments need approval), endorsed proposals;
- agency editor: rounds it is invited to, its agency's proposals and contracts;
- resident reporter: contracts of the agency its office belongs to (to record deliveries).
Writing is decided by each service's role check; `write=True` only keeps read-only personas out early.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from pressdesk.accounts.models import Organisation, Role
from pressdesk.accounts.permissions import active_memberships, active_roles
from pressdesk.commissioning.models import (
    AcceptanceLine,
    ApprovalPackage,
    Contract,
    ContractItem,
    Delivery,
    OrderRound,
    Payment,
    Proposal,
    ProposalItem,
    Verdict,
)
from pressdesk.core.errors import NotFound

MONEY_FIELD = DecimalField(max_digits=20, decimal_places=0)
ZERO = Value(Decimal(0), output_field=MONEY_FIELD)

READ_ALL = {Role.COMMISSIONING_OFFICER, Role.VIEWER, Role.ADMINISTRATOR}
WORKING_ROLES = {
    Role.COMMISSIONING_OFFICER,
    Role.APPRAISER,
    Role.APPROVER,
    Role.AGENCY_EDITOR,
    Role.RESIDENT_REPORTER,
}


# --- totals -----------------------------------------------------------------------------------------


def _sum(qs: QuerySet[Any], expr: Any) -> Decimal:
    value = qs.aggregate(total=Coalesce(Sum(ExpressionWrapper(expr, output_field=MONEY_FIELD)), ZERO))[
        "total"
    ]
    return Decimal(value)


def proposal_total(proposal: Proposal) -> Decimal:
    return _sum(proposal.items.all(), F("quantity") * F("unit_price"))


APPROVED_AMOUNT = Coalesce(F("approved_quantity"), F("quantity")) * Coalesce(
    F("approved_unit_price"), F("unit_price")
)


def items_approved_total(items: QuerySet[ProposalItem]) -> Decimal:
    accepted = items.filter(verdict__in=[Verdict.ACCEPT, Verdict.ACCEPT_WITH_CHANGES])
    return _sum(accepted, APPROVED_AMOUNT)


def package_total(package: ApprovalPackage) -> Decimal:
    return items_approved_total(package.items.all())


def round_committed(order_round: OrderRound, *, exclude_package_id: int | None = None) -> Decimal:
    """The value already approved or awaiting approval in the round (counts against the ceiling)."""
    items = ProposalItem.objects.filter(
        package__round=order_round,
        package__status__in=[ApprovalPackage.Status.SUBMITTED, ApprovalPackage.Status.APPROVED],
    )
    if exclude_package_id is not None:
        items = items.exclude(package_id=exclude_package_id)
    return items_approved_total(items)


def contract_value(contract: Contract) -> Decimal:
    return _sum(contract.items.all(), F("quantity") * F("unit_price"))


def contract_approved_value(contract: Contract) -> Decimal:
    """What the approval decision allows for this contract: the approved amounts of its source lines."""
    sources = ProposalItem.objects.filter(contract_items__contract=contract).distinct()
    return items_approved_total(sources)


def contract_accepted_value(contract: Contract) -> Decimal:
    lines = AcceptanceLine.objects.filter(acceptance__contract=contract)
    return _sum(lines, F("accepted_quantity") * F("contract_item__unit_price") - F("deduction"))


def contract_paid(contract: Contract, *, kind: str | None = None) -> Decimal:
    qs = Payment.objects.filter(contract=contract)
    if kind:
        qs = qs.filter(kind=kind)
    return _sum(qs, F("amount"))


def accepted_quantity_by_item(contract: Contract) -> dict[int, int]:
    rows = (
        AcceptanceLine.objects.filter(acceptance__contract=contract)
        .values("contract_item_id")
        .annotate(q=Sum("accepted_quantity"))
    )
    return {r["contract_item_id"]: int(r["q"] or 0) for r in rows}


@dataclass(frozen=True)
class ItemProgress:
    item: ContractItem
    ordered: int
    delivered: int
    delivered_accepted: int
    accepted: int
    value: Decimal


@dataclass(frozen=True)
class ContractProgress:
    items: list[ItemProgress]
    value: Decimal
    approved_value: Decimal
    accepted_value: Decimal
    paid: Decimal
    advance_paid: Decimal

    @property
    def ordered(self) -> int:
        return sum(i.ordered for i in self.items)

    @property
    def delivered(self) -> int:
        return sum(i.delivered for i in self.items)

    @property
    def delivered_accepted(self) -> int:
        return sum(i.delivered_accepted for i in self.items)

    @property
    def accepted(self) -> int:
        return sum(i.accepted for i in self.items)

    @property
    def remaining_to_pay(self) -> Decimal:
        return self.accepted_value - self.paid


def contract_progress(contract: Contract) -> ContractProgress:
    accepted = accepted_quantity_by_item(contract)
    items = contract.items.select_related("outlet", "area", "topic", "event").annotate(
        n_delivered=Count("deliveries", filter=~Q(deliveries__status=Delivery.Status.REJECTED)),
        n_delivered_ok=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.ACCEPTED)),
    )
    rows = [
        ItemProgress(
            item=i,
            ordered=i.quantity,
            delivered=i.n_delivered,
            delivered_accepted=i.n_delivered_ok,
            accepted=accepted.get(i.pk, 0),
            value=i.amount,
        )
        for i in items
    ]
    return ContractProgress(
        items=rows,
        value=contract_value(contract),
        approved_value=contract_approved_value(contract),
        accepted_value=contract_accepted_value(contract),
        paid=contract_paid(contract),
        advance_paid=contract_paid(contract, kind=Payment.Kind.ADVANCE),
    )


# --- visibility -------------------------------------------------------------------------------------


def _orgs(user: Any, role: str) -> list[int]:
    return list(active_memberships(user).filter(role=role).values_list("organisation_id", flat=True))


def rounds_for_user(user: Any) -> QuerySet[OrderRound]:
    roles = active_roles(user)
    qs = OrderRound.objects.select_related("plan", "opened_by")
    if roles & (READ_ALL | {Role.APPRAISER, Role.APPROVER}):
        return qs
    agencies = _orgs(user, Role.AGENCY_EDITOR)
    if agencies:
        return qs.filter(invited__in=agencies).distinct()
    return qs.none()


def proposals_for_user(user: Any) -> QuerySet[Proposal]:
    roles = active_roles(user)
    qs = Proposal.objects.select_related("round", "agency", "author")
    own = Q(agency_id__in=_orgs(user, Role.AGENCY_EDITOR))
    if roles & READ_ALL or Role.APPRAISER in roles:
        # Drafts belong to their agency until submitted.
        return qs.filter(~Q(status=Proposal.Status.DRAFT) | own)
    if Role.APPROVER in roles:
        return qs.filter(Q(status__in=[Proposal.Status.ENDORSED, Proposal.Status.REJECTED]) | own)
    return qs.filter(own)


def packages_for_user(user: Any) -> QuerySet[ApprovalPackage]:
    roles = active_roles(user)
    qs = ApprovalPackage.objects.select_related("round", "compiled_by")
    if roles & READ_ALL:
        return qs
    if roles & {Role.APPRAISER, Role.APPROVER}:
        return qs.exclude(status=ApprovalPackage.Status.DRAFT)
    return qs.none()


def _reporter_agencies(user: Any) -> list[int]:
    offices = _orgs(user, Role.RESIDENT_REPORTER)
    return list(
        Organisation.objects.filter(pk__in=offices, parent__isnull=False).values_list("parent_id", flat=True)
    )


def contracts_for_user(user: Any) -> QuerySet[Contract]:
    roles = active_roles(user)
    qs = Contract.objects.select_related("agency", "package", "package__round")
    if roles & READ_ALL or Role.APPROVER in roles:
        return qs
    agencies = _orgs(user, Role.AGENCY_EDITOR) + _reporter_agencies(user)
    return qs.filter(agency_id__in=agencies)


def deliveries_for_user(user: Any) -> QuerySet[Delivery]:
    return Delivery.objects.filter(contract_item__contract__in=contracts_for_user(user)).select_related(
        "contract_item__contract", "outlet", "recorded_by"
    )


def _only_reader(user: Any) -> bool:
    return not (active_roles(user) & WORKING_ROLES)


def _get(qs: QuerySet[Any], pk: Any, user: Any, write: bool, what: str) -> Any:
    try:
        obj = qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"{what}.not_found", "Không tìm thấy hoặc không có quyền xem.") from None
    if write and _only_reader(user):
        raise PermissionDenied("read_only")
    return obj


def round_get_for_user(user: Any, pk: Any, *, write: bool = False) -> OrderRound:
    return _get(rounds_for_user(user), pk, user, write, "round")  # type: ignore[no-any-return]


def proposal_get_for_user(user: Any, pk: Any, *, write: bool = False) -> Proposal:
    return _get(proposals_for_user(user), pk, user, write, "proposal")  # type: ignore[no-any-return]


def package_get_for_user(user: Any, pk: Any, *, write: bool = False) -> ApprovalPackage:
    return _get(packages_for_user(user), pk, user, write, "package")  # type: ignore[no-any-return]


def contract_get_for_user(user: Any, pk: Any, *, write: bool = False) -> Contract:
    return _get(contracts_for_user(user), pk, user, write, "contract")  # type: ignore[no-any-return]


def delivery_get_for_user(user: Any, pk: Any, *, write: bool = False) -> Delivery:
    return _get(deliveries_for_user(user), pk, user, write, "delivery")  # type: ignore[no-any-return]


def proposal_item_get_for_user(user: Any, pk: Any, *, write: bool = False) -> ProposalItem:
    qs = ProposalItem.objects.filter(proposal__in=proposals_for_user(user))
    return _get(qs, pk, user, write, "proposal_item")  # type: ignore[no-any-return]


def contract_item_get_for_user(user: Any, pk: Any, *, write: bool = False) -> ContractItem:
    qs = ContractItem.objects.filter(contract__in=contracts_for_user(user))
    return _get(qs, pk, user, write, "contract_item")  # type: ignore[no-any-return]


# --- reminders --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    item: ContractItem
    kind: str  # "due_soon" | "overdue"
    delivered: int
    missing: int
    days_left: int


def reminders_due(
    *, today: dt.date | None = None, contracts: QuerySet[Contract] | None = None
) -> list[Reminder]:
    """Lines of running contracts whose window ends within PRESSDESK_REMINDER_DAYS (or has ended)
    with fewer works delivered than ordered. Rejected works do not count as delivered."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.PRESSDESK_REMINDER_DAYS)
    base = contracts if contracts is not None else Contract.objects.all()
    items = (
        ContractItem.objects.filter(
            contract__in=base.filter(status__in=[Contract.Status.SIGNED, Contract.Status.IN_PROGRESS]),
            window_end__lte=horizon,
        )
        .annotate(n=Count("deliveries", filter=~Q(deliveries__status=Delivery.Status.REJECTED)))
        .filter(n__lt=F("quantity"))
        .select_related("contract__agency", "contract__package__round", "outlet")
        .order_by("window_end", "pk")
    )
    return [
        Reminder(
            item=i,
            kind="overdue" if i.window_end < today else "due_soon",
            delivered=i.n,
            missing=i.quantity - i.n,
            days_left=(i.window_end - today).days,
        )
        for i in items
    ]


def reminders_for_user(user: Any, *, today: dt.date | None = None) -> list[Reminder]:
    """The officer sees every reminder of the rounds his department opened; an agency its own lines."""
    officer_orgs = _orgs(user, Role.COMMISSIONING_OFFICER)
    agencies = _orgs(user, Role.AGENCY_EDITOR) + _reporter_agencies(user)
    if not officer_orgs and not agencies:
        return []
    qs = Contract.objects.filter(Q(package__round__opened_by_id__in=officer_orgs) | Q(agency_id__in=agencies))
    return reminders_due(today=today, contracts=qs)
