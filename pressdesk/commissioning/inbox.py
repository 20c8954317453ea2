"""What awaits each role in commissioning, for the home page and the commissioning index."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Role
from pressdesk.accounts.permissions import active_memberships
from pressdesk.commissioning import selectors
from pressdesk.commissioning.forms import eligible_items
from pressdesk.commissioning.models import (
    ApprovalPackage,
    Contract,
    ContractAmendment,
    Delivery,
    OrderRound,
    Proposal,
)
from pressdesk.core.inbox import InboxItem


def items(user: Any) -> list[InboxItem]:
    memberships = list(active_memberships(user).values_list("role", "organisation_id"))
    if not memberships:
        return []
    url = reverse("commissioning:index")
    out: list[InboxItem] = []

    def orgs(role: str) -> list[int]:
        return [o for r, o in memberships if r == role]

    def add(label: str, count: int, status: str = "", urgent: bool = False) -> None:
        if count:
            out.append(InboxItem(label, count, f"{url}?status={status}" if status else url, urgent))

    if editor := orgs(Role.AGENCY_EDITOR):
        add(
            _("Đề xuất nháp hoặc bị trả lại cần hoàn thiện"),
            Proposal.objects.filter(
                agency_id__in=editor, status__in=[Proposal.Status.DRAFT, Proposal.Status.RETURNED]
            ).count(),
        )
        add(
            _("Hợp đồng đang thực hiện: ghi nhận tác phẩm"),
            Contract.objects.filter(agency_id__in=editor, status=Contract.Status.IN_PROGRESS).count(),
            Contract.Status.IN_PROGRESS,
        )
    if appraiser := orgs(Role.APPRAISER):
        add(
            _("Đề xuất chờ thẩm định"),
            Proposal.objects.filter(
                round__appraiser_org_id__in=appraiser, status=Proposal.Status.SUBMITTED
            ).count(),
            Proposal.Status.SUBMITTED,
            urgent=True,
        )
    if officer := orgs(Role.COMMISSIONING_OFFICER):
        rounds = OrderRound.objects.filter(opened_by_id__in=officer)
        add(
            _("Dòng đạt thẩm định chưa đưa vào hồ sơ phê duyệt"),
            sum(eligible_items(r).count() for r in rounds),
        )
        add(
            _("Hồ sơ đã duyệt: lập, ký hợp đồng"),
            Contract.objects.filter(package__round__in=rounds, status=Contract.Status.DRAFT).count(),
            Contract.Status.DRAFT,
        )
        add(
            _("Tác phẩm chờ đánh giá"),
            Delivery.objects.filter(
                contract_item__contract__package__round__in=rounds, status=Delivery.Status.RECORDED
            ).count(),
        )
    if approver := orgs(Role.APPROVER):
        add(
            _("Hồ sơ đặt hàng chờ phê duyệt"),
            ApprovalPackage.objects.filter(
                round__approver_org_id__in=approver, status=ApprovalPackage.Status.SUBMITTED
            ).count(),
            ApprovalPackage.Status.SUBMITTED,
            urgent=True,
        )
        add(
            _("Phụ lục hợp đồng chờ phê duyệt"),
            ContractAmendment.objects.filter(
                contract__package__round__approver_org_id__in=approver,
                status=ContractAmendment.Status.PROPOSED,
            ).count(),
            urgent=True,
        )
    reminders = selectors.reminders_for_user(user)
    overdue = sum(1 for r in reminders if r.kind == "overdue")
    add(_("Dòng hợp đồng quá hạn đăng, phát"), overdue, urgent=True)
    add(_("Dòng hợp đồng sắp hết hạn đăng, phát"), len(reminders) - overdue)
    return out
