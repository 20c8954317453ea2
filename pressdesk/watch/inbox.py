"""Dashboard items: alerts waiting for my answer, unread notifications, new saved-search matches."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pressdesk.core.inbox import InboxItem
from pressdesk.watch.models import Alert, Notification
from pressdesk.watch.selectors import alerts_visible_to, can_search


def items(user: Any) -> list[InboxItem]:
    if not can_search(user):
        return []
    out: list[InboxItem] = []
    waiting = alerts_visible_to(user).filter(
        status__in=[Alert.Status.OPEN, Alert.Status.ASSIGNED, Alert.Status.ESCALATED]
    )
    count = waiting.count()
    if count:
        out.append(
            InboxItem(
                label=_("Cảnh báo chờ xử lý"),
                count=count,
                url=reverse("watch:alerts"),
                urgent=waiting.filter(status=Alert.Status.ESCALATED).exists(),
            )
        )
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    if unread:
        out.append(
            InboxItem(label=_("Thông báo cảnh báo chưa đọc"), count=unread, url=reverse("watch:alerts"))
        )
    return out
