"""What awaits the commissioning officer in reports: machine checks of deliveries to confirm."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from pressdesk.accounts.models import Role
from pressdesk.accounts.permissions import organisations_with_role
from pressdesk.core.inbox import InboxItem
from pressdesk.reports.models import DeliveryVerification


def items(user: Any) -> list[InboxItem]:
    offices = organisations_with_role(user, Role.COMMISSIONING_OFFICER)
    if not offices.exists():
        return []
    pending = DeliveryVerification.objects.filter(
        decision=DeliveryVerification.Decision.PENDING,
        delivery__contract_item__contract__package__round__opened_by__in=offices,
    )
    count = pending.count()
    failed = pending.exclude(overall="pass").count()
    if not count:
        return []
    return [
        InboxItem(
            "Kết quả kiểm tra tự động tác phẩm chờ xác nhận",
            count,
            reverse("reports:verifications"),
            urgent=failed > 0,
        )
    ]
