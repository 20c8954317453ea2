"""Demonstration alerts: the default rules run over the demonstration articles through the real services.

Alerts are routed by the places the analyser found (2024 localities lead to their 2025 successors), the
monitor follows a saved search, and one alert is past its deadline and escalated. The answer to one alert
with a press release is made in infohub's demonstration data (it loads after this one).
Idempotent: the rules are looked up by name and the evaluation skips articles already evaluated.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pressdesk.core.demo import DemoContext
from pressdesk.watch import services
from pressdesk.watch.models import Alert, AlertRule, SavedSearch
from pressdesk.watch.search import Filters, search_catch_up

RULES = [
    ("Tin tiêu cực về tỉnh", AlertRule.Kind.NEGATIVE_TONE, AlertRule.Severity.HIGH, 48),
    ("Thông tin sai sự thật", AlertRule.Kind.FALSE_INFO, AlertRule.Severity.CRITICAL, 24),
]


def load(ctx: DemoContext) -> None:
    for name, kind, severity, hours in RULES:
        AlertRule.objects.get_or_create(
            name=name, defaults={"kind": kind, "severity": severity, "deadline_hours": hours}
        )
    search_catch_up()
    services.alerts_evaluate_pending(limit=10_000)
    monitor = ctx.users.get("theodoi")
    if monitor is not None and not SavedSearch.objects.filter(owner=monitor).exists():
        services.saved_search_save(actor=monitor, name="Sầm Sơn", query="Sầm Sơn", filters=Filters())
    # One alert about Nghi Sơn was left unanswered past its deadline: the monitor sees it escalated.
    late = (
        Alert.objects.filter(status=Alert.Status.ASSIGNED, title__icontains="Nghi Sơn").order_by("pk").first()
    )
    if late is not None:
        Alert.objects.filter(pk=late.pk).update(deadline=timezone.now() - dt.timedelta(hours=2))
        services.alerts_escalate_overdue()
    counts = {s: Alert.objects.filter(status=s).count() for s in Alert.Status.values}
    ctx.lines.append(
        f"Cảnh báo: {sum(counts.values())} cảnh báo từ tin bài mẫu: {counts['assigned']} đã giao cho địa phương "
        f"(samson, nghison trả lời), {counts['open']} chờ theo dõi viên phân công, {counts['escalated']} quá hạn "
        "(/canh-bao/canh-bao/)."
    )
