"""Pages of plans: the plan at a glance, topic and event editing, orientation notes, import.

Anonymous → login page; a logged-in user without an active role → 403; any role reads; only a plan
editor edits, imports and issues (403 otherwise, nothing changed). Refused input re-renders the form
with the message and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Role
from pressdesk.accounts.permissions import has_role, require_any_role, require_role
from pressdesk.core.audit import history_for
from pressdesk.core.errors import DomainError, NotFound
from pressdesk.plans import forms as f
from pressdesk.plans import selectors, services
from pressdesk.plans.models import ContentArea, Plan

ALLOWED_SUFFIXES = (".txt", ".docx")


def _is_editor(request: HttpRequest) -> bool:
    return has_role(request.user, Role.PLAN_EDITOR)


def _plan(year: int) -> Plan:
    try:
        return selectors.plan_for_year(year=year)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    plans = [(p, selectors.plan_counts(p)) for p in selectors.plans_list()]
    return render(request, "plans/index.html", {"plans": plans, "can_edit": _is_editor(request)})


@login_required
def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    require_any_role(request.user)
    plan = _plan(year)
    today = timezone.localdate()
    context = {
        "plan": plan,
        "areas": selectors.plan_areas(plan),
        "calendar": selectors.events_calendar(plan),
        "responsibilities": plan.responsibilities.order_by("order"),
        "orientations": selectors.orientations_in_force(plan, day=today),
        "counts": selectors.plan_counts(plan),
        "issuing_bodies": plan.issuing_bodies.all(),
        "can_edit": _is_editor(request),
    }
    return render(request, "plans/detail.html", context)


def _csv(values: list[str]) -> str:
    return ", ".join(values)


@login_required
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_any_role(request.user)
    try:
        topic = selectors.topic_get(pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    status = 200
    if request.method == "POST":
        require_role(request.user, Role.PLAN_EDITOR)
        form = f.TopicForm(request.POST)
        if form.is_valid():
            try:
                services.topic_update(
                    topic_id=topic.pk,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    keywords=form.cleaned_data["keywords"],
                    target_count=form.cleaned_data["target_count"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Đã lưu nội dung."))
                return redirect("plans:topic", pk=topic.pk)
        else:
            status = 422
    else:
        form = f.TopicForm(
            initial={"text": topic.text, "keywords": _csv(topic.keywords), "target_count": topic.target_count}
        )
    context = {
        "topic": topic,
        "plan": topic.area.plan,
        "form": form,
        "can_edit": _is_editor(request),
        "history": history_for(topic),
        "orientations": topic.orientations.order_by("-valid_from"),
        "events": topic.events.order_by("order"),
    }
    return render(request, "plans/topic.html", context, status=status)


@login_required
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_any_role(request.user)
    area = ContentArea.objects.select_related("plan").filter(pk=pk).first()
    if area is None:
        raise Http404(_("Không tìm thấy lĩnh vực này."))
    status = 200
    if request.method == "POST":
        require_role(request.user, Role.PLAN_EDITOR)
        form = f.AreaForm(request.POST)
        if form.is_valid():
            try:
                services.area_update(
                    area_id=area.pk, actor=request.user, keywords=form.cleaned_data["keywords"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Đã lưu lĩnh vực."))
                return redirect("plans:area", pk=area.pk)
        else:
            status = 422
    else:
        form = f.AreaForm(initial={"keywords": _csv(area.keywords)})
    context = {
        "area": area,
        "plan": area.plan,
        "topics": area.topics.order_by("order"),
        "form": form,
        "can_edit": _is_editor(request),
        "history": history_for(area),
    }
    return render(request, "plans/area.html", context, status=status)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_any_role(request.user)
    try:
        event = selectors.event_get(pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    status = 200
    if request.method == "POST":
        require_role(request.user, Role.PLAN_EDITOR)
        form = f.EventForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.event_update(
                    event_id=event.pk,
                    actor=request.user,
                    title=d["title"],
                    date=d["date"],
                    window_before_days=d["window_before_days"],
                    window_after_days=d["window_after_days"],
                    keywords=d["keywords"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Đã lưu sự kiện."))
                return redirect("plans:event", pk=event.pk)
        else:
            status = 422
    else:
        form = f.EventForm(
            initial={
                "title": event.title,
                "date": event.date,
                "window_before_days": event.window_before_days,
                "window_after_days": event.window_after_days,
                "keywords": _csv(event.keywords),
            }
        )
    context = {
        "event": event,
        "plan": event.plan,
        "form": form,
        "can_edit": _is_editor(request),
        "history": history_for(event),
    }
    return render(request, "plans/event.html", context, status=status)


@login_required
def orientation_list(request: HttpRequest, year: int) -> HttpResponse:
    require_any_role(request.user)
    plan = _plan(year)
    today = timezone.localdate()
    context = {
        "plan": plan,
        "orientations": selectors.orientations_for_plan(plan),
        "today": today,
        "can_edit": _is_editor(request),
    }
    return render(request, "plans/orientations.html", context)


@login_required
def orientation_new(request: HttpRequest, year: int) -> HttpResponse:
    require_role(request.user, Role.PLAN_EDITOR)
    plan = _plan(year)
    status = 200
    if request.method == "POST":
        form = f.OrientationForm(request.POST, plan=plan)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.orientation_issue(
                    plan=plan,
                    actor=request.user,
                    title=d["title"],
                    body=d["body"],
                    topics=list(d["topics"]),
                    valid_from=d["valid_from"],
                    valid_to=d["valid_to"],
                    number=d["number"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Đã ban hành định hướng."))
                return redirect("plans:orientations", year=plan.year)
        else:
            status = 422
    else:
        form = f.OrientationForm(plan=plan, initial={"valid_from": timezone.localdate()})
    return render(request, "plans/orientation_form.html", {"plan": plan, "form": form}, status=status)


@login_required
def plan_import(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.PLAN_EDITOR)
    status = 200
    error = ""
    if request.method == "POST":
        form = f.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["document"]
            name = upload.name or ""
            if not name.lower().endswith(ALLOWED_SUFFIXES):
                error = _("Chỉ nhận tệp .txt (UTF-8) hoặc .docx.")
                status = 422
            elif upload.size > settings.PRESSDESK_UPLOAD_MAX_BYTES:
                error = _("Tệp quá lớn.")
                status = 422
            else:
                try:
                    plan = services.plan_import(
                        document=upload.read(),
                        filename=name,
                        actor=request.user,
                        replace=form.cleaned_data["replace"],
                    )
                except DomainError as exc:
                    error = exc.message
                    status = exc.status_code
                else:
                    c = selectors.plan_counts(plan)
                    messages.success(
                        request,
                        _(
                            "Đã nhập kế hoạch %(year)s: %(areas)s lĩnh vực, %(topics)s nội dung, %(events)s sự kiện."
                        )
                        % {"year": plan.year, **c},
                    )
                    return redirect(reverse("plans:detail", kwargs={"year": plan.year}))
        else:
            status = 422
    else:
        form = f.ImportForm()
    context: dict[str, Any] = {"form": form, "error": error}
    return render(request, "plans/import.html", context, status=status)
