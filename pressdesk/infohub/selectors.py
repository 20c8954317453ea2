"""Reads of the information hub. Every page and API handler looks objects up through these helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from pressdesk.accounts.models import Organisation, OrgKind, Role
from pressdesk.accounts.permissions import active_roles, organisations_with_role
from pressdesk.core.errors import NotFound
from pressdesk.infohub.models import (
    BodyWebsite,
    PressEvent,
    PressInquiry,
    PressRelease,
    SpokespersonAppointment,
)

BODY_STAFF = (Role.BODY_OFFICER, Role.BODY_HEAD, Role.SPOKESPERSON)
PRESS_ROLES = (Role.AGENCY_EDITOR, Role.RESIDENT_REPORTER)
OVERSEERS = (Role.MONITOR, Role.ADMINISTRATOR)
# State administrative bodies bound by Nghị định 09/2017/NĐ-CP to have someone who speaks to the press.
SPEAKING_BODY_KINDS = (
    OrgKind.PEOPLES_COMMITTEE,
    OrgKind.DEPARTMENT,
    OrgKind.LOCALITY,
    OrgKind.INFORMATION,
)


def _valid_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


# --- releases ---------------------------------------------------------------------------------------


def published_releases(*, body: Organisation | None = None) -> QuerySet[PressRelease]:
    qs = PressRelease.objects.filter(status=PressRelease.Status.PUBLISHED).select_related("body")
    if body is not None:
        qs = qs.filter(body=body)
    return qs.order_by("-published_at", "-pk")


def public_release(*, slug: str) -> PressRelease:
    release = published_releases().filter(slug=slug).first()
    if release is None:
        raise NotFound("release.not_found", "Không tìm thấy thông cáo báo chí.")
    return release


def releases_for_user(user: Any) -> QuerySet[PressRelease]:
    """Releases the user works on: all states of the user's own bodies; overseers see all."""
    if active_roles(user) & set(OVERSEERS):
        return PressRelease.objects.select_related("body").order_by("-created_at")
    bodies = organisations_with_role(user, BODY_STAFF)
    return PressRelease.objects.filter(body__in=bodies).select_related("body").order_by("-created_at")


def release_get_for_user(user: Any, pk: int) -> PressRelease:
    release = releases_for_user(user).filter(pk=pk).first()
    if release is None:
        raise NotFound("release.not_found", "Không tìm thấy thông cáo báo chí.")
    return release


# --- spokespersons ----------------------------------------------------------------------------------


def speaking_bodies(*, day: dt.date | None = None) -> QuerySet[Organisation]:
    day = day or timezone.localdate()
    return Organisation.objects.filter(kind__in=SPEAKING_BODY_KINDS).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def addressable_bodies() -> QuerySet[Organisation]:
    """Bodies the press may ask or follow: every state administrative body, in name order.

    Not filtered by validity: a merged body's record stays reachable for questions about its past.
    """
    return Organisation.objects.filter(kind__in=SPEAKING_BODY_KINDS).order_by("name")


def current_spokespersons(*, day: dt.date | None = None) -> QuerySet[SpokespersonAppointment]:
    day = day or timezone.localdate()
    return (
        SpokespersonAppointment.objects.filter(_valid_on(day))
        .select_related("body")
        .order_by("body__name", "kind", "person_name")
    )


def bodies_without_spokesperson(
    *, day: dt.date | None = None, bodies: QuerySet[Organisation] | None = None
) -> QuerySet[Organisation]:
    """Bodies with nobody (head, spokesperson or authorised person) valid on `day`."""
    day = day or timezone.localdate()
    covered = SpokespersonAppointment.objects.filter(_valid_on(day)).values("body_id")
    qs = bodies if bodies is not None else speaking_bodies(day=day)
    return qs.exclude(pk__in=covered).order_by("name")


# --- inquiries --------------------------------------------------------------------------------------

OPEN_INQUIRY = (PressInquiry.Status.RECEIVED, PressInquiry.Status.ASSIGNED)


def inquiries_for_user(user: Any) -> QuerySet[PressInquiry]:
    """Inquiries the user may see: those to the user's bodies, those the user's press agency asked."""
    base = PressInquiry.objects.select_related("body", "asked_by", "asker_organisation", "assigned_to")
    if active_roles(user) & set(OVERSEERS):
        return base.order_by("-received_at")
    bodies = organisations_with_role(user, BODY_STAFF)
    agencies = organisations_with_role(user, PRESS_ROLES)
    return base.filter(Q(body__in=bodies) | Q(asker_organisation__in=agencies)).order_by("-received_at")


def inquiry_get_for_user(user: Any, pk: int) -> PressInquiry:
    inquiry = inquiries_for_user(user).filter(pk=pk).first()
    if inquiry is None:
        raise NotFound("inquiry.not_found", "Không tìm thấy yêu cầu.")
    return inquiry


def inquiry_is_overdue(inquiry: PressInquiry, *, now: dt.datetime | None = None) -> bool:
    """Open and past its deadline (answered ones carry their own `late` flag)."""
    return inquiry.status in OPEN_INQUIRY and (now or timezone.now()) > inquiry.due_at


@dataclass(frozen=True)
class InquiryStats:
    body_id: int
    body_name: str
    received: int
    answered: int
    declined: int
    late: int
    open_overdue: int


def inquiry_stats(
    period_start: dt.datetime | dt.date, period_end: dt.datetime | dt.date, *, now: dt.datetime | None = None
) -> list[InquiryStats]:
    """Per body: inquiries received in [period_start, period_end), how many answered, declined, answered
    late, and still open past their deadline. For reports."""
    start, end = _as_datetime(period_start), _as_datetime(period_end)
    now = now or timezone.now()
    rows = (
        PressInquiry.objects.filter(received_at__gte=start, received_at__lt=end)
        .values("body_id", "body__name")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False, decline_reason="")),
            declined=Count("pk", filter=~Q(decline_reason="")),
            late=Count("pk", filter=Q(late=True)),
            open_overdue=Count("pk", filter=Q(status__in=OPEN_INQUIRY, due_at__lt=now)),
        )
        .order_by("body__name")
    )
    return [
        InquiryStats(
            body_id=r["body_id"],
            body_name=r["body__name"],
            received=r["received"],
            answered=r["answered"],
            declined=r["declined"],
            late=r["late"],
            open_overdue=r["open_overdue"],
        )
        for r in rows
    ]


def _as_datetime(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


# --- events, websites, works ------------------------------------------------------------------------


def events_for_user(user: Any) -> QuerySet[PressEvent]:
    if active_roles(user) & set(OVERSEERS):
        qs = PressEvent.objects.all()
    else:
        bodies = organisations_with_role(user, (*BODY_STAFF, Role.MONITOR))
        qs = PressEvent.objects.filter(Q(bodies__in=bodies) | Q(organiser__in=bodies)).distinct()
    return qs.select_related("organiser").prefetch_related("bodies", "tasks__owner").order_by("-date")


def stale_websites(*, now: dt.datetime | None = None) -> QuerySet[BodyWebsite]:
    """Sites whose newest item is older than PRESSDESK_WEBSITE_STALE_DAYS (or never seen, or failing)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.PRESSDESK_WEBSITE_STALE_DAYS)
    return (
        BodyWebsite.objects.filter(last_checked__isnull=False)
        .filter(Q(last_updated__isnull=True) | Q(last_updated__lt=cutoff))
        .select_related("body")
        .order_by(F("last_updated").asc(nulls_first=True), "body__name")
    )


def works_by_person(name: str) -> QuerySet[Any]:
    """Published works (monitoring.Article) whose author field names this person."""
    from pressdesk.monitoring.models import Article

    name = (name or "").strip()
    if len(name) < 3:
        return Article.objects.none()
    return Article.objects.filter(author__icontains=name).order_by("-published_at")
