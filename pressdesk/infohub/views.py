"""Pages of the information hub: public pages (no login) and staff pages (login + role + own body).

Views stay thin: look the object up for the user, parse a form, call one service, render. A refused
action re-renders with the Vietnamese message and its status code (403/409/422) and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pressdesk.accounts.models import Membership, Organisation, Role
from pressdesk.accounts.permissions import active_roles, has_role, organisations_with_role
from pressdesk.core.audit import history_for
from pressdesk.core.errors import DomainError, NotFound
from pressdesk.core.throttling import rate_limited
from pressdesk.infohub import forms as f
from pressdesk.infohub import selectors, services
from pressdesk.infohub.inbox import items as inbox_items
from pressdesk.infohub.models import (
    BodyWebsite,
    Collaborator,
    PressInquiry,
    PressRelease,
    PressReleaseAttachment,
    ResidentReporter,
)

BODY_EDITORS = (Role.BODY_OFFICER, Role.BODY_HEAD)


def _fail(request: HttpRequest, exc: DomainError) -> int:
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    messages.error(request, exc.message)
    return exc.status_code


def _need_roles(user: Any) -> set[str]:
    roles = active_roles(user)
    if not roles:
        raise PermissionDenied
    return roles


# --- public pages -----------------------------------------------------------------------------------


def _bodies_with_releases() -> Any:
    return Organisation.objects.filter(pk__in=selectors.published_releases().values("body_id")).order_by(
        "name"
    )


def public_list(request: HttpRequest, body_id: int | None = None) -> HttpResponse:
    body = get_object_or_404(Organisation, pk=body_id) if body_id is not None else None
    page = Paginator(selectors.published_releases(body=body), 20).get_page(request.GET.get("trang"))
    return render(
        request,
        "infohub/public_list.html",
        {
            "body": body,
            "page": page,
            "bodies": _bodies_with_releases(),
            "subscribe_form": f.SubscribeForm(
                bodies=selectors.addressable_bodies(), initial={"body": body.pk if body else None}
            ),
        },
    )


def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        release = selectors.public_release(slug=slug)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "infohub/public_detail.html",
        {"release": release, "attachments": release.attachments.all()},
    )


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Public once the release is published; before that only the body's own staff (and overseers)."""
    attachment = get_object_or_404(PressReleaseAttachment.objects.select_related("release"), pk=pk)
    if not attachment.release.is_public:
        if not request.user.is_authenticated:
            raise Http404
        try:
            selectors.release_get_for_user(request.user, attachment.release_id)
        except NotFound as exc:
            raise Http404 from exc
    try:
        handle = default_storage.open(attachment.file, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


SUBSCRIBE_LIMIT = 10  # subscription requests per client address per hour


@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    if rate_limited(request, "subscribe", limit=SUBSCRIBE_LIMIT, window_seconds=3600):
        messages.error(request, "Quá nhiều yêu cầu đăng ký từ địa chỉ này. Vui lòng thử lại sau một giờ.")
        return redirect("infohub:public_list")
    form = f.SubscribeForm(request.POST, bodies=selectors.addressable_bodies())
    press_user = request.user.is_authenticated and has_role(request.user, services.PRESS_ROLES)
    if press_user:  # the account's own address is used; no confirmation round-trip
        form.fields["email"].required = False
    if not form.is_valid():
        messages.error(request, "Địa chỉ thư điện tử hoặc cơ quan không hợp lệ.")
        return redirect("infohub:public_list")
    body = form.cleaned_data["body"]
    try:
        if press_user:
            services.subscription_for_user(actor=request.user, body=body)
            messages.success(request, "Đã đăng ký nhận thông cáo vào địa chỉ thư của tài khoản.")
        else:
            services.subscription_request(email=form.cleaned_data["email"], body=body)
            messages.success(request, "Đã gửi thư xác nhận. Mở liên kết trong thư để hoàn tất đăng ký.")
    except DomainError as exc:
        _fail(request, exc)
    return redirect("infohub:public_list")


def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.subscription_confirm(token=token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, "Đã xác nhận đăng ký nhận thông cáo báo chí.")
    return redirect("infohub:public_list")


@require_http_methods(["GET", "POST"])
def subscription_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    # A GET only asks: mail scanners that follow links must not unsubscribe anybody.
    if request.method == "POST":
        try:
            services.subscription_unsubscribe(token=token)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        messages.success(request, "Đã hủy đăng ký nhận thông cáo.")
        return redirect("infohub:public_list")
    return render(request, "infohub/unsubscribe.html", {"token": token})


def spokesperson_directory(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "infohub/spokespersons.html",
        {"appointments": selectors.current_spokespersons(), "today": timezone.localdate()},
    )


# --- staff: dashboard -------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = _need_roles(user)
    bodies = organisations_with_role(user, selectors.BODY_STAFF)
    today = timezone.localdate()
    now = timezone.now()
    inquiries = list(selectors.inquiries_for_user(user).filter(status__in=selectors.OPEN_INQUIRY)[:100])
    return render(
        request,
        "infohub/index.html",
        {
            "inbox": inbox_items(user),
            "bodies": bodies,
            "releases": selectors.releases_for_user(user)[:50],
            "inquiries": inquiries,
            "overdue_ids": {i.pk for i in inquiries if selectors.inquiry_is_overdue(i, now=now)},
            "spokespersons": selectors.current_spokespersons(day=today).filter(body__in=bodies),
            "uncovered": selectors.bodies_without_spokesperson(day=today, bodies=bodies),
            "can_draft": bool(roles & set(BODY_EDITORS)),
            "can_ask": bool(roles & set(services.PRESS_ROLES)),
            "is_overseer": bool(roles & set(selectors.OVERSEERS)),
            # the same conditions as those pages' own checks
            "can_spokespersons": bool(roles & set(selectors.OVERSEERS))
            or Role.ADMINISTRATOR in roles
            or organisations_with_role(user, BODY_EDITORS).exists(),
            "can_collaborators": bool(roles & set(selectors.OVERSEERS)) or Role.AGENCY_EDITOR in roles,
        },
    )


# --- staff: releases --------------------------------------------------------------------------------


@login_required
def release_new(request: HttpRequest) -> HttpResponse:
    bodies = organisations_with_role(request.user, BODY_EDITORS)
    if not bodies.exists():
        raise PermissionDenied
    form = f.ReleaseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            release = services.release_create(
                actor=request.user, body=bodies.order_by("pk")[0], **form.cleaned_data
            )
        except DomainError as exc:
            status = _fail(request, exc)
        else:
            messages.success(request, "Đã lưu dự thảo thông cáo.")
            return redirect("infohub:release_detail", release.pk)
    elif request.method == "POST":
        status = 422
    return render(request, "infohub/release_form.html", {"form": form}, status=status)


@login_required
def release_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        release = selectors.release_get_for_user(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    if not has_role(request.user, BODY_EDITORS, organisation=release.body):
        raise PermissionDenied
    form = f.ReleaseForm(
        request.POST or None,
        initial={
            "title": release.title,
            "number": release.number,
            "summary": release.summary,
            "body_text": release.body_text,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.release_update(release_id=release.pk, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            status = _fail(request, exc)
        else:
            messages.success(request, "Đã lưu thông cáo.")
            return redirect("infohub:release_detail", release.pk)
    elif request.method == "POST":
        status = 422
    return render(request, "infohub/release_form.html", {"form": form, "release": release}, status=status)


def _answered_alerts(release: PressRelease) -> list[Any]:
    """The monitoring alerts this press release answers (the answer links the release)."""
    from pressdesk.watch.models import Alert

    return list(Alert.objects.filter(responses__press_release=release).distinct().order_by("-pk"))


def _release_page(request: HttpRequest, release: PressRelease, status: int = 200) -> HttpResponse:
    user = request.user
    editor = has_role(user, BODY_EDITORS, organisation=release.body)
    head = has_role(user, Role.BODY_HEAD, organisation=release.body)
    s = PressRelease.Status
    return render(
        request,
        "infohub/release_detail.html",
        {
            "release": release,
            "attachments": release.attachments.all(),
            "answered_alerts": _answered_alerts(release),
            "history": history_for(release),
            "can_edit": editor and release.status == s.DRAFT,
            "can_attach": editor and release.status in (s.DRAFT, s.SUBMITTED),
            "can_submit": editor and release.status == s.DRAFT,
            "can_approve": head and release.status == s.SUBMITTED,
            "can_withdraw": head and release.status == s.PUBLISHED,
            "attach_form": f.AttachmentForm(),
            "note_form": f.NoteForm(),
        },
        status=status,
    )


@login_required
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need_roles(request.user)
    try:
        release = selectors.release_get_for_user(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    return _release_page(request, release)


@login_required
@require_POST
def release_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        release = selectors.release_get_for_user(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    user = request.user
    try:
        if action == "submit":
            services.release_submit(release_id=pk, actor=user)
            messages.success(request, "Đã trình thủ trưởng duyệt.")
        elif action == "approve":
            services.release_approve(release_id=pk, actor=user)
            messages.success(request, "Đã duyệt và công bố thông cáo.")
        elif action == "return":
            services.release_return(release_id=pk, actor=user, note=request.POST.get("note", ""))
            messages.success(request, "Đã trả lại để hoàn thiện.")
        elif action == "withdraw":
            services.release_withdraw(release_id=pk, actor=user, reason=request.POST.get("note", ""))
            messages.success(request, "Đã thu hồi thông cáo.")
        elif action == "attach":
            upload = request.FILES.get("file")
            if upload is None:
                messages.error(request, "Chưa chọn tệp đính kèm.")
                return _release_page(request, release, status=422)
            services.release_attach(release_id=pk, actor=user, file=upload)
            messages.success(request, "Đã đính kèm tệp.")
        else:
            raise Http404
    except DomainError as exc:
        status = _fail(request, exc)
        release.refresh_from_db()
        return _release_page(request, release, status=status)
    return redirect("infohub:release_detail", pk)


# --- staff: inquiries -------------------------------------------------------------------------------


@login_required
def inquiry_new(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, services.PRESS_ROLES):
        raise PermissionDenied
    bodies = selectors.addressable_bodies()
    form = f.InquiryForm(request.POST or None, bodies=bodies)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            status = _fail(request, exc)
        else:
            messages.success(request, "Đã gửi yêu cầu cung cấp thông tin.")
            return redirect("infohub:inquiry_detail", inquiry.pk)
    elif request.method == "POST":
        status = 422
    return render(request, "infohub/inquiry_form.html", {"form": form}, status=status)


def _body_people(body: Organisation) -> list[Any]:
    memberships = Membership.objects.filter(
        organisation=body, role__in=selectors.BODY_STAFF, user__is_active=True
    ).select_related("user")
    return list({m.user.pk: m.user for m in memberships}.values())


def _inquiry_page(request: HttpRequest, inquiry: PressInquiry, status: int = 200) -> HttpResponse:
    user = request.user
    open_ = inquiry.status in selectors.OPEN_INQUIRY
    head = has_role(user, Role.BODY_HEAD, organisation=inquiry.body)
    responder = (
        head
        or has_role(user, Role.SPOKESPERSON, organisation=inquiry.body)
        or (
            inquiry.assigned_to_id == user.pk
            and has_role(user, selectors.BODY_STAFF, organisation=inquiry.body)
        )
    )
    closable = inquiry.status in (PressInquiry.Status.ANSWERED, PressInquiry.Status.DECLINED) and (
        head or inquiry.asked_by_id == user.pk
    )
    return render(
        request,
        "infohub/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "overdue": selectors.inquiry_is_overdue(inquiry),
            "history": history_for(inquiry),
            "can_assign": head and open_,
            "can_answer": responder and open_,
            "can_close": closable,
            "assign_form": f.AssignForm(people=_body_people(inquiry.body)),
            "answer_form": f.AnswerForm(),
        },
        status=status,
    )


@login_required
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        inquiry = selectors.inquiry_get_for_user(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    return _inquiry_page(request, inquiry)


@login_required
@require_POST
def inquiry_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        inquiry = selectors.inquiry_get_for_user(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    user = request.user
    try:
        if action == "assign":
            people = {u.pk: u for u in _body_people(inquiry.body)}
            assignee = people.get(int(request.POST.get("assignee") or 0))
            if assignee is None:
                messages.error(request, "Người được giao không thuộc cơ quan.")
                return _inquiry_page(request, inquiry, status=422)
            services.inquiry_assign(inquiry_id=pk, actor=user, assignee=assignee)
            messages.success(request, "Đã giao xử lý.")
        elif action == "answer":
            services.inquiry_answer(inquiry_id=pk, actor=user, answer=request.POST.get("text", ""))
            messages.success(request, "Đã trả lời.")
        elif action == "decline":
            services.inquiry_decline(inquiry_id=pk, actor=user, reason=request.POST.get("text", ""))
            messages.success(request, "Đã từ chối, có nêu lý do.")
        elif action == "close":
            services.inquiry_close(inquiry_id=pk, actor=user)
            messages.success(request, "Đã đóng yêu cầu.")
        else:
            raise Http404
    except DomainError as exc:
        status = _fail(request, exc)
        inquiry.refresh_from_db()
        return _inquiry_page(request, inquiry, status=status)
    except ValueError:
        messages.error(request, "Người được giao không hợp lệ.")
        return _inquiry_page(request, inquiry, status=422)
    return redirect("infohub:inquiry_detail", pk)


# --- staff: spokesperson register -------------------------------------------------------------------


@login_required
def spokesperson_admin(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = _need_roles(user)
    overseer = bool(roles & set(selectors.OVERSEERS))
    editable = (
        selectors.speaking_bodies()
        if Role.ADMINISTRATOR in roles
        else organisations_with_role(user, BODY_EDITORS)
    )
    if not overseer and not editable.exists():
        raise PermissionDenied
    form = f.SpokespersonForm(request.POST or None, bodies=editable.order_by("name"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.spokesperson_appoint(actor=user, **form.cleaned_data)
            except DomainError as exc:
                status = _fail(request, exc)
            else:
                messages.success(request, "Đã ghi nhận người phát ngôn.")
                return redirect("infohub:spokesperson_admin")
        else:
            status = 422
    today = timezone.localdate()
    scope = selectors.speaking_bodies(day=today) if overseer else editable
    return render(
        request,
        "infohub/spokesperson_admin.html",
        {
            "form": form if editable.exists() else None,
            "appointments": selectors.current_spokespersons(day=today).filter(body__in=scope),
            "uncovered": selectors.bodies_without_spokesperson(day=today, bodies=scope),
            "today": today,
        },
        status=status,
    )


# --- staff: events, collaborators, reporters, websites ----------------------------------------------


@login_required
def events(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need_roles(user)
    can_create = has_role(user, services.EVENT_ORGANISERS)
    all_bodies = selectors.addressable_bodies()
    form = f.EventForm(request.POST or None, bodies=all_bodies)
    status = 200
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.event_create(actor=user, **form.cleaned_data)
            except DomainError as exc:
                status = _fail(request, exc)
            else:
                messages.success(request, "Đã tạo sự kiện báo chí.")
                return redirect("infohub:events")
        else:
            status = 422
    own = set(organisations_with_role(user, selectors.BODY_STAFF).values_list("pk", flat=True))
    organising = set(organisations_with_role(user, services.EVENT_ORGANISERS).values_list("pk", flat=True))
    return render(
        request,
        "infohub/events.html",
        {
            "events": selectors.events_for_user(user)[:50],
            "form": form if can_create else None,
            "task_form": f.TaskForm(bodies=all_bodies),
            "minutes_form": f.MinutesForm(),
            "own_bodies": own,
            "organising": organising,
        },
        status=status,
    )


@login_required
@require_POST
def event_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    try:
        if action == "task":
            form = f.TaskForm(request.POST, bodies=selectors.addressable_bodies())
            if not form.is_valid():
                messages.error(request, "Nhiệm vụ chưa đủ thông tin (nội dung, cơ quan thực hiện).")
                return redirect("infohub:events")
            services.event_add_task(event_id=pk, actor=user, **form.cleaned_data)
        elif action == "minutes":
            services.event_record_minutes(event_id=pk, actor=user, minutes=request.POST.get("minutes", ""))
        elif action == "done":
            services.task_mark_done(task_id=int(request.POST.get("task") or 0), actor=user)
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã lưu.")
    return redirect("infohub:events")


@login_required
def collaborators(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = _need_roles(user)
    agencies = organisations_with_role(user, Role.AGENCY_EDITOR)
    overseer = bool(roles & set(selectors.OVERSEERS))
    if not overseer and not agencies.exists():
        raise PermissionDenied
    form = f.CollaboratorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not agencies.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                services.collaborator_save(actor=user, agency=agencies.order_by("pk")[0], **form.cleaned_data)
            except DomainError as exc:
                status = _fail(request, exc)
            else:
                messages.success(request, "Đã lưu cộng tác viên.")
                return redirect("infohub:collaborators")
        else:
            status = 422
    qs = Collaborator.objects.select_related("agency")
    if not overseer:
        qs = qs.filter(agency__in=agencies)
    return render(
        request,
        "infohub/collaborators.html",
        {"collaborators": qs, "form": form if agencies.exists() else None},
        status=status,
    )


@login_required
def reporters(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = _need_roles(user)
    offices = organisations_with_role(user, Role.RESIDENT_REPORTER)
    form = f.ResidentReporterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not offices.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                services.resident_reporter_save(
                    actor=user, office=offices.order_by("pk")[0], **form.cleaned_data
                )
            except DomainError as exc:
                status = _fail(request, exc)
            else:
                messages.success(request, "Đã lưu phóng viên thường trú.")
                return redirect("infohub:reporters")
        else:
            status = 422
    del roles  # every role may read the register: it is what the province gives to press relations
    works = None
    name = request.GET.get("tac-gia", "").strip()
    if name:
        works = selectors.works_by_person(name)[:50]
    return render(
        request,
        "infohub/reporters.html",
        {
            "reporters": ResidentReporter.objects.select_related("office"),
            "form": form if offices.exists() else None,
            "works": works,
            "author": name,
        },
        status=status,
    )


@login_required
def websites(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = _need_roles(user)
    editable = (
        selectors.speaking_bodies()
        if Role.ADMINISTRATOR in roles
        else organisations_with_role(user, BODY_EDITORS)
    )
    form = f.WebsiteForm(request.POST or None, bodies=editable.order_by("name"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.website_set(actor=user, **form.cleaned_data)
            except DomainError as exc:
                status = _fail(request, exc)
            else:
                messages.success(request, "Đã lưu địa chỉ kiểm tra.")
                return redirect("infohub:websites")
        else:
            status = 422 if editable.exists() else 403
            if status == 403:
                raise PermissionDenied
    return render(
        request,
        "infohub/websites.html",
        {
            "websites": BodyWebsite.objects.select_related("body"),
            "stale": selectors.stale_websites(),
            "form": form if editable.exists() else None,
            "stale_days": settings.PRESSDESK_WEBSITE_STALE_DAYS,
        },
        status=status,
    )
