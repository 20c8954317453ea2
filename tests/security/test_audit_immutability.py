"""The permanent record cannot be changed through any page or API: transition records and admin actions."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from pressdesk.core.audit import transition_record
from pressdesk.core.models import TransitionRecord
from tests.factories import OrganisationFactory, UserFactory
from tests.security.routes import api_routes, page_routes, placeholder_kwargs, route_to_path


def _snapshot() -> list[tuple]:
    return [
        *TransitionRecord.objects.order_by("pk").values_list(
            "pk", "action", "from_state", "to_state", "note", "data"
        ),
        *LogEntry.objects.order_by("pk").values_list("pk", "object_repr", "change_message", "action_flag"),
    ]


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def records(superuser):
    org = OrganisationFactory()
    record = transition_record(
        subject=org, actor=superuser, action="duyet", old="cho", new="da_duyet", note="gốc"
    )
    entry = LogEntry.objects.create(
        user=superuser,
        content_type=ContentType.objects.get_for_model(org),
        object_id=str(org.pk),
        object_repr=str(org),
        action_flag=CHANGE,
        change_message="sửa tên",
    )
    return record, entry


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["core/transitionrecord", "admin/logentry"])
def test_admin_offers_no_add_change_or_delete_even_to_the_superuser(superuser, records, model):
    record, entry = records
    pk = record.pk if model.startswith("core") else entry.pk
    client = Client()
    client.force_login(superuser)
    before = _snapshot()
    base = f"/quan-tri/{model}/"
    assert client.get(base).status_code == 200  # readable
    assert client.get(f"{base}{pk}/change/").status_code == 200  # shown read-only
    assert client.post(f"{base}{pk}/change/", {"note": "đã sửa", "change_message": "x"}).status_code == 403
    assert client.get(f"{base}{pk}/delete/").status_code == 403
    assert client.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}add/", {}).status_code == 403
    bulk = client.post(base, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})
    assert bulk.status_code in (200, 302)
    assert _snapshot() == before


@pytest.mark.django_db
def test_the_database_refuses_to_update_admin_log_entries(records):
    _record, entry = records
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(change_message="xóa dấu vết")
    entry.refresh_from_db()
    assert entry.change_message == "sửa tên"


@pytest.mark.django_db
def test_the_database_refuses_to_update_transition_records(records):
    record, _entry = records
    with pytest.raises(DatabaseError), transaction.atomic():
        TransitionRecord.objects.filter(pk=record.pk).update(to_state="khac")
    record.refresh_from_db()
    assert record.to_state == "da_duyet"


@pytest.mark.django_db
def test_no_page_or_api_route_changes_existing_records(superuser, records):
    """Every page and API route, written to as the superuser with the records' ids: nothing changes."""
    record, entry = records
    # Crashes are the matrix test's business; here only the records matter.
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    before = _snapshot()
    ids = {record.pk, entry.pk}
    for route in page_routes():
        if route.key in ("logout", "admin:logout", "set_language"):
            continue  # would end the session; they write nothing
        for pk in ids:
            kwargs = {name: pk for name in placeholder_kwargs(route)}
            kwargs.update({k: v for k, v in placeholder_kwargs(route).items() if k == "app_label"})
            try:
                url = (
                    reverse(route.name, kwargs=kwargs or None)
                    if route.name
                    else "/" + route_to_path(route.route, kwargs)
                )
            except Exception:  # noqa: S112 - a route this id cannot fill is simply not reachable with it
                continue
            for payload in ({}, {"note": "sửa", "to_state": "khac", "change_message": "x", "post": "yes"}):
                client.post(url, payload)
    for route in api_routes():
        if route.method == "GET":
            continue
        for pk in ids:
            path = route.path
            for part in [p for p in path.split("/") if p.startswith("{")]:
                path = path.replace(part, str(pk))
            client.generic(route.method, path, data='{"note": "sửa"}', content_type="application/json")
    after = {repr(row) for row in _snapshot()}
    assert {repr(row) for row in before} <= after  # new rows may appear (append-only), none changes
    record.refresh_from_db()
    entry.refresh_from_db()
    assert (record.note, record.to_state) == ("gốc", "da_duyet")
    assert entry.change_message == "sửa tên"


@pytest.mark.django_db
def test_only_superusers_read_the_admin_log(records):
    staff = UserFactory(is_staff=True, is_superuser=False)
    client = Client()
    client.force_login(staff)
    assert client.get("/quan-tri/admin/logentry/").status_code == 403
