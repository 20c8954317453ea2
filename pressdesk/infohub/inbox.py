"""What awaits each role in the information hub, for the home page and the infohub dashboard."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Role
from pressdesk.accounts.permissions import organisations_with_role
from pressdesk.core.inbox import InboxItem
from pressdesk.infohub import selectors
from pressdesk.infohub.models import PressInquiry, PressRelease


def items(user: Any) -> list[InboxItem]:
    bodies = organisations_with_role(user, selectors.BODY_STAFF)
    heads = organisations_with_role(user, Role.BODY_HEAD)
    url = reverse("infohub:index")
    out: list[InboxItem] = []

    def add(label: str, count: int, link: str = url, urgent: bool = False) -> None:
        if count:
            out.append(InboxItem(label, count, link, urgent))

    if bodies.exists():
        add(
            _("Thông cáo dự thảo chưa trình"),
            PressRelease.objects.filter(body__in=bodies, status=PressRelease.Status.DRAFT).count(),
        )
        open_ = PressInquiry.objects.filter(body__in=bodies, status__in=selectors.OPEN_INQUIRY)
        overdue = open_.filter(due_at__lt=timezone.now()).count()
        add(_("Yêu cầu của báo chí quá hạn trả lời"), overdue, urgent=True)
        add(_("Yêu cầu của báo chí chờ trả lời"), open_.count() - overdue)
        add(
            _("Cơ quan chưa có người phát ngôn còn hiệu lực"),
            selectors.bodies_without_spokesperson(bodies=bodies).count(),
            reverse("infohub:spokesperson_admin"),
            urgent=True,
        )
    if heads.exists():
        add(
            _("Thông cáo chờ thủ trưởng duyệt"),
            PressRelease.objects.filter(body__in=heads, status=PressRelease.Status.SUBMITTED).count(),
            urgent=True,
        )
    return out
