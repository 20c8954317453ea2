from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which sections the user sees in the menu, by role (the views check permissions themselves)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": set(), "nav_sources": False, "nav_reports": False}
    from pressdesk.accounts.models import Role
    from pressdesk.accounts.permissions import active_roles
    from pressdesk.reports.selectors import can_read_reports

    roles = active_roles(user)
    return {
        "nav_roles": roles,
        # the same role sets as the views' own checks (monitoring sources, reports dashboard)
        "nav_sources": bool(roles & {Role.MONITOR, Role.ADMINISTRATOR}),
        "nav_reports": can_read_reports(user),
    }
