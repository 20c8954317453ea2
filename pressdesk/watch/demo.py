"""Demonstration alerts: the default rules run over the demonstration articles through the real services.

Alerts are routed by the places the analyser found: localities (2024 bodies lead to their 2025
successors), and the Nghi Sơn economic zone's board through one routing rule the monitor keeps; stories
naming no known body wait for the monitor. The story about false information on an epidemic in Nghi
Sơn was evaluated three days ago and never answered, so it is escalated past its deadline. The monitor
follows a saved search. The answer to one alert with a press release is made in infohub's demonstration
data (it loads after this one). Idempotent: rules are looked up by name, evaluation skips articles
already evaluated, and the same story always makes the same alert.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pressdesk.core.demo import DemoContext
from pressdesk.monitoring.models import Article
from pressdesk.watch import services
from pressdesk.watch.models import Alert, AlertRule, EvaluatedArticle, RoutingRule, SavedSearch
from pressdesk.watch.search import Filters, search_catch_up

RULES = [
    ("Tin tiêu cực về tỉnh", AlertRule.Kind.NEGATIVE_TONE, AlertRule.Severity.HIGH, 48),
    ("Thông tin sai sự thật", AlertRule.Kind.FALSE_INFO, AlertRule.Severity.CRITICAL, 24),
]
# The analyser's code for the Nghi Sơn economic zone; its management board answers for what happens there.
ZONE_PLACE, ZONE_BODY = "lm:kkt-nghi-son", "bqlkkt"
# Title words of the story left unanswered: evaluated this long ago, past both rules' deadlines.
OVERDUE_TITLE, OVERDUE_AGO = "dịch bệnh tại Nghi Sơn", dt.timedelta(days=3)


def load(ctx: DemoContext) -> None:
    for name, kind, severity, hours in RULES:
        AlertRule.objects.get_or_create(
            name=name, defaults={"kind": kind, "severity": severity, "deadline_hours": hours}
        )
    monitor, board = ctx.users.get("theodoi"), ctx.orgs.get(ZONE_BODY)
    if (
        monitor is not None
        and board is not None
        and not RoutingRule.objects.filter(place_code=ZONE_PLACE).exists()
    ):
        services.routing_rule_save(actor=monitor, body_id=board.pk, place_code=ZONE_PLACE, priority=10)
    search_catch_up()
    late = list(
        Article.objects.filter(title__icontains=OVERDUE_TITLE, analysed_at__isnull=False)
        .exclude(pk__in=EvaluatedArticle.objects.values("article_id"))
        .values_list("pk", flat=True)
    )
    if late:
        services.alerts_evaluate(late, now=timezone.now() - OVERDUE_AGO)
        services.alerts_escalate_overdue()
    services.alerts_evaluate_pending(limit=10_000)
    if monitor is not None and not SavedSearch.objects.filter(owner=monitor).exists():
        services.saved_search_save(actor=monitor, name="Sầm Sơn", query="Sầm Sơn", filters=Filters())
    counts = {s: Alert.objects.filter(status=s).count() for s in Alert.Status.values}
    ctx.lines.append(
        f"Cảnh báo: {sum(counts.values())} cảnh báo từ tin bài mẫu: {counts['assigned']} đã giao cho địa phương, "
        f"Ban Quản lý KKT Nghi Sơn (samson, nghison trả lời), {counts['open']} chờ theo dõi viên (theodoi) phân công, "
        f"{counts['escalated']} quá hạn (/canh-bao/canh-bao/)."
    )
