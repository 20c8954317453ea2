"""Role checks used by every view, API handler and service. Permissions follow the role, never a name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from pressdesk.accounts.models import Membership, Organisation, Role


def active_memberships(user: Any, *, on: dt.date | None = None) -> QuerySet[Membership]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Membership.objects.none()
    day = on or timezone.localdate()
    return Membership.objects.filter(user=user).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def active_roles(user: Any) -> set[str]:
    roles = set(active_memberships(user).values_list("role", flat=True))
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMINISTRATOR)
    return roles


def has_role(user: Any, roles: str | Iterable[str], *, organisation: Organisation | None = None) -> bool:
    wanted = [roles] if isinstance(roles, str) else list(roles)
    qs = active_memberships(user).filter(role__in=wanted)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.exists()


def require_role(
    user: Any, roles: str | Iterable[str], *, organisation: Organisation | None = None
) -> Membership:
    """The first active membership giving one of `roles` (at `organisation` if given), else 403."""
    wanted = [roles] if isinstance(roles, str) else list(roles)
    qs = active_memberships(user).filter(role__in=wanted).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    membership = qs.order_by("pk").first()
    if membership is None:
        raise PermissionDenied("role_required")
    return membership


def organisations_with_role(user: Any, roles: str | Iterable[str]) -> QuerySet[Organisation]:
    wanted = [roles] if isinstance(roles, str) else list(roles)
    ids = active_memberships(user).filter(role__in=wanted).values_list("organisation_id", flat=True)
    return Organisation.objects.filter(pk__in=list(ids))


def require_any_role(user: Any) -> set[str]:
    """Logged-in users with at least one active role; everyone else gets 403."""
    roles = active_roles(user)
    if not roles:
        raise PermissionDenied("no_role")
    return roles
