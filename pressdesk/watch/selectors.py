"""Reads of the monitoring workspace, scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Role
from pressdesk.accounts.permissions import active_roles, organisations_with_role
from pressdesk.core.errors import NotFound
from pressdesk.watch.models import Alert, AlertRule, SavedSearch
from pressdesk.watch.search import Filters, count_label, count_matches
from pressdesk.watch.services import ANSWER_ROLES

SEE_ALL_ROLES = {Role.MONITOR, Role.ADMINISTRATOR, Role.VIEWER}


def can_search(user: Any) -> bool:
    return bool(active_roles(user))


def can_manage(user: Any) -> bool:
    return bool(active_roles(user) & {Role.MONITOR, Role.ADMINISTRATOR})


def alerts_visible_to(user: Any) -> QuerySet[Alert]:
    """Monitors (and read-only viewers) see every alert; an answering body sees only its own."""
    qs = Alert.objects.select_related("rule", "body", "cluster", "article")
    if active_roles(user) & SEE_ALL_ROLES:
        return qs
    bodies = organisations_with_role(user, ANSWER_ROLES)
    return qs.filter(body__in=bodies)


def alert_for(user: Any, alert_id: int) -> Alert:
    alert = alerts_visible_to(user).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("alert.not_found", _("Không tìm thấy cảnh báo."))
    return alert


def can_answer(user: Any, alert: Alert) -> bool:
    if alert.body_id is None:
        return False
    return organisations_with_role(user, ANSWER_ROLES).filter(pk=alert.body_id).exists()


def saved_searches_with_counts(user: Any) -> list[tuple[SavedSearch, str]]:
    """Each saved search with its new matches in words ("3 kết quả mới", "hơn 1.000 kết quả mới", "")."""
    rows = []
    for saved in SavedSearch.objects.filter(owner=user):
        filters = Filters.from_mapping(saved.filters)
        new = count_matches(query=saved.query, filters=filters, since=saved.last_seen_at)
        rows.append((saved, _("%(n)s mới") % {"n": count_label(new)} if new else ""))
    return rows


def enabled_rules() -> QuerySet[AlertRule]:
    return AlertRule.objects.filter(enabled=True)
