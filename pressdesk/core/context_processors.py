from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which sections the user sees in the menu, by role (the views check permissions themselves)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": set()}
    from pressdesk.accounts.permissions import active_roles

    return {"nav_roles": active_roles(user)}
