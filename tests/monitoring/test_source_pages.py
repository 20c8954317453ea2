"""Source pages: who sees them, who adds, and the last error reason shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pressdesk.accounts.models import Role
from pressdesk.monitoring.models import Source
from tests.factories import PASSWORD, OutletFactory

pytestmark = pytest.mark.django_db


def login(client: Any, user: Any) -> None:
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def source() -> Source:
    return Source.objects.create(
        outlet=OutletFactory(name="Báo Thanh Hóa"),
        url="https://baothanhhoa.vn/rss/home.rss",
        last_error_reason="malformed_xml",
        last_error="malformed_xml: not well-formed (invalid token): line 1, column 40",
        consecutive_failures=2,
    )


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MONITOR])
def test_admin_and_monitor_see_sources_and_the_error_reason(
    client: Any, make_user: Any, source: Source, role: str
) -> None:
    login(client, make_user(role))
    page = client.get(reverse("monitoring:sources"))
    assert page.status_code == 200 and "baothanhhoa.vn/rss/home.rss" in page.content.decode()
    detail = client.get(reverse("monitoring:source", args=[source.pk])).content.decode()
    assert "malformed_xml" in detail and "line 1, column 40" in detail


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AGENCY_EDITOR, Role.PLAN_EDITOR])
def test_other_roles_are_refused(client: Any, make_user: Any, source: Source, role: str) -> None:
    login(client, make_user(role))
    assert client.get(reverse("monitoring:sources")).status_code == 403
    assert client.get(reverse("monitoring:source", args=[source.pk])).status_code == 403


def test_anonymous_goes_to_login(client: Any, source: Source) -> None:
    response = client.get(reverse("monitoring:sources"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_administrator_adds_a_source(client: Any, make_user: Any) -> None:
    outlet = OutletFactory()
    login(client, make_user(Role.ADMINISTRATOR))
    response = client.post(
        reverse("monitoring:source_add"),
        {
            "outlet": outlet.pk,
            "url": "https://nhandan.vn/rss/home.rss",
            "kind": "feed",
            "poll_every_minutes": 10,
        },
    )
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "monitoring:source", args=[source.pk]
    )
    assert (source.outlet, source.poll_every_minutes) == (outlet, 10)
    again = client.post(
        reverse("monitoring:source_add"),
        {
            "outlet": outlet.pk,
            "url": "https://nhandan.vn/rss/home.rss",
            "kind": "feed",
            "poll_every_minutes": 10,
        },
    )
    assert again.status_code == 422 and "đã có" in again.content.decode() and Source.objects.count() == 1


def test_monitor_cannot_add(client: Any, make_user: Any) -> None:
    outlet = OutletFactory()
    login(client, make_user(Role.MONITOR))
    assert client.get(reverse("monitoring:source_add")).status_code == 403
    response = client.post(
        reverse("monitoring:source_add"),
        {"outlet": outlet.pk, "url": "https://a.vn/rss", "kind": "feed", "poll_every_minutes": 10},
    )
    assert response.status_code == 403 and Source.objects.count() == 0


def test_bad_url_is_refused_with_nothing_written(client: Any, make_user: Any) -> None:
    login(client, make_user(Role.ADMINISTRATOR))
    response = client.post(
        reverse("monitoring:source_add"),
        {
            "outlet": OutletFactory().pk,
            "url": "javascript:alert(1)",
            "kind": "feed",
            "poll_every_minutes": 10,
        },
    )
    assert response.status_code == 422 and Source.objects.count() == 0
