"""The JSON API: one NinjaAPI, a router per app, session or token authentication, OpenAPI at /api/schema/."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.security import APIKeyHeader, django_auth

from pressdesk.commissioning.api import router as commissioning_router
from pressdesk.core.errors import DomainError, ValidationFailed
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


class JsonObjectParser(Parser):
    """Every body this API takes is a JSON object. Left alone, ninja reads `"abc"`, `[1]` or `null` as an
    empty object, so a body with only optional fields (a note) would be accepted whatever it holds; the
    ValueError becomes ninja's 400 "Cannot parse request body"."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


api = NinjaAPI(
    title="PressDesk API",
    version="1",
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    auth=[TokenAuth(), django_auth],
    parser=JsonObjectParser(),
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.as_dict()}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": {"code": "forbidden", "message": "Không có quyền"}}, status=403
    )


# Input the database cannot store: pydantic accepts any int and any text, but SQLite binds at most
# 64 bits (OverflowError) and PostgreSQL refuses NUL characters, numbers beyond a column's range and
# text longer than its column (DataError). That is the client's fault: a 422 saying so, not a 500.
# The exception has left every atomic block by the time it gets here, so nothing half-done remains.
_OUT_OF_RANGE = ValidationFailed("value.out_of_range", "Có giá trị số vượt quá giới hạn cho phép.")


@api.exception_handler(OverflowError)
def number_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    return domain_error(request, _OUT_OF_RANGE)


@api.exception_handler(DataError)
def value_not_storable(request: HttpRequest, exc: DataError) -> HttpResponse:
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate == "22003":  # numeric_value_out_of_range
        return domain_error(request, _OUT_OF_RANGE)
    if sqlstate == "22001":  # string_data_right_truncation
        return domain_error(
            request, ValidationFailed("value.too_long", "Có văn bản dài quá giới hạn cho phép.")
        )
    return domain_error(
        request,
        ValidationFailed(
            "value.not_storable",
            "Dữ liệu gửi lên không lưu được: có ký tự không hợp lệ (ví dụ ký tự NUL) hoặc giá trị sai kiểu.",
        ),
    )


api.add_router("/plans/", plans_router)
api.add_router("/commissioning/", commissioning_router)
api.add_router("/monitoring/", monitoring_router)
api.add_router("/infohub/", infohub_router)
api.add_router("/reports/", reports_router)
api.add_router("/watch/", watch_router)
