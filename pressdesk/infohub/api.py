"""JSON API of infohub (django-ninja); mounted in pressdesk/api.py at /api/infohub/.

Published releases are public (auth=None); everything else needs a session or token and the role the
service checks. Objects outside the user's scope answer 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from pressdesk.accounts.models import Organisation
from pressdesk.core.errors import NotFound
from pressdesk.infohub import selectors, services
from pressdesk.infohub.models import PressInquiry, PressRelease

router = Router(tags=["infohub"])


class ReleaseOut(Schema):
    id: int
    body_id: int
    body_name: str
    title: str
    summary: str
    body_text: str
    number: str
    status: str
    slug: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_body_name(obj: PressRelease) -> str:
        return obj.body.name


class ReleaseIn(Schema):
    body_id: int
    title: str
    body_text: str
    summary: str = ""
    number: str = ""


class InquiryOut(Schema):
    id: int
    body_id: int
    subject: str
    question: str
    status: str
    received_at: dt.datetime
    due_at: dt.datetime
    answer: str
    decline_reason: str
    answered_at: dt.datetime | None
    late: bool


class InquiryIn(Schema):
    body_id: int
    subject: str
    question: str


class AnswerIn(Schema):
    answer: str


@router.get("/releases/published/", response=list[ReleaseOut], auth=None)
def releases_published(request: HttpRequest, body_id: int | None = None) -> list[PressRelease]:
    body = get_object_or_404(Organisation, pk=body_id) if body_id is not None else None
    return list(selectors.published_releases(body=body)[:100])


@router.get("/releases/", response=list[ReleaseOut])
def releases_mine(request: HttpRequest) -> list[PressRelease]:
    return list(selectors.releases_for_user(request.user)[:200])


@router.post("/releases/", response={201: ReleaseOut})
def release_create(request: HttpRequest, response: HttpResponse, data: ReleaseIn) -> PressRelease:
    body = Organisation.objects.filter(pk=data.body_id).first()
    if body is None:
        raise NotFound("body.not_found", "Không tìm thấy cơ quan.")
    release = services.release_create(
        actor=request.user,
        body=body,
        title=data.title,
        body_text=data.body_text,
        summary=data.summary,
        number=data.number,
    )
    response.status_code = 201  # ninja's temporal response: works on every 1.x without tuple returns
    return release


@router.post("/releases/{release_id}/submit/", response=ReleaseOut)
def release_submit(request: HttpRequest, release_id: int) -> PressRelease:
    selectors.release_get_for_user(request.user, release_id)
    return services.release_submit(release_id=release_id, actor=request.user)


@router.post("/releases/{release_id}/approve/", response=ReleaseOut)
def release_approve(request: HttpRequest, release_id: int) -> PressRelease:
    selectors.release_get_for_user(request.user, release_id)
    return services.release_approve(release_id=release_id, actor=request.user)


@router.get("/inquiries/", response=list[InquiryOut])
def inquiries(request: HttpRequest) -> list[PressInquiry]:
    return list(selectors.inquiries_for_user(request.user)[:200])


@router.post("/inquiries/", response={201: InquiryOut})
def inquiry_create(request: HttpRequest, response: HttpResponse, data: InquiryIn) -> PressInquiry:
    body = selectors.addressable_bodies().filter(pk=data.body_id).first()
    if body is None:
        raise NotFound("body.not_found", "Không tìm thấy cơ quan.")
    inquiry = services.inquiry_create(
        actor=request.user, body=body, subject=data.subject, question=data.question
    )
    response.status_code = 201
    return inquiry


@router.post("/inquiries/{inquiry_id}/answer/", response=InquiryOut)
def inquiry_answer(request: HttpRequest, inquiry_id: int, data: AnswerIn) -> PressInquiry:
    selectors.inquiry_get_for_user(request.user, inquiry_id)
    return services.inquiry_answer(inquiry_id=inquiry_id, actor=request.user, answer=data.answer)
