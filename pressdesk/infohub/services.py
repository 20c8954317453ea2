"""Writes of the information hub: one service per action; lock, check role, check state, record, notify.

Inquiry deadline (PRESSDESK_INQUIRY_DEADLINE_DAYS, default 2 days). Source: Nghị định 09/2017/NĐ-CP
(người phát ngôn, cung cấp thông tin cho báo chí) obliges the spokesperson to give the press timely
information, and to speak promptly on sudden or unusual events (from memory: within 24 hours of the
event; the decree's text could not be checked offline). We found no fixed number of days for ordinary
written press requests, so 2 days is our sensible default, changeable per province by the setting.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from pressdesk.accounts.models import Organisation, Role
from pressdesk.accounts.permissions import has_role, require_role
from pressdesk.core.audit import transition_record
from pressdesk.core.errors import NotFound, TransitionError, ValidationFailed
from pressdesk.core.uploads import store_private, validate_upload
from pressdesk.infohub.models import (
    BodyWebsite,
    Collaborator,
    FollowUpTask,
    PressEvent,
    PressInquiry,
    PressRelease,
    PressReleaseAttachment,
    ReleaseDelivery,
    ResidentReporter,
    SpokespersonAppointment,
    Subscription,
)
from pressdesk.nlp.text import fold_diacritics

logger = logging.getLogger(__name__)

BODY_STAFF = (Role.BODY_OFFICER, Role.BODY_HEAD, Role.SPOKESPERSON)
PRESS_ROLES = (Role.AGENCY_EDITOR, Role.RESIDENT_REPORTER)
ATTACHMENT_KINDS = ("pdf", "png", "jpeg", "docx")

FetchLatest = Callable[[str], dt.datetime | None]


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _required(value: str, code: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(code, message)
    return value


def _lock_release(release_id: int) -> PressRelease:
    try:
        return PressRelease.objects.select_for_update().get(pk=release_id)
    except PressRelease.DoesNotExist as exc:
        raise NotFound("release.not_found", "Không tìm thấy thông cáo báo chí.") from exc


# --- press releases ---------------------------------------------------------------------------------


def _slug_for(title: str) -> str:
    base = slugify(fold_diacritics(title).replace("đ", "d").replace("Đ", "D"))[:90] or "thong-cao"
    return f"{base}-{secrets.token_hex(3)}"


@transaction.atomic
def release_create(
    *, actor: Any, body: Organisation, title: str, body_text: str, summary: str = "", number: str = ""
) -> PressRelease:
    membership = require_role(actor, (Role.BODY_OFFICER, Role.BODY_HEAD), organisation=body)
    title = _required(title, "release.title_required", "Thông cáo cần có tiêu đề.")
    body_text = _required(body_text, "release.text_required", "Thông cáo cần có nội dung.")
    if len(title) > 300:
        raise ValidationFailed("release.title_too_long", "Tiêu đề dài quá 300 ký tự.")
    release = PressRelease.objects.create(
        body=body,
        title=title,
        summary=summary.strip(),
        body_text=body_text,
        number=number.strip()[:64],
        drafted_by=actor,
        slug=_slug_for(title),
    )
    transition_record(
        subject=release,
        actor=actor,
        action="create",
        new=release.status,
        role=membership.role,
        organisation=body,
    )
    return release


@transaction.atomic
def release_update(
    *, release_id: int, actor: Any, title: str, body_text: str, summary: str = "", number: str = ""
) -> PressRelease:
    release = _lock_release(release_id)
    membership = require_role(actor, (Role.BODY_OFFICER, Role.BODY_HEAD), organisation=release.body)
    if release.status != PressRelease.Status.DRAFT:
        raise TransitionError(
            "release.not_draft", "Chỉ sửa được thông cáo ở trạng thái dự thảo.", status=release.status
        )
    release.title = _required(title, "release.title_required", "Thông cáo cần có tiêu đề.")[:300]
    release.body_text = _required(body_text, "release.text_required", "Thông cáo cần có nội dung.")
    release.summary = summary.strip()
    release.number = number.strip()[:64]
    release.save()
    transition_record(
        subject=release, actor=actor, action="update", role=membership.role, organisation=release.body
    )
    return release


@transaction.atomic
def release_attach(*, release_id: int, actor: Any, file: Any) -> PressReleaseAttachment:
    release = _lock_release(release_id)
    membership = require_role(actor, (Role.BODY_OFFICER, Role.BODY_HEAD), organisation=release.body)
    if release.status not in (PressRelease.Status.DRAFT, PressRelease.Status.SUBMITTED):
        raise TransitionError(
            "release.not_editable",
            "Thông cáo đã công bố hoặc thu hồi: không thêm tệp.",
            status=release.status,
        )
    kind = validate_upload(file, allowed=ATTACHMENT_KINDS)
    name = store_private(file, folder="infohub/releases", kind=kind)
    attachment = PressReleaseAttachment.objects.create(
        release=release,
        file=name,
        original_name=str(getattr(file, "name", "") or "tep")[:255],
        kind=kind,
        size=int(file.size),
        uploaded_by=actor,
    )
    transition_record(
        subject=release,
        actor=actor,
        action="attach",
        role=membership.role,
        organisation=release.body,
        data={"attachment": attachment.pk, "name": attachment.original_name},
    )
    return attachment


@transaction.atomic
def release_submit(*, release_id: int, actor: Any) -> PressRelease:
    release = _lock_release(release_id)
    membership = require_role(actor, (Role.BODY_OFFICER, Role.BODY_HEAD), organisation=release.body)
    if release.status != PressRelease.Status.DRAFT:
        raise TransitionError("release.not_draft", "Chỉ trình được thông cáo dự thảo.", status=release.status)
    old, release.status = release.status, PressRelease.Status.SUBMITTED
    release.save(update_fields=["status", "updated_at"])
    transition_record(
        subject=release,
        actor=actor,
        action="submit",
        old=old,
        new=release.status,
        role=membership.role,
        organisation=release.body,
    )
    return release


@transaction.atomic
def release_return(*, release_id: int, actor: Any, note: str) -> PressRelease:
    release = _lock_release(release_id)
    membership = require_role(actor, Role.BODY_HEAD, organisation=release.body)
    if release.status != PressRelease.Status.SUBMITTED:
        raise TransitionError("release.not_submitted", "Thông cáo không ở trạng thái chờ duyệt.")
    note = _required(note, "release.note_required", "Cần ghi ý kiến khi trả lại thông cáo.")
    old, release.status = release.status, PressRelease.Status.DRAFT
    release.save(update_fields=["status", "updated_at"])
    transition_record(
        subject=release,
        actor=actor,
        action="return",
        old=old,
        new=release.status,
        role=membership.role,
        organisation=release.body,
        note=note,
    )
    return release


@transaction.atomic
def release_approve(*, release_id: int, actor: Any, now: dt.datetime | None = None) -> PressRelease:
    """The head of the same body approves: the release is published and subscribers are e-mailed."""
    release = _lock_release(release_id)
    membership = require_role(actor, Role.BODY_HEAD, organisation=release.body)
    if release.status != PressRelease.Status.SUBMITTED:
        raise TransitionError(
            "release.not_submitted", "Chỉ duyệt được thông cáo đã trình.", status=release.status
        )
    old = release.status
    release.status = PressRelease.Status.PUBLISHED
    release.approved_by = actor
    release.published_at = _now(now)
    release.save(update_fields=["status", "approved_by", "published_at", "updated_at"])
    transition_record(
        subject=release,
        actor=actor,
        action="approve",
        old=old,
        new=release.status,
        role=membership.role,
        organisation=release.body,
        document_number=release.number,
    )
    release_pk = release.pk
    transaction.on_commit(lambda: release_notify_subscribers(release_id=release_pk))
    return release


@transaction.atomic
def release_withdraw(*, release_id: int, actor: Any, reason: str) -> PressRelease:
    release = _lock_release(release_id)
    membership = require_role(actor, Role.BODY_HEAD, organisation=release.body)
    if release.status != PressRelease.Status.PUBLISHED:
        raise TransitionError("release.not_published", "Chỉ thu hồi được thông cáo đã công bố.")
    reason = _required(reason, "release.reason_required", "Cần nêu lý do thu hồi thông cáo.")
    old, release.status = release.status, PressRelease.Status.WITHDRAWN
    release.withdrawn_reason = reason
    release.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    transition_record(
        subject=release,
        actor=actor,
        action="withdraw",
        old=old,
        new=release.status,
        role=membership.role,
        organisation=release.body,
        note=reason,
    )
    return release


def release_notify_subscribers(*, release_id: int) -> int:
    """E-mail each confirmed subscriber (of the body or of all) once; returns the number sent.

    The delivery row is written before sending, so a retry never sends twice; a send that fails
    removes its row so that the next run tries again.
    """
    release = PressRelease.objects.select_related("body").get(pk=release_id)
    if release.status != PressRelease.Status.PUBLISHED:
        return 0
    # One e-mail per address even when it follows both this body and "all"; the unsubscribe link is
    # that of the body's own subscription when there is one.
    tokens: dict[str, str] = {}
    for email, token, body_id in (
        Subscription.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
        .filter(Q(body__isnull=True) | Q(body_id=release.body_id))
        .order_by("body_id")
        .values_list("email", "token", "body_id")
    ):
        if body_id is not None or email.lower() not in tokens:
            tokens[email.lower()] = token
    emails = sorted(tokens)
    url = settings.PRESSDESK_PUBLIC_URL + reverse("infohub:public_detail", args=[release.slug])
    sent = 0
    for email in emails:
        try:
            with transaction.atomic():
                delivery = ReleaseDelivery.objects.create(release=release, email=email)
        except IntegrityError:
            continue
        try:
            send_mail(
                subject=f"[Thông cáo báo chí] {release.body.name}: {release.title}",
                message=f"{release.summary or release.body_text[:500]}\n\nToàn văn: {url}\n\n"
                f"Hủy nhận thư: {settings.PRESSDESK_PUBLIC_URL}"
                f"{reverse('infohub:subscription_unsubscribe', args=[tokens[email]])}\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[email],
            )
        except OSError:
            logger.warning("release %s: e-mail to %s failed, will retry", release.pk, email)
            delivery.delete()
            continue
        sent += 1
    return sent


# --- subscriptions ----------------------------------------------------------------------------------


def _validate_email(email: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed("subscription.bad_email", "Địa chỉ thư điện tử không hợp lệ.") from exc
    return email


CONFIRMATION_RESEND_AFTER = dt.timedelta(minutes=10)


@transaction.atomic
def subscription_request(*, email: str, body: Organisation | None = None) -> Subscription:
    """Double opt-in: store an unconfirmed subscription and e-mail the confirmation link (after commit).

    Asking again for a confirmed address changes nothing and sends nothing, so the form does not reveal
    who is subscribed.
    """
    email = _validate_email(email)
    sub, created = Subscription.objects.select_for_update().get_or_create(
        email=email, body=body, defaults={"token": secrets.token_urlsafe(32)}
    )
    if sub.confirmed_at and not sub.unsubscribed_at:
        return sub
    if not created and not sub.confirmed_at and timezone.now() - sub.updated_at < CONFIRMATION_RESEND_AFTER:
        return sub  # a confirmation went out minutes ago: the form is no way to flood someone's mailbox
    if not created:
        sub.token = secrets.token_urlsafe(32)
        sub.unsubscribed_at = None
        sub.confirmed_at = None
        sub.save(update_fields=["token", "unsubscribed_at", "confirmed_at", "updated_at"])
    link = settings.PRESSDESK_PUBLIC_URL + reverse("infohub:subscription_confirm", args=[sub.token])
    stop = settings.PRESSDESK_PUBLIC_URL + reverse("infohub:subscription_unsubscribe", args=[sub.token])
    scope = body.name if body else "tất cả cơ quan"
    transaction.on_commit(
        lambda: send_mail(
            subject="[PressDesk] Xác nhận đăng ký nhận thông cáo báo chí",
            message=f"Bạn (hoặc ai đó) đã đăng ký nhận thông cáo báo chí của {scope}.\n"
            f"Mở liên kết sau để xác nhận: {link}\nNếu không phải bạn, hãy bỏ qua thư này.\n"
            f"Hủy đăng ký bất cứ lúc nào: {stop}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    )
    return sub


@transaction.atomic
def subscription_confirm(*, token: str, now: dt.datetime | None = None) -> Subscription:
    sub = Subscription.objects.select_for_update().filter(token=token).first()
    if sub is None or not token:
        raise NotFound("subscription.not_found", "Liên kết xác nhận không hợp lệ hoặc đã hết hiệu lực.")
    if sub.confirmed_at is None:
        sub.confirmed_at = _now(now)
        sub.unsubscribed_at = None
        sub.save(update_fields=["confirmed_at", "unsubscribed_at", "updated_at"])
    return sub


@transaction.atomic
def subscription_unsubscribe(*, token: str, now: dt.datetime | None = None) -> Subscription:
    sub = Subscription.objects.select_for_update().filter(token=token).first()
    if sub is None or not token:
        raise NotFound("subscription.not_found", "Liên kết hủy đăng ký không hợp lệ.")
    sub.unsubscribed_at = _now(now)
    sub.save(update_fields=["unsubscribed_at", "updated_at"])
    return sub


@transaction.atomic
def subscription_for_user(
    *, actor: Any, body: Organisation | None = None, now: dt.datetime | None = None
) -> Subscription:
    """A logged-in press user subscribes with the account's address: confirmed at once."""
    require_role(actor, PRESS_ROLES)
    email = _validate_email(actor.email)
    sub, _created = Subscription.objects.select_for_update().get_or_create(
        email=email, body=body, defaults={"token": secrets.token_urlsafe(32), "user": actor}
    )
    sub.user = actor
    sub.confirmed_at = sub.confirmed_at or _now(now)
    sub.unsubscribed_at = None
    sub.save()
    return sub


# --- spokespersons ----------------------------------------------------------------------------------


def _require_body_editor(actor: Any, body: Organisation) -> str:
    if has_role(actor, Role.ADMINISTRATOR):
        return Role.ADMINISTRATOR
    return require_role(actor, (Role.BODY_HEAD, Role.BODY_OFFICER), organisation=body).role


@transaction.atomic
def spokesperson_appoint(
    *,
    actor: Any,
    body: Organisation,
    person_name: str,
    position: str,
    kind: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    phone: str = "",
    email: str = "",
    decision_number: str = "",
    decision_date: dt.date | None = None,
) -> SpokespersonAppointment:
    role = _require_body_editor(actor, body)
    person_name = _required(person_name, "spokesperson.name_required", "Cần ghi họ và tên.")
    position = _required(position, "spokesperson.position_required", "Cần ghi chức vụ.")
    if kind not in SpokespersonAppointment.Kind.values:
        raise ValidationFailed("spokesperson.bad_kind", "Loại người phát ngôn không hợp lệ.")
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed("spokesperson.bad_range", "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
    if email:
        email = _validate_email(email)
    appointment = SpokespersonAppointment.objects.create(
        body=body,
        person_name=person_name,
        position=position,
        kind=kind,
        phone=phone.strip(),
        email=email,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    transition_record(
        subject=appointment,
        actor=actor,
        action="appoint",
        role=role,
        organisation=body,
        document_number=appointment.decision_number,
    )
    return appointment


@transaction.atomic
def spokesperson_end(*, appointment_id: int, actor: Any, valid_to: dt.date) -> SpokespersonAppointment:
    appointment = SpokespersonAppointment.objects.select_for_update().filter(pk=appointment_id).first()
    if appointment is None:
        raise NotFound("spokesperson.not_found", "Không tìm thấy người phát ngôn.")
    role = _require_body_editor(actor, appointment.body)
    if valid_to < appointment.valid_from:
        raise ValidationFailed("spokesperson.bad_range", "Ngày kết thúc trước ngày bắt đầu hiệu lực.")
    appointment.valid_to = valid_to
    appointment.save(update_fields=["valid_to", "updated_at"])
    transition_record(
        subject=appointment, actor=actor, action="end", role=role, organisation=appointment.body
    )
    return appointment


# --- press inquiries --------------------------------------------------------------------------------


def _lock_inquiry(inquiry_id: int) -> PressInquiry:
    inquiry = PressInquiry.objects.select_for_update().filter(pk=inquiry_id).first()
    if inquiry is None:
        raise NotFound("inquiry.not_found", "Không tìm thấy yêu cầu.")
    return inquiry


@transaction.atomic
def inquiry_create(
    *, actor: Any, body: Organisation, subject: str, question: str, now: dt.datetime | None = None
) -> PressInquiry:
    membership = require_role(actor, PRESS_ROLES)
    subject = _required(subject, "inquiry.subject_required", "Cần ghi vấn đề cần hỏi.")[:300]
    question = _required(question, "inquiry.question_required", "Cần ghi nội dung yêu cầu.")
    received = _now(now)
    inquiry = PressInquiry.objects.create(
        body=body,
        asked_by=actor,
        asker_organisation=membership.organisation,
        subject=subject,
        question=question,
        received_at=received,
        due_at=received + dt.timedelta(days=settings.PRESSDESK_INQUIRY_DEADLINE_DAYS),
    )
    transition_record(
        subject=inquiry,
        actor=actor,
        action="create",
        new=inquiry.status,
        role=membership.role,
        organisation=membership.organisation,
    )
    return inquiry


@transaction.atomic
def inquiry_assign(*, inquiry_id: int, actor: Any, assignee: Any) -> PressInquiry:
    inquiry = _lock_inquiry(inquiry_id)
    membership = require_role(actor, Role.BODY_HEAD, organisation=inquiry.body)
    if inquiry.status not in (PressInquiry.Status.RECEIVED, PressInquiry.Status.ASSIGNED):
        raise TransitionError("inquiry.not_open", "Yêu cầu đã được trả lời hoặc đã đóng.")
    if not has_role(assignee, BODY_STAFF, organisation=inquiry.body):
        raise ValidationFailed(
            "inquiry.bad_assignee", "Người được giao phải là cán bộ hoặc người phát ngôn của cơ quan."
        )
    old = inquiry.status
    inquiry.status = PressInquiry.Status.ASSIGNED
    inquiry.assigned_to = assignee
    inquiry.save(update_fields=["status", "assigned_to", "updated_at"])
    transition_record(
        subject=inquiry,
        actor=actor,
        action="assign",
        old=old,
        new=inquiry.status,
        role=membership.role,
        organisation=inquiry.body,
        data={"assignee": assignee.pk},
    )
    return inquiry


def _require_responder(actor: Any, inquiry: PressInquiry) -> str:
    if inquiry.assigned_to_id == getattr(actor, "pk", None) and has_role(
        actor, BODY_STAFF, organisation=inquiry.body
    ):
        return require_role(actor, BODY_STAFF, organisation=inquiry.body).role
    return require_role(actor, (Role.BODY_HEAD, Role.SPOKESPERSON), organisation=inquiry.body).role


def _respond(
    *, inquiry_id: int, actor: Any, text: str, declined: bool, now: dt.datetime | None
) -> PressInquiry:
    inquiry = _lock_inquiry(inquiry_id)
    role = _require_responder(actor, inquiry)
    if inquiry.status not in (PressInquiry.Status.RECEIVED, PressInquiry.Status.ASSIGNED):
        raise TransitionError("inquiry.not_open", "Yêu cầu đã được trả lời hoặc đã đóng.")
    when = _now(now)
    old = inquiry.status
    if declined:
        inquiry.decline_reason = _required(
            text, "inquiry.reason_required", "Từ chối cung cấp thông tin phải nêu rõ lý do."
        )
        inquiry.status = PressInquiry.Status.DECLINED
    else:
        inquiry.answer = _required(text, "inquiry.answer_required", "Cần ghi nội dung trả lời.")
        inquiry.status = PressInquiry.Status.ANSWERED
    inquiry.answered_by = actor
    inquiry.answered_at = when
    inquiry.late = when > inquiry.due_at
    inquiry.save()
    transition_record(
        subject=inquiry,
        actor=actor,
        action="decline" if declined else "answer",
        old=old,
        new=inquiry.status,
        role=role,
        organisation=inquiry.body,
        note=text.strip() if declined else "",
        data={"late": inquiry.late},
    )
    return inquiry


@transaction.atomic
def inquiry_answer(
    *, inquiry_id: int, actor: Any, answer: str, now: dt.datetime | None = None
) -> PressInquiry:
    return _respond(inquiry_id=inquiry_id, actor=actor, text=answer, declined=False, now=now)


@transaction.atomic
def inquiry_decline(
    *, inquiry_id: int, actor: Any, reason: str, now: dt.datetime | None = None
) -> PressInquiry:
    return _respond(inquiry_id=inquiry_id, actor=actor, text=reason, declined=True, now=now)


@transaction.atomic
def inquiry_close(*, inquiry_id: int, actor: Any) -> PressInquiry:
    inquiry = _lock_inquiry(inquiry_id)
    if inquiry.asked_by_id == getattr(actor, "pk", None):
        role = require_role(actor, PRESS_ROLES).role
    else:
        role = require_role(actor, Role.BODY_HEAD, organisation=inquiry.body).role
    if inquiry.status not in (PressInquiry.Status.ANSWERED, PressInquiry.Status.DECLINED):
        raise TransitionError("inquiry.not_answered", "Chỉ đóng được yêu cầu đã trả lời hoặc từ chối.")
    old, inquiry.status = inquiry.status, PressInquiry.Status.CLOSED
    inquiry.save(update_fields=["status", "updated_at"])
    transition_record(
        subject=inquiry,
        actor=actor,
        action="close",
        old=old,
        new=inquiry.status,
        role=role,
        organisation=inquiry.body,
    )
    return inquiry


# --- press events -----------------------------------------------------------------------------------

EVENT_ORGANISERS = (Role.BODY_HEAD, Role.BODY_OFFICER, Role.SPOKESPERSON, Role.MONITOR)


@transaction.atomic
def event_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    date: dt.date,
    bodies: Iterable[Organisation],
    agenda: str = "",
    organiser: Organisation | None = None,
) -> PressEvent:
    membership = require_role(actor, EVENT_ORGANISERS, organisation=organiser)
    if kind not in PressEvent.Kind.values:
        raise ValidationFailed("event.bad_kind", "Loại sự kiện không hợp lệ.")
    title = _required(title, "event.title_required", "Cần ghi tên sự kiện.")[:300]
    event = PressEvent.objects.create(
        kind=kind, title=title, date=date, agenda=agenda.strip(), organiser=membership.organisation
    )
    event.bodies.set(list(bodies))
    transition_record(
        subject=event, actor=actor, action="create", role=membership.role, organisation=event.organiser
    )
    return event


@transaction.atomic
def event_record_minutes(*, event_id: int, actor: Any, minutes: str) -> PressEvent:
    event = PressEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise NotFound("event.not_found", "Không tìm thấy sự kiện.")
    membership = require_role(actor, EVENT_ORGANISERS, organisation=event.organiser)
    event.minutes = _required(minutes, "event.minutes_required", "Biên bản trống.")
    event.save(update_fields=["minutes", "updated_at"])
    transition_record(
        subject=event, actor=actor, action="minutes", role=membership.role, organisation=event.organiser
    )
    return event


@transaction.atomic
def event_add_task(
    *, event_id: int, actor: Any, text: str, owner: Organisation, due_date: dt.date | None = None
) -> FollowUpTask:
    event = PressEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise NotFound("event.not_found", "Không tìm thấy sự kiện.")
    membership = require_role(actor, EVENT_ORGANISERS, organisation=event.organiser)
    task = FollowUpTask.objects.create(
        event=event,
        text=_required(text, "task.text_required", "Cần ghi nội dung nhiệm vụ."),
        owner=owner,
        due_date=due_date,
    )
    transition_record(
        subject=event,
        actor=actor,
        action="add_task",
        role=membership.role,
        organisation=event.organiser,
        data={"task": task.pk, "owner": owner.pk},
    )
    return task


@transaction.atomic
def task_mark_done(*, task_id: int, actor: Any, now: dt.datetime | None = None) -> FollowUpTask:
    task = FollowUpTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None:
        raise NotFound("task.not_found", "Không tìm thấy nhiệm vụ.")
    membership = require_role(actor, BODY_STAFF, organisation=task.owner)
    if task.done:
        raise TransitionError("task.already_done", "Nhiệm vụ đã được đánh dấu hoàn thành.")
    task.done, task.done_at = True, _now(now)
    task.save(update_fields=["done", "done_at"])
    transition_record(
        subject=task.event,
        actor=actor,
        action="task_done",
        role=membership.role,
        organisation=task.owner,
        data={"task": task.pk},
    )
    return task


# --- collaborators and resident reporters -----------------------------------------------------------


@transaction.atomic
def collaborator_save(
    *,
    actor: Any,
    agency: Organisation,
    person_name: str,
    beats: str = "",
    communes: str = "",
    phone: str = "",
    email: str = "",
    status: str = Collaborator.Status.ACTIVE,
) -> Collaborator:
    """Add or update (by agency and name) a collaborator of the actor's own press agency."""
    membership = require_role(actor, Role.AGENCY_EDITOR, organisation=agency)
    person_name = _required(person_name, "collaborator.name_required", "Cần ghi họ và tên.")
    if status not in Collaborator.Status.values:
        raise ValidationFailed("collaborator.bad_status", "Trạng thái không hợp lệ.")
    collaborator, created = Collaborator.objects.update_or_create(
        agency=agency,
        person_name=person_name,
        defaults={
            "beats": beats.strip(),
            "communes": communes.strip(),
            "phone": phone.strip(),
            "email": _validate_email(email) if email else "",
            "status": status,
        },
    )
    transition_record(
        subject=collaborator,
        actor=actor,
        action="create" if created else "update",
        new=status,
        role=membership.role,
        organisation=agency,
    )
    return collaborator


@transaction.atomic
def resident_reporter_save(
    *,
    actor: Any,
    office: Organisation,
    agency_name: str,
    person_name: str,
    press_card_number: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    phone: str = "",
    email: str = "",
) -> ResidentReporter:
    if has_role(actor, Role.ADMINISTRATOR):
        role: str = Role.ADMINISTRATOR
    else:
        role = require_role(actor, Role.RESIDENT_REPORTER, organisation=office).role
    person_name = _required(person_name, "reporter.name_required", "Cần ghi họ và tên.")
    agency_name = _required(agency_name, "reporter.agency_required", "Cần ghi cơ quan báo chí.")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationFailed("reporter.bad_range", "Ngày hết hạn thẻ trước ngày cấp.")
    reporter, created = ResidentReporter.objects.update_or_create(
        office=office,
        person_name=person_name,
        defaults={
            "agency_name": agency_name,
            "press_card_number": press_card_number.strip(),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "phone": phone.strip(),
            "email": _validate_email(email) if email else "",
        },
    )
    transition_record(
        subject=reporter,
        actor=actor,
        action="create" if created else "update",
        role=role,
        organisation=office,
    )
    return reporter


# --- website freshness ------------------------------------------------------------------------------


@transaction.atomic
def website_set(*, actor: Any, body: Organisation, url: str) -> BodyWebsite:
    role = _require_body_editor(actor, body)
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationFailed(
            "website.bad_url", "Địa chỉ RSS/sitemap không hợp lệ (cần http/https)."
        ) from exc
    website, _created = BodyWebsite.objects.update_or_create(
        body=body, defaults={"url": url, "status": BodyWebsite.Status.UNKNOWN, "error": ""}
    )
    transition_record(subject=website, actor=actor, action="set_url", role=role, organisation=body)
    return website


def website_check(
    *, website_id: int, fetch_latest_item_date: FetchLatest, now: dt.datetime | None = None
) -> BodyWebsite:
    """Ask `fetch_latest_item_date(url)` for the newest item and classify the site fresh/stale/error."""
    from pressdesk.ingest.errors import FetchError

    when = _now(now)
    website = BodyWebsite.objects.get(pk=website_id)
    try:
        latest = fetch_latest_item_date(website.url)
    except FetchError as exc:
        website.status = BodyWebsite.Status.ERROR
        website.error = f"{exc.reason}: {exc.message}"[:300]
    else:
        website.error = ""
        if latest is not None:
            website.last_updated = max(latest, website.last_updated) if website.last_updated else latest
        stale_after = dt.timedelta(days=settings.PRESSDESK_WEBSITE_STALE_DAYS)
        if website.last_updated is None or when - website.last_updated > stale_after:
            website.status = BodyWebsite.Status.STALE
        else:
            website.status = BodyWebsite.Status.FRESH
    website.last_checked = when
    website.save(update_fields=["status", "error", "last_updated", "last_checked", "updated_at"])
    return website


def _settings_fetcher() -> Any:
    from pressdesk.ingest.fetcher import AllowList, SafeFetcher

    return SafeFetcher(
        user_agent=settings.PRESSDESK_FETCH_USER_AGENT,
        timeout=settings.PRESSDESK_FETCH_TIMEOUT,
        connect_timeout=min(5.0, settings.PRESSDESK_FETCH_TIMEOUT),
        max_bytes=settings.PRESSDESK_FETCH_MAX_BYTES,
        allow=AllowList.parse(settings.PRESSDESK_FETCH_ALLOW),
        delay=float(getattr(settings, "PRESSDESK_FETCH_DELAY", 1.0)),
    )


def latest_item_date_fetcher(fetcher: Any) -> FetchLatest:
    """`fetch_latest_item_date(url)` over a SafeFetcher: the newest entry date of a feed or sitemap."""
    from pressdesk.ingest.feeds import parse_feed
    from pressdesk.ingest.sitemaps import parse_sitemap, walk_sitemap

    def fetch_latest_item_date(url: str) -> dt.datetime | None:
        content = fetcher.fetch(
            url, accept="application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"
        ).content
        head = content[:4096].lower()
        if b"<sitemapindex" in head:
            entries = walk_sitemap(lambda u: fetcher.fetch(u).content, url, max_sitemaps=10)
        elif b"<urlset" in head or content[:2] == b"\x1f\x8b":
            entries = parse_sitemap(content).entries
        else:
            entries = parse_feed(content, url)
        dates = [e.published for e in entries if e.published is not None]
        return max(dates) if dates else None

    return fetch_latest_item_date


def websites_check_all(*, fetch: FetchLatest | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Check every registered site; returns counts per resulting status. Daily job (schedule.py)."""
    ids = list(BodyWebsite.objects.order_by("pk").values_list("pk", flat=True))
    counts: dict[str, int] = {}
    if not ids:
        return counts
    own = None
    if fetch is None:
        own = _settings_fetcher()
        fetch = latest_item_date_fetcher(own)
    try:
        for pk in ids:
            website = website_check(website_id=pk, fetch_latest_item_date=fetch, now=now)
            counts[website.status] = counts.get(website.status, 0) + 1
    finally:
        if own is not None:
            own.close()
    return counts
