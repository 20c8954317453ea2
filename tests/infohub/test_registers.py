"""Spokesperson register, events, collaborators, resident reporters, website freshness, works."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from pressdesk.accounts.models import OrgKind, Role
from pressdesk.core.errors import TransitionError, ValidationFailed
from pressdesk.infohub import selectors, services
from pressdesk.infohub.models import BodyWebsite, Collaborator, PressEvent, SpokespersonAppointment
from pressdesk.ingest.errors import FetchError
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.infohub.factories import Body, press_user

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 6, 1)
NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)


def _appoint(body: Body, **kw: Any) -> SpokespersonAppointment:
    args: dict[str, Any] = {
        "person_name": "Nguyễn Văn A",
        "position": "Chánh Văn phòng",
        "kind": SpokespersonAppointment.Kind.SPOKESPERSON,
        "valid_from": dt.date(2023, 1, 1),
    }
    args.update(kw)
    return services.spokesperson_appoint(actor=body.head, body=body.org, **args)


def test_bodies_without_valid_spokesperson(body: Body, other_body: Body) -> None:
    third = Body()
    _appoint(body)
    _appoint(other_body, valid_to=DAY - dt.timedelta(days=1))  # expired yesterday
    _appoint(third, valid_from=DAY + dt.timedelta(days=1))  # not yet valid
    missing = set(selectors.bodies_without_spokesperson(day=DAY))
    assert body.org not in missing
    assert {other_body.org, third.org} <= missing
    assert list(selectors.current_spokespersons(day=DAY)) == list(
        SpokespersonAppointment.objects.filter(body=body.org)
    )


def test_press_agencies_are_not_expected_to_have_spokespersons(body: Body) -> None:
    press = OrganisationFactory(kind=OrgKind.PROVINCIAL_PRESS)
    assert press not in set(selectors.bodies_without_spokesperson(day=DAY))


def test_spokesperson_validation_and_permissions(body: Body, other_body: Body) -> None:
    with pytest.raises(ValidationFailed):
        _appoint(body, valid_to=dt.date(2022, 1, 1))
    with pytest.raises(ValidationFailed):
        _appoint(body, kind="ca-si")
    with pytest.raises(PermissionDenied):
        services.spokesperson_appoint(
            actor=other_body.head, body=body.org, person_name="X", position="Y", kind="head", valid_from=DAY
        )
    assert SpokespersonAppointment.objects.count() == 0


def test_event_with_tasks_done_by_owner_body(body: Body, other_body: Body) -> None:
    monitor = UserFactory()
    MembershipFactory(
        user=monitor, organisation=OrganisationFactory(kind=OrgKind.INFORMATION), role=Role.MONITOR
    )
    event = services.event_create(
        actor=monitor, kind=PressEvent.Kind.BRIEFING, title="Giao ban tháng 6", date=DAY, bodies=[body.org]
    )
    services.event_record_minutes(event_id=event.pk, actor=monitor, minutes="Biên bản")
    task = services.event_add_task(
        event_id=event.pk, actor=monitor, text="Báo cáo", owner=body.org, due_date=DAY
    )
    with pytest.raises(PermissionDenied):
        services.task_mark_done(task_id=task.pk, actor=other_body.officer)
    with pytest.raises(PermissionDenied):  # only the organiser adds tasks
        services.event_add_task(event_id=event.pk, actor=body.officer, text="x", owner=body.org)
    task.refresh_from_db()
    assert task.done is False
    services.task_mark_done(task_id=task.pk, actor=body.officer, now=NOW)
    task.refresh_from_db()
    assert (task.done, task.done_at) == (True, NOW)
    with pytest.raises(TransitionError):
        services.task_mark_done(task_id=task.pk, actor=body.officer)
    event.refresh_from_db()
    assert event.minutes == "Biên bản" and list(event.bodies.all()) == [body.org]


def test_collaborators_only_by_own_agency_editor() -> None:
    editor = press_user(Role.AGENCY_EDITOR)
    agency = editor.memberships.get().organisation
    other_editor = press_user(Role.AGENCY_EDITOR)
    services.collaborator_save(actor=editor, agency=agency, person_name="Trần Thị Lan", beats="Nông nghiệp")
    services.collaborator_save(actor=editor, agency=agency, person_name="Trần Thị Lan", status="inactive")
    assert Collaborator.objects.get().status == "inactive"
    with pytest.raises(PermissionDenied):
        services.collaborator_save(actor=other_editor, agency=agency, person_name="Kẻ lạ")
    assert Collaborator.objects.count() == 1


def test_resident_reporter_register() -> None:
    reporter = press_user(Role.RESIDENT_REPORTER)
    office = reporter.memberships.get().organisation
    with pytest.raises(ValidationFailed):
        services.resident_reporter_save(
            actor=reporter,
            office=office,
            agency_name="TTXVN",
            person_name="A",
            valid_from=DAY,
            valid_to=DAY - dt.timedelta(days=1),
        )
    rr = services.resident_reporter_save(
        actor=reporter,
        office=office,
        agency_name="TTXVN",
        person_name="Vũ Đức Quang",
        press_card_number="123",
    )
    assert rr.press_card_number == "123"
    with pytest.raises(PermissionDenied):
        services.resident_reporter_save(actor=press_user(), office=office, agency_name="X", person_name="Y")


def test_works_by_person_queries_monitoring_articles() -> None:
    from pressdesk.monitoring.models import Article

    fields = {f.name for f in Article._meta.get_fields()}
    assert {"author", "published_at", "canonical_url"} <= fields
    a = Article.objects.create(
        canonical_url="https://baothanhhoa.vn/a",
        url="https://baothanhhoa.vn/a",
        title="Bài A",
        author="Trần Thị Lan",
    )
    Article.objects.create(
        canonical_url="https://baothanhhoa.vn/b",
        url="https://baothanhhoa.vn/b",
        title="Bài B",
        author="Người khác",
    )
    assert list(selectors.works_by_person("trần thị lan")) == [a]
    assert list(selectors.works_by_person("Tr")) == []


# --- website freshness ------------------------------------------------------------------------------


def test_freshness_with_fake_fetcher(body: Body, other_body: Body, settings: Any) -> None:
    settings.PRESSDESK_WEBSITE_STALE_DAYS = 14
    third = Body()
    fresh = services.website_set(actor=body.officer, body=body.org, url="https://a.example.vn/rss")
    stale = services.website_set(
        actor=other_body.head, body=other_body.org, url="https://b.example.vn/sitemap.xml"
    )
    broken = services.website_set(actor=third.head, body=third.org, url="https://c.example.vn/feed")
    latest = {
        fresh.url: NOW - dt.timedelta(days=3),
        stale.url: NOW - dt.timedelta(days=20),
    }
    calls: list[str] = []

    def fake(url: str) -> dt.datetime | None:
        calls.append(url)
        if url == broken.url:
            raise FetchError("timeout", "no answer", retryable=True)
        return latest[url]

    counts = services.websites_check_all(fetch=fake, now=NOW)
    assert counts == {"fresh": 1, "stale": 1, "error": 1}
    assert sorted(calls) == sorted([fresh.url, stale.url, broken.url])
    fresh.refresh_from_db()
    assert (fresh.status, fresh.last_updated, fresh.last_checked) == (
        "fresh",
        NOW - dt.timedelta(days=3),
        NOW,
    )
    broken.refresh_from_db()
    assert broken.status == "error" and broken.error.startswith("timeout")
    assert [w.body for w in selectors.stale_websites(now=NOW)] == [third.org, other_body.org]
    # a fresh site becomes stale when its newest item ages past the limit
    services.website_check(
        website_id=fresh.pk, fetch_latest_item_date=lambda u: None, now=NOW + dt.timedelta(days=12)
    )
    fresh.refresh_from_db()
    assert fresh.status == BodyWebsite.Status.STALE


def test_website_url_validated_and_own_body_only(body: Body, other_body: Body) -> None:
    with pytest.raises(ValidationFailed):
        services.website_set(actor=body.officer, body=body.org, url="file:///etc/passwd")
    with pytest.raises(PermissionDenied):
        services.website_set(actor=other_body.officer, body=body.org, url="https://a.vn/rss")
    assert BodyWebsite.objects.count() == 0


def test_real_fetcher_wiring_reads_feed_and_sitemap() -> None:
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b"<entry><title>a</title><link href='https://x.vn/a'/><id>a</id><updated>2024-05-01T00:00:00Z</updated></entry>"
        b"<entry><title>b</title><link href='https://x.vn/b'/><id>b</id><updated>2024-05-20T00:00:00Z</updated></entry></feed>"
    )
    sitemap = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://x.vn/a</loc><lastmod>2024-04-02</lastmod></url></urlset>"
    )

    class FakeFetcher:
        def fetch(self, url: str, **kw: Any) -> Any:
            return type("R", (), {"content": atom if url.endswith("rss") else sitemap})()

    fetch = services.latest_item_date_fetcher(FakeFetcher())
    assert fetch("https://x.vn/rss") == dt.datetime(2024, 5, 20, tzinfo=dt.UTC)
    assert fetch("https://x.vn/sitemap.xml").date() == dt.date(2024, 4, 2)


def test_schedule_registers_daily_check() -> None:
    from pressdesk.infohub.schedule import JOBS, check_websites

    assert [(86400, check_websites)] == JOBS
