"""Schemathesis over every operation of the OpenAPI document, in process against the WSGI app.

One persona holds every role in the demonstration bodies (so requests reach the services, not only the
permission checks) and calls with an API token. Requests that fit the schema must never get a 5xx and
every answer must match the schema's content type, headers and body; generated ids are mixed with ids
of rows that exist, so some requests reach real objects. Requests that break the schema must get a
4xx. Status codes are not checked against the document: ninja documents only the success answers,
while the 4xx answers (403, 404, 409, 422) are the point of the refusals.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.db.models import Model
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
)

from pressdesk.accounts.models import Membership, Organisation, Outlet, Role, User
from pressdesk.accounts.services import token_issue
from pressdesk.commissioning.models import (
    ApprovalPackage,
    Contract,
    ContractAmendment,
    ContractItem,
    Delivery,
    OrderRound,
    Proposal,
    ProposalItem,
)
from pressdesk.core.demo import DemoContext
from pressdesk.infohub.models import PressInquiry, PressRelease
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic
from pressdesk.watch.models import Alert
from tests.fuzz.profile import FUZZ

# The demonstration data without monitoring's articles (their analysis takes a minute).
DEMO_APPS = ("accounts", "plans", "commissioning", "infohub", "watch", "reports")
# Bounded so the suite stays fast; raise it locally to dig deeper (PRESSDESK_FUZZ_EXAMPLES=200).
EXAMPLES_PER_OPERATION = int(os.environ.get("PRESSDESK_FUZZ_EXAMPLES", "12"))
NEGATIVE_EXAMPLES_PER_OPERATION = max(1, EXAMPLES_PER_OPERATION // 2)

# Which rows a path's `{pk}` stands for, by path prefix.
PATH_MODELS: list[tuple[str, type[Model]]] = [
    ("/api/commissioning/rounds/", OrderRound),
    ("/api/commissioning/proposals/", Proposal),
    ("/api/commissioning/packages/", ApprovalPackage),
    ("/api/commissioning/contracts/", Contract),
    ("/api/commissioning/items/", ProposalItem),
    ("/api/commissioning/deliveries/", Delivery),
    ("/api/commissioning/amendments/", ContractAmendment),
]
NAMED_MODELS: dict[str, type[Model]] = {
    "topic_id": Topic,
    "release_id": PressRelease,
    "inquiry_id": PressInquiry,
    "alert_id": Alert,
    "plan_id": Plan,
    "area_id": ContentArea,
    "event_id": KeyEvent,
    "outlet_id": Outlet,
    "round_id": OrderRound,
    "package_id": ApprovalPackage,
    "contract_item_id": ContractItem,
    "agency_id": Organisation,
    "body_id": Organisation,
    "appraiser_org_id": Organisation,
    "approver_org_id": Organisation,
}


def _load_demo() -> None:
    ctx = DemoContext()
    for app in DEMO_APPS:
        importlib.import_module(f"pressdesk.{app}.demo").load(ctx)


def _persona() -> User:
    """A user holding every role of every demonstration membership, plus administrator."""
    user = User.objects.create_user(username="fuzz", password="not-used-fuzz-2024")  # noqa: S106
    for organisation_id, role in set(Membership.objects.values_list("organisation_id", "role")):
        Membership.objects.create(user=user, organisation_id=organisation_id, role=role)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.order_by("pk").first(), role=Role.ADMINISTRATOR
    )
    return user


def _pools() -> dict[Any, list[Any]]:
    pools: dict[Any, list[Any]] = {
        model: list(model.objects.order_by("pk").values_list("pk", flat=True)[:20])
        for _prefix, model in PATH_MODELS
    }
    for name, model in NAMED_MODELS.items():
        pools[name] = list(model.objects.order_by("pk").values_list("pk", flat=True)[:20])
    pools["year"] = sorted(set(Plan.objects.values_list("year", flat=True)))
    pools["plan"] = pools["year"]
    # Valid periods, an invalid month, and years at the ends of the calendar.
    pools["period"] = ["2024", "2024-Q2", "2024-05", "2024-13", "0000", "0000-01", "9999-12"]
    pools["action"] = ["submit", "withdraw", "return", "endorse", "reject"]
    return pools


def _existing_or(strategy: st.SearchStrategy[Any], pool: list[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, st.sampled_from(pool)) if pool else strategy


@pytest.fixture
def _keep_connection() -> Iterator[None]:
    """Like Django's test client: requests must not close the connection that holds the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db: Any, settings: Any, _keep_connection: None) -> dict[str, str]:
    """The demonstration data and the persona's API token header."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _load_demo()
    return {"Authorization": f"Token {token_issue(user=_persona(), name='fuzz')}"}


def _schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())


def _mix_existing_ids(schema: Any) -> None:
    """Hooks that put ids of existing rows (and known-good values) among the generated ones."""
    pools = _pools()

    @schema.hook
    def flatmap_path_parameters(context: Any, parameters: dict[str, Any] | None) -> Any:
        if not parameters:
            return st.just(parameters)
        path = context.operation.path
        model = next((m for prefix, m in PATH_MODELS if path.startswith(prefix)), None)
        return st.fixed_dictionaries(
            {
                name: _existing_or(st.just(value), pools.get(model if name == "pk" else name, []))
                for name, value in parameters.items()
            }
        )

    @schema.hook
    def flatmap_query(context: Any, query: dict[str, Any] | None) -> Any:
        if not query:
            return st.just(query)
        return st.fixed_dictionaries(
            {name: _existing_or(st.just(value), pools.get(name, [])) for name, value in query.items()}
        )

    @schema.hook
    def flatmap_body(context: Any, body: Any) -> Any:
        if not isinstance(body, dict):
            return st.just(body)
        return st.fixed_dictionaries(
            {name: _existing_or(st.just(value), pools.get(name, [])) for name, value in body.items()}
        )


def _run(
    operations: list[Any], strategy_for: Any, headers: dict[str, str], checks: list[Any], examples: int
) -> list[str]:
    # One loop rather than schemathesis' pytest plugin (its lazy loader fails on pytest 9.2, which dropped
    # Function._nodeid): the demonstration data load once, and each example runs in a savepoint that is
    # rolled back, so examples stay independent and a database error in one cannot poison the next
    # (PostgreSQL aborts the whole transaction on an error).
    failures: list[str] = []
    for operation in operations:

        @settings(FUZZ, max_examples=examples)
        @given(case=strategy_for(operation))
        def call(case: Any) -> None:
            with transaction.atomic():
                response = case.call(headers=headers)
                transaction.set_rollback(True)
            case.validate_response(response, checks=checks)

        try:
            call()
        except (Exception, FailureGroup) as exc:  # every operation's failure is reported, not only the first
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:3000]}")
    return failures


def test_no_operation_answers_with_a_server_error_or_outside_its_schema(seeded: dict[str, str]) -> None:
    schema = _schema()
    _mix_existing_ids(schema)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40, [operation.label for operation in operations]
    checks = [
        not_a_server_error,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]
    failures = _run(operations, lambda op: op.as_strategy(), seeded, checks, EXAMPLES_PER_OPERATION)
    assert not failures, "\n\n".join(failures)


def test_requests_that_violate_the_schema_get_a_client_error(seeded: dict[str, str]) -> None:
    # No id-mixing hooks here: they would repair the very values that are meant to be wrong.
    schema = _schema()
    operations = [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        # something that can be wrong besides the credentials, which the test sets itself
        if operation.body or list(operation.path_parameters) or list(operation.query)
    ]
    assert len(operations) > 30
    failures = _run(
        operations,
        lambda op: op.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
        seeded,
        [not_a_server_error, negative_data_rejection],
        NEGATIVE_EXAMPLES_PER_OPERATION,
    )
    assert not failures, "\n\n".join(failures)
