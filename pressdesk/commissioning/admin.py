"""Read-only administrator views: every change goes through the services, which keep the history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from pressdesk.commissioning.models import (
    Acceptance,
    ApprovalPackage,
    Attachment,
    Contract,
    ContractAmendment,
    Delivery,
    OrderRound,
    Payment,
    Proposal,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(OrderRound)
class OrderRoundAdmin(ReadOnly):
    list_display = ["title", "plan", "status", "budget_ceiling", "proposal_deadline"]
    list_filter = ["status"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ["title", "agency", "round", "status", "submitted_at"]
    list_filter = ["status", "round"]


@admin.register(ApprovalPackage)
class ApprovalPackageAdmin(ReadOnly):
    list_display = ["title", "round", "status", "decision_number", "decision_date"]


@admin.register(Contract)
class ContractAdmin(ReadOnly):
    list_display = ["number", "agency", "status", "period_start", "period_end"]
    list_filter = ["status"]


for model in (ContractAmendment, Delivery, Acceptance, Payment, Attachment):
    admin.site.register(model, ReadOnly)
