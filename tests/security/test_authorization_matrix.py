"""Authorisation over every URL pattern and every API operation, for every role and for anonymous.

TABLE says what each persona gets. A route that exists but has no entry fails
`test_every_route_has_an_entry`, whose message lists the missing routes with entries to paste here.

Conventions:
- Pages: `Access(get=only({Role.X, ...}), post=nobody())`: GET status per persona (anonymous is sent to
  the login page: 302), and whether an empty POST gets past the permission check.
- API: key "METHOD /api/path/{param}". A GET's `get` gives the status per persona (anonymous: 401); a
  write's `post` says who may, with `body` building a valid payload (without one only the anonymous
  refusal and "no 500" can be checked, as validation may answer 422 before the role check).
- `params` builds URL parameters from real objects; without it nonexistent ids are used.
- Keys may be shell patterns ("admin:*"); an exact key wins over a pattern.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from pressdesk.accounts.models import Role
from tests.commissioning.routes_access import COMMISSIONING_ACCESS
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.security.routes import (
    ANONYMOUS,
    PERSONAS,
    ROLE_ORG_KIND,
    Access,
    ApiRoute,
    PageRoute,
    allowed_for,
    api_only,
    api_routes,
    everyone,
    nobody,
    only,
    page_routes,
    placeholder_kwargs,
    route_to_path,
    signed_in,
    skeleton,
)

ALL_ROLES = frozenset(Role.values)
ADMIN_SAMPLE = (ANONYMOUS, Role.VIEWER, Role.APPROVER)
SIGNED_IN = frozenset(Role.values)
# A POST to a nonexistent object: every signed-in persona gets past login to the object lookup (404),
# where the object's own scope (owner body, agency, routed alert) is checked; test_access/test_views of
# each app check those scopes on real objects.
LOOKUP = {**dict.fromkeys(PERSONAS, True), ANONYMOUS: False}
# Action endpoints are POST only: a signed-in GET is 405, anonymous goes to the login page.
POST_ONLY = {**dict.fromkeys(PERSONAS, 405), ANONYMOUS: 302}
PUBLIC_POST = dict.fromkeys(PERSONAS, True)
REPORT_READERS = {
    Role.PLAN_EDITOR,
    Role.APPRAISER,
    Role.COMMISSIONING_OFFICER,
    Role.APPROVER,
    Role.MONITOR,
    Role.VIEWER,
    Role.ADMINISTRATOR,
}
VERIFY_READERS = {
    Role.COMMISSIONING_OFFICER,
    Role.AGENCY_EDITOR,
    Role.RESIDENT_REPORTER,
    Role.VIEWER,
    Role.APPROVER,
    Role.ADMINISTRATOR,
}

# fmt: off
TABLE: dict[str, Access] = {
    # --- foundation and operations -----------------------------------------------------------------
    # home is not @require_GET: a POST renders the same read-only page (harmless; 405 would be tidier).
    "home": Access(get=signed_in(), post={**dict.fromkeys(PERSONAS, True), ANONYMOUS: False}),
    "login": Access(get=everyone(200), post=dict.fromkeys(PERSONAS, True)),
    "logout": Access(get=everyone(405), post=dict.fromkeys(PERSONAS, True)),
    "set_language": Access(get=everyone(302), post=dict.fromkeys(PERSONAS, True)),
    "otp-verify": Access(get={**everyone(302)}, post={ANONYMOUS: False}),
    "otp-enrol": Access(
        get={**everyone(403), ANONYMOUS: 302, Role.APPROVER: 200, Role.ADMINISTRATOR: 200},
        post={**dict.fromkeys(PERSONAS, False), Role.APPROVER: True, Role.ADMINISTRATOR: True},
    ),
    "healthz": Access(get=everyone(200), post=nobody()),
    "metrics": Access(get=everyone(200), post=nobody(), note="allowed by address: the test client is 127.0.0.1"),
    # --- the API's own pages -------------------------------------------------------------------------
    # The schema and its viewer are public and read-only; ninja answers any method with the document.
    "api:openapi-json": Access(get=everyone(200), post=None),
    "api:openapi-view": Access(get=everyone(200), post=None),
    "api:api-root": Access(get=None, post=None, note="not a page: ninja's prefix pattern"),
    # --- Django admin: only the administrator (is_staff) gets in; everyone else goes to its login ---------
    # (three personas per admin page keep the run short; the admin checks is_staff uniformly)
    "admin:*": Access(
        get=dict.fromkeys(ADMIN_SAMPLE, 302),
        post=dict.fromkeys(ADMIN_SAMPLE, False),
        note="every admin page; the superuser's own access is checked in test_admin_is_open_to_the_administrator",
    ),
    # Unnamed admin patterns: <object_id>/ redirects to its change page (checked above) and the catch-all.
    "pattern:quan-tri/*": Access(get=dict.fromkeys(ADMIN_SAMPLE, 302), post=None),
    "admin:login": Access(get={**everyone(200), Role.ADMINISTRATOR: 302}, post=dict.fromkeys(PERSONAS, True)),
    "admin:logout": Access(get={**everyone(302), Role.ADMINISTRATOR: 405}, post=None),
    "admin:view_on_site": Access(get={ANONYMOUS: 302}, post=None, note="redirect helper"),
    # --- plans: every signed-in user reads the plan; only the plan editor imports and edits -------------
    "plans:index": Access(get=signed_in(), post=LOOKUP, note="POST: area keyword form, checked in plans tests"),
    "plans:import": Access(get=only({Role.PLAN_EDITOR}), post=allowed_for({Role.PLAN_EDITOR})),
    **{
        f"plans:{name}": Access(get=signed_in(404), post=LOOKUP)
        for name in ("detail", "orientations", "area", "topic", "event")
    },
    "plans:orientation_new": Access(
        get=only({Role.PLAN_EDITOR}, 404), post=allowed_for({Role.PLAN_EDITOR})
    ),
    "GET /api/plans/": Access(get=api_only(SIGNED_IN)),
    "GET /api/plans/{year}": Access(get=api_only(frozenset(), denied=404)),
    "PATCH /api/plans/topics/{topic_id}": Access(post=allowed_for({Role.PLAN_EDITOR})),
    # --- commissioning (entries kept beside its tests) --------------------------------------------------
    **COMMISSIONING_ACCESS,
    # --- monitoring sources: the monitor reads, the administrator adds ----------------------------------
    "monitoring:sources": Access(
        get=only({Role.MONITOR, Role.ADMINISTRATOR}), post=allowed_for({Role.MONITOR, Role.ADMINISTRATOR})
    ),
    "monitoring:source_add": Access(get=only({Role.ADMINISTRATOR}), post=allowed_for({Role.ADMINISTRATOR})),
    "monitoring:source": Access(
        get=only({Role.MONITOR, Role.ADMINISTRATOR}, 404), post=allowed_for({Role.MONITOR, Role.ADMINISTRATOR})
    ),
    # --- watch: search and alerts for every signed-in user (alerts scoped to the answering body) --------
    "watch:index": Access(get=signed_in(), post=LOOKUP),
    "watch:alerts": Access(get=signed_in(), post=LOOKUP),
    "watch:social": Access(get=signed_in(), post=LOOKUP, note="anyone reports a post; import is the monitor's"),
    "watch:saved_open": Access(get=signed_in(404), post=LOOKUP),
    "watch:alert": Access(get=signed_in(404), post=LOOKUP),
    "watch:saved_delete": Access(get=POST_ONLY, post=LOOKUP),
    "watch:rules": Access(
        get=only({Role.MONITOR, Role.ADMINISTRATOR}), post=allowed_for({Role.MONITOR, Role.ADMINISTRATOR})
    ),
    "GET /api/watch/search": Access(get=api_only(SIGNED_IN)),
    "GET /api/watch/alerts": Access(get=api_only(SIGNED_IN)),
    "GET /api/watch/alerts/{alert_id}": Access(get=api_only(frozenset(), denied=404)),
    "POST /api/watch/alerts/{alert_id}/answer": Access(post=allowed_for(SIGNED_IN)),
    "POST /api/watch/alerts/{alert_id}/close": Access(post=allowed_for(SIGNED_IN)),
    # --- information hub: public pages and feeds; bodies draft, agencies ask ---------------------------
    "infohub:index": Access(get=signed_in(), post=LOOKUP),
    "infohub:public_list": Access(get=everyone(200), post=PUBLIC_POST),
    "infohub:feed_all": Access(get=everyone(200), post=PUBLIC_POST),
    "infohub:spokespersons": Access(get=everyone(200), post=PUBLIC_POST),
    **{
        f"infohub:{name}": Access(get=everyone(404), post=PUBLIC_POST)
        for name in ("public_body", "feed_body", "public_detail", "attachment", "subscription_confirm")
    },
    "infohub:subscribe": Access(get=everyone(405), post=PUBLIC_POST, note="public form, POST only"),
    "infohub:subscription_unsubscribe": Access(
        get=everyone(200), post=PUBLIC_POST, note="a confirmation page; unknown tokens change nothing"
    ),
    "infohub:release_new": Access(
        get=only({Role.BODY_OFFICER, Role.BODY_HEAD}), post=allowed_for({Role.BODY_OFFICER, Role.BODY_HEAD})
    ),
    "infohub:release_detail": Access(get=signed_in(404), post=LOOKUP),
    "infohub:release_edit": Access(get=signed_in(404), post=LOOKUP),
    "infohub:release_action": Access(get=POST_ONLY, post=LOOKUP),
    "infohub:inquiry_new": Access(
        get=only({Role.AGENCY_EDITOR, Role.RESIDENT_REPORTER}),
        post=allowed_for({Role.AGENCY_EDITOR, Role.RESIDENT_REPORTER}),
    ),
    "infohub:inquiry_detail": Access(get=signed_in(404), post=LOOKUP),
    "infohub:inquiry_action": Access(get=POST_ONLY, post=LOOKUP),
    "infohub:spokesperson_admin": Access(
        get=only({Role.BODY_OFFICER, Role.BODY_HEAD, Role.MONITOR, Role.ADMINISTRATOR}),
        post=allowed_for({Role.BODY_OFFICER, Role.BODY_HEAD, Role.MONITOR, Role.ADMINISTRATOR}),
    ),
    "infohub:events": Access(
        get=signed_in(),
        post=allowed_for({Role.BODY_OFFICER, Role.BODY_HEAD, Role.SPOKESPERSON, Role.MONITOR}),
    ),
    "infohub:event_action": Access(get=POST_ONLY, post=LOOKUP),
    "infohub:collaborators": Access(
        get=only({Role.AGENCY_EDITOR, Role.MONITOR, Role.ADMINISTRATOR}), post=allowed_for({Role.AGENCY_EDITOR})
    ),
    "infohub:reporters": Access(get=signed_in(), post=allowed_for({Role.RESIDENT_REPORTER})),
    "infohub:websites": Access(
        get=signed_in(), post=allowed_for({Role.BODY_OFFICER, Role.BODY_HEAD, Role.ADMINISTRATOR})
    ),
    "GET /api/infohub/releases/published/": Access(get=everyone(200)),
    "GET /api/infohub/releases/": Access(get=api_only(SIGNED_IN)),
    "GET /api/infohub/inquiries/": Access(get=api_only(SIGNED_IN)),
    **{
        f"POST /api/infohub/{path}": Access(post=allowed_for(SIGNED_IN))
        for path in (
            "releases/",
            "releases/{release_id}/submit/",
            "releases/{release_id}/approve/",
            "inquiries/",
            "inquiries/{inquiry_id}/answer/",
        )
    },
    # --- reports: the leadership and the departments that run the plan; deliveries for their parties ----
    "reports:index": Access(get=only(REPORT_READERS), post=nobody()),
    "reports:csv": Access(get=only(REPORT_READERS, 404), post=nobody()),
    "reports:report_download": Access(get=only(REPORT_READERS, 404), post=nobody()),
    "reports:plotly_js": Access(get=everyone(200), post=nobody(), note="the charting library, static"),
    "reports:report_create": Access(get=POST_ONLY, post=allowed_for(REPORT_READERS)),
    "reports:verifications": Access(get=only(VERIFY_READERS), post=nobody()),
    "reports:verification": Access(get=signed_in(404), post=nobody()),
    "reports:verification_run": Access(get=POST_ONLY, post=LOOKUP),
    "reports:verification_decide": Access(get=POST_ONLY, post=LOOKUP),
    "reports:suggestion_link": Access(
        get=POST_ONLY, post=LOOKUP, note="the service refuses all but the commissioning officer (reports tests)"
    ),
    "GET /api/reports/coverage": Access(get=api_only(SIGNED_IN, 422), note="without a plan: 422"),
}
# fmt: on


def _entry(key: str) -> Access | None:
    if key in TABLE:
        return TABLE[key]
    for pattern, access in TABLE.items():
        if any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(key, pattern):
            return access
    return None


@pytest.fixture
def personas(db: Any) -> dict[str, Any]:
    """One user per role (in an organisation of the matching kind); the administrator is a superuser."""
    users: dict[str, Any] = {ANONYMOUS: None}
    for role in Role.values:
        org = OrganisationFactory(kind=ROLE_ORG_KIND[role])
        admin = role == Role.ADMINISTRATOR
        user = UserFactory(username=f"persona_{role}", is_staff=admin, is_superuser=admin)
        MembershipFactory(user=user, organisation=org, role=role)
        users[role] = user
    return users


def _client(personas: Mapping[str, Any], persona: str) -> Client:
    client = Client()
    if personas[persona] is not None:
        client.force_login(personas[persona])
    return client


def _is_refusal(response: Any) -> bool:
    if response.status_code in (401, 403, 405):
        return True
    # A refusal sends the visitor to a login page *with* ?next= (a logout's plain redirect is not one).
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return ("/dang-nhap/" in location or "/quan-tri/login/" in location) and "next=" in location


def _page_url(route: PageRoute, access: Access, personas: Mapping[str, Any]) -> str:
    kwargs = access.params(personas) if access.params else placeholder_kwargs(route)
    if route.name is None:
        return "/" + route_to_path(route.route, kwargs)
    return reverse(route.name, kwargs=kwargs or None)


def test_every_route_has_an_entry():
    missing_pages = [r for r in page_routes() if _entry(r.key) is None]
    missing_api = [r for r in api_routes() if _entry(r.key) is None]
    if missing_pages or missing_api:
        lines = ["Routes without an entry in TABLE (tests/security/test_authorization_matrix.py):"]
        lines += [skeleton(r.key, api=False, params=tuple(r.converters)) for r in missing_pages]
        lines += [
            skeleton(r.key, api=True, params=tuple(re.findall(r"{(\w+)}", r.path))) for r in missing_api
        ]
        pytest.fail("\n".join(lines), pytrace=False)


def test_table_has_no_stale_entries():
    known = {r.key for r in page_routes()} | {r.key for r in api_routes()}
    stale = [key for key in TABLE if not any(ch in key for ch in "*?[") and key not in known]
    assert stale == [], f"TABLE entries for routes that no longer exist: {stale}"


@pytest.mark.django_db
def test_pages_answer_each_persona_as_the_table_says(personas):
    problems: list[str] = []
    for route in page_routes():
        access = _entry(route.key)
        if access is None:
            continue  # reported by test_every_route_has_an_entry
        try:
            url = _page_url(route, access, personas)
        except (NoReverseMatch, AssertionError) as exc:
            problems.append(f"{route.key}: cannot build its URL ({exc}); add params= to its entry")
            continue
        for persona in PERSONAS:
            client = _client(personas, persona)
            if access.get is not None and persona in access.get:
                status = client.get(url).status_code
                if status != access.get[persona]:
                    problems.append(
                        f"GET {url} [{route.key}] as {persona}: {status}, expected {access.get[persona]}"
                    )
            if access.post is not None and persona in access.post:
                response = client.post(url, {})
                if response.status_code >= 500:
                    problems.append(f"POST {url} as {persona}: {response.status_code}")
                elif access.post[persona] == _is_refusal(response):
                    want = "allowed" if access.post[persona] else "refused"
                    problems.append(
                        f"POST {url} [{route.key}] as {persona}: {response.status_code}, expected {want}"
                    )
    assert problems == [], "\n".join(problems)


def _api_url(route: ApiRoute, access: Access, personas: Mapping[str, Any]) -> str:
    params = access.params(personas) if access.params else {}
    path = route.path
    for name in [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]:
        path = path.replace("{" + name + "}", str(params.get(name, 999999)))
    return path


@pytest.mark.django_db
def test_api_operations_answer_each_persona_as_the_table_says(personas):
    problems: list[str] = []
    for route in api_routes():
        access = _entry(route.key)
        if access is None:
            continue
        url = _api_url(route, access, personas)
        for persona in PERSONAS:
            client = _client(personas, persona)
            if route.method == "GET":
                response = client.get(url)
                expected = access.get.get(persona) if access.get else None
                if expected is not None and response.status_code != expected:
                    problems.append(f"{route.key} as {persona}: {response.status_code}, expected {expected}")
            else:
                body = access.body(personas) if access.body else {}
                response = client.generic(
                    route.method, url, data=_json(body), content_type="application/json"
                )
                if persona == ANONYMOUS and response.status_code != 401:
                    problems.append(f"{route.key} as anonymous: {response.status_code}, expected 401")
                checked = access.body is not None and access.post is not None and persona in access.post
                if checked and access.post[persona] == _is_refusal(response):  # type: ignore[index]
                    want = "allowed" if access.post[persona] else "refused"  # type: ignore[index]
                    problems.append(f"{route.key} as {persona}: {response.status_code}, expected {want}")
            if response.status_code >= 500:
                problems.append(f"{route.key} as {persona}: {response.status_code}")
    assert problems == [], "\n".join(problems)


def _json(body: Mapping[str, Any]) -> str:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(body, cls=DjangoJSONEncoder)


@pytest.mark.django_db
def test_admin_is_open_to_the_administrator(personas):
    client = _client(personas, Role.ADMINISTRATOR)
    assert client.get(reverse("admin:index")).status_code == 200
    for name in ("admin:accounts_user_changelist", "admin:core_transitionrecord_changelist"):
        assert client.get(reverse(name)).status_code == 200, name
