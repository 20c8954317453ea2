"""The demo data loads through the services, twice without duplicates, and the pages render for its people."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pressdesk.accounts import demo as accounts_demo
from pressdesk.core.demo import DemoContext
from pressdesk.infohub import demo, selectors
from pressdesk.infohub.models import (
    Collaborator,
    PressEvent,
    PressInquiry,
    PressRelease,
    ResidentReporter,
    SpokespersonAppointment,
)

pytestmark = pytest.mark.django_db

MODELS = (PressRelease, SpokespersonAppointment, PressInquiry, PressEvent, Collaborator, ResidentReporter)


def _load() -> DemoContext:
    ctx = DemoContext()
    accounts_demo.load(ctx)
    demo.load(ctx)
    return ctx


def test_demo_is_idempotent_and_shows_each_state() -> None:
    ctx = _load()
    counts = [m.objects.count() for m in MODELS]
    _load()
    assert [m.objects.count() for m in MODELS] == counts
    assert selectors.published_releases(body=ctx.orgs["samson"]).count() == 3
    assert set(PressInquiry.objects.values_list("status", flat=True)) == {
        "received",
        "assigned",
        "declined",
        "closed",
    }
    assert PressInquiry.objects.filter(late=True).count() == 1
    assert selectors.bodies_without_spokesperson().exists()  # the warning has something to show
    assert Collaborator.objects.filter(agency=ctx.orgs["baoth"]).count() == 3


@pytest.mark.parametrize(
    "username", ["samson", "thutruong", "phatngon", "pvtt", "baothanhhoa", "theodoi", "xem"]
)
def test_demo_pages_render(username: str) -> None:
    ctx = _load()
    client = Client()
    client.force_login(ctx.users[username])
    pages: list[Any] = [
        reverse("infohub:index"),
        reverse("infohub:events"),
        reverse("infohub:reporters") + "?tac-gia=Quang",
        reverse("infohub:websites"),
        reverse("infohub:public_list"),
        reverse("infohub:spokespersons"),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    for inquiry in selectors.inquiries_for_user(ctx.users[username]):
        assert client.get(reverse("infohub:inquiry_detail", args=[inquiry.pk])).status_code == 200
    for release in selectors.releases_for_user(ctx.users[username]):
        assert client.get(reverse("infohub:release_detail", args=[release.pk])).status_code == 200
