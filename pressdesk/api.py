"""The JSON API: one NinjaAPI, a router per app, session or token authentication, OpenAPI at /api/schema/."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import APIKeyHeader, django_auth

from pressdesk.commissioning.api import router as commissioning_router
from pressdesk.core.errors import DomainError
from pressdesk.infohub.api import router as infohub_router
from pressdesk.monitoring.api import router as monitoring_router
from pressdesk.plans.api import router as plans_router
from pressdesk.reports.api import router as reports_router
from pressdesk.watch.api import router as watch_router


class TokenAuth(APIKeyHeader):
    """`Authorization: Token <key>` with a key issued by `pressdesk token USERNAME`."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from pressdesk.accounts.services import user_for_token

        if not key or not key.startswith("Token "):
            return None
        user = user_for_token(key.removeprefix("Token ").strip())
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="PressDesk API",
    version="1",
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    auth=[TokenAuth(), django_auth],
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.as_dict()}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": {"code": "forbidden", "message": "Không có quyền"}}, status=403
    )


api.add_router("/plans/", plans_router)
api.add_router("/commissioning/", commissioning_router)
api.add_router("/monitoring/", monitoring_router)
api.add_router("/infohub/", infohub_router)
api.add_router("/reports/", reports_router)
api.add_router("/watch/", watch_router)
