"""Route discovery and personas for the authorisation matrix (tests/security/test_authorization_matrix.py).

Every page URL pattern comes from walking Django's resolver; every API operation from the NinjaAPI's
OpenAPI document. A route key is `namespace:name` for a named page pattern, `pattern:<route>` for an
unnamed one, and `METHOD /api/path/{param}` for an API operation.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from pressdesk.accounts.models import OrgKind, Role

ANONYMOUS = "anonymous"
PERSONAS: tuple[str, ...] = (ANONYMOUS, *Role.values)

# The organisation kind each role's persona belongs to (as in the demo data).
ROLE_ORG_KIND: dict[str, str] = {
    Role.PLAN_EDITOR: OrgKind.PROPAGANDA,
    Role.APPRAISER: OrgKind.PROPAGANDA,
    Role.COMMISSIONING_OFFICER: OrgKind.INFORMATION,
    Role.APPROVER: OrgKind.PEOPLES_COMMITTEE,
    Role.AGENCY_EDITOR: OrgKind.CENTRAL_PRESS,
    Role.RESIDENT_REPORTER: OrgKind.REPRESENTATIVE_OFFICE,
    Role.BODY_OFFICER: OrgKind.LOCALITY,
    Role.BODY_HEAD: OrgKind.LOCALITY,
    Role.SPOKESPERSON: OrgKind.LOCALITY,
    Role.MONITOR: OrgKind.INFORMATION,
    Role.VIEWER: OrgKind.PEOPLES_COMMITTEE,
    Role.ADMINISTRATOR: OrgKind.INFORMATION,
}

# API patterns other than the OpenAPI document and its viewer are covered through the OpenAPI walk.
API_PAGE_NAMES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


@dataclass(frozen=True)
class PageRoute:
    key: str
    name: str | None
    route: str
    converters: dict[str, str]


@dataclass(frozen=True)
class ApiRoute:
    key: str
    method: str
    path: str


@dataclass(frozen=True)
class Access:
    """What each persona gets.

    get: persona → expected status of a GET (missing personas are not checked; None: GET not tested).
    post: persona → True if a POST (empty form / `body`) must get past the permission check, False if it
      must be refused (401, 403, 405, or a redirect to a login page). None: POST not tested.
    params: personas → URL kwargs (page) or {param: value} (API path), built from real objects; without
      it, placeholders (nonexistent ids) are used.
    body: personas → JSON body for API POST/PUT/PATCH (without it, `{}` is sent and only anonymous
      refusal and "no 500" are checked, since validation may answer 422 before the role check).
    """

    get: Mapping[str, int] | None = None
    post: Mapping[str, bool] | None = None
    params: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    body: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    note: str = field(default="", compare=False)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def signed_in(ok: int = 200, *, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(ok), ANONYMOUS: anonymous}


def only(
    roles: set[str] | frozenset[str], ok: int = 200, *, denied: int = 403, anonymous: int = 302
) -> dict[str, int]:
    return {p: (anonymous if p == ANONYMOUS else ok if p in roles else denied) for p in PERSONAS}


def api_only(roles: set[str] | frozenset[str], ok: int = 200, *, denied: int = 403) -> dict[str, int]:
    return only(roles, ok, denied=denied, anonymous=401)


def allowed_for(roles: set[str] | frozenset[str]) -> dict[str, bool]:
    return {p: p in roles for p in PERSONAS}


def nobody() -> dict[str, bool]:
    return dict.fromkeys(PERSONAS, False)


def _walk(
    patterns: list[Any], prefix: str, namespace: str, converters: dict[str, str]
) -> Iterator[PageRoute]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        merged = {**converters, **_converters(entry)}
        if isinstance(entry, URLResolver):
            ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry.url_patterns, route, ns, merged)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            key = name or f"pattern:{route}"
            yield PageRoute(key=key, name=name, route=route, converters=merged)


def _converters(entry: Any) -> dict[str, str]:
    pattern = entry.pattern
    out: dict[str, str] = {}
    for param, converter in getattr(pattern, "converters", {}).items():
        out[param] = type(converter).__name__
    regex = getattr(pattern, "_regex", None) or ""
    if not getattr(pattern, "converters", None):
        for param in re.findall(r"\(\?P<(\w+)>", regex):
            out.setdefault(param, "regex")
    return out


def page_routes() -> list[PageRoute]:
    routes = []
    for route in _walk(get_resolver().url_patterns, "", "", {}):
        if route.route.startswith("api/") and route.key not in API_PAGE_NAMES:
            continue
        routes.append(route)
    return routes


def api_routes() -> list[ApiRoute]:
    from pressdesk.api import api

    schema = api.get_openapi_schema()
    out = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method.lower() in {"get", "post", "put", "patch", "delete"}:
                out.append(ApiRoute(key=f"{method.upper()} {path}", method=method.upper(), path=path))
    return out


PLACEHOLDERS = {
    "IntConverter": 999999,
    "StringConverter": "x",
    "SlugConverter": "x",
    "PathConverter": "999999",
}


def placeholder_kwargs(route: PageRoute) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for param, converter in route.converters.items():
        if converter == "UUIDConverter":
            kwargs[param] = uuid.UUID(int=1)
        elif param == "app_label":
            kwargs[param] = "accounts"
        else:
            kwargs[param] = PLACEHOLDERS.get(converter, "999999")
    return kwargs


def route_to_path(route: str, kwargs: Mapping[str, Any]) -> str:
    """A path for an unnamed pattern: converters and regex groups filled with the placeholders."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs.get(m[1], "999999")), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs.get(m[1], "no-such-page/")), path)
    return path.lstrip("^").rstrip("$")


def skeleton(key: str, *, api: bool, params: list[str] | tuple[str, ...] = ()) -> str:
    """A ready-to-paste table entry for a route the table does not know yet."""
    extra = ""
    if params:
        extra = ", params=lambda p: {" + ", ".join(f'"{name}": ...' for name in params) + "}"
    if api:
        if key.startswith("GET "):
            return f'    "{key}": Access(get=api_only({{...roles...}}){extra}),'
        return f'    "{key}": Access(post=allowed_for({{...roles...}}), body=lambda p: {{...}}{extra}),'
    return f'    "{key}": Access(get=only({{...roles...}}), post=nobody(){extra}),'
