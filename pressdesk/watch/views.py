"""Pages of the monitoring workspace (thin: selectors read, services write)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pressdesk.accounts.models import Organisation, OrgKind, Outlet
from pressdesk.accounts.permissions import require_any_role
from pressdesk.core.audit import history_for
from pressdesk.core.errors import DomainError, NotFound
from pressdesk.monitoring.models import Article
from pressdesk.plans.models import ContentArea, KeyEvent, Topic
from pressdesk.watch import selectors, services, social
from pressdesk.watch.models import Alert, AlertRule, Notification, Response, RoutingRule, SavedSearch
from pressdesk.watch.places import place_groups
from pressdesk.watch.search import Filters, search_articles

PAGE_SIZE = 20


def _roles(request: HttpRequest) -> set[str]:
    return require_any_role(request.user)


def _require_manager(request: HttpRequest) -> None:
    if not selectors.can_manage(request.user):
        raise PermissionDenied("monitor_required")


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    _roles(request)
    error = ""
    query = request.GET.get("q", "")
    sort = request.GET.get("sort", "relevance")
    result = None
    page_obj = None
    try:
        filters = Filters.from_mapping(request.GET)
        if request.method == "POST":
            saved = services.saved_search_save(
                actor=request.user, name=request.POST.get("name", ""), query=query, filters=filters
            )
            messages.success(request, _("Đã lưu tìm kiếm “%(n)s”.") % {"n": saved.name})
            return redirect(request.get_full_path())
        number = (
            max(1, int(request.GET.get("page", "1") or 1)) if request.GET.get("page", "1").isdigit() else 1
        )
        result = search_articles(
            query=query, filters=filters, sort=sort, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        )
        page_obj = Paginator(range(result.total), PAGE_SIZE).get_page(number)
    except DomainError as exc:
        error = exc.message
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "watch/index.html",
        {
            "query": query,
            "sort": sort,
            "get": request.GET,
            "result": result,
            "page_obj": page_obj,
            "base_qs": params.urlencode(),
            "error": error,
            "outlets": Outlet.objects.order_by("name"),
            "areas": ContentArea.objects.order_by("plan__year", "number").select_related("plan"),
            "topics": Topic.objects.order_by("area__plan__year", "area__number", "order").select_related(
                "area__plan"
            ),
            "events": KeyEvent.objects.order_by("plan__year", "order").select_related("plan"),
            "places": place_groups(),
            "tones": Article.Tone.choices,
            "relevances": Article.Relevance.choices,
            "saved": selectors.saved_searches_with_counts(request.user),
        },
    )


@login_required
def saved_open(request: HttpRequest, saved_id: int) -> HttpResponse:
    _roles(request)
    try:
        saved = services.saved_search_seen(actor=request.user, saved_id=saved_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    params: dict[str, Any] = {"q": saved.query, **saved.filters}
    return redirect(reverse("watch:index") + "?" + urlencode(params, doseq=True))


@login_required
@require_POST
def saved_delete(request: HttpRequest, saved_id: int) -> HttpResponse:
    _roles(request)
    SavedSearch.objects.filter(pk=saved_id, owner_id=request.user.pk).delete()
    return redirect("watch:index")


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    _roles(request)
    qs = selectors.alerts_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Alert.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    Notification.objects.filter(user_id=request.user.pk, read_at__isnull=True, alert__in=list(page)).update(  # type: ignore[misc]
        read_at=timezone.now()
    )
    return render(
        request,
        "watch/alerts.html",
        {
            "page_obj": page,
            "statuses": Alert.Status.choices,
            "status": status,
            "can_manage": selectors.can_manage(request.user),
        },
    )


def _answer_releases(alert: Alert) -> list[Any]:
    """The answering body's published press releases, newest first, to link to an answer."""
    if alert.body_id is None:
        return []
    from pressdesk.infohub.models import PressRelease

    return list(
        PressRelease.objects.filter(body_id=alert.body_id, status=PressRelease.Status.PUBLISHED).order_by(
            "-published_at", "-pk"
        )[:50]
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    _roles(request)
    try:
        alert = selectors.alert_for(request.user, alert_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer":
                release = request.POST.get("press_release") or None
                services.alert_answer(
                    alert_id=alert.pk,
                    actor=request.user,
                    kind=request.POST.get("kind", ""),
                    text=request.POST.get("text", ""),
                    link_url=request.POST.get("link_url", "").strip(),
                    press_release_id=int(release) if release and release.isdigit() else None,
                )
                messages.success(request, _("Đã ghi nhận trả lời."))
            elif action == "close":
                services.alert_close(alert_id=alert.pk, actor=request.user)
                messages.success(request, _("Đã đóng cảnh báo."))
            elif action == "route":
                body = request.POST.get("body", "")
                services.alert_route(
                    alert_id=alert.pk, body_id=int(body) if body.isdigit() else 0, actor=request.user
                )
                messages.success(request, _("Đã phân công."))
            else:
                raise PermissionDenied("unknown_action")
            return redirect("watch:alert", alert_id=alert.pk)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            error = exc.message
    articles = alert.articles.select_related("outlet").order_by("published_at", "pk")
    return render(
        request,
        "watch/alert.html",
        {
            "alert": alert,
            "articles": articles,
            "outlet_count": len({a.outlet_id for a in articles}),
            "responses": alert.responses.select_related("body", "responder", "press_release"),
            "history": history_for(alert),
            "can_answer": selectors.can_answer(request.user, alert) and alert.status in services.OPEN_STATES,
            "can_close": alert.status == Alert.Status.ANSWERED
            and (selectors.can_answer(request.user, alert) or selectors.can_manage(request.user)),
            "can_manage": selectors.can_manage(request.user) and alert.status in services.OPEN_STATES,
            "kinds": Response.Kind.choices,
            "releases": _answer_releases(alert),
            "bodies": Organisation.objects.filter(
                kind__in=[OrgKind.LOCALITY, OrgKind.DEPARTMENT, OrgKind.PEOPLES_COMMITTEE]
            ),
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    _roles(request)
    _require_manager(request)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("form") == "routing":
                area = request.POST.get("area", "")
                services.routing_rule_save(
                    actor=request.user,
                    body_id=int(request.POST.get("body") or 0),
                    place_code=request.POST.get("place_code", ""),
                    area_id=int(area) if area.isdigit() else None,
                )
            else:
                rule_id = request.POST.get("rule_id", "")
                hours = request.POST.get("deadline_hours", "24")
                services.alert_rule_save(
                    actor=request.user,
                    rule_id=int(rule_id) if rule_id.isdigit() else None,
                    name=request.POST.get("name", "").strip(),
                    kind=request.POST.get("kind", ""),
                    severity=request.POST.get("severity", "medium"),
                    enabled=request.POST.get("enabled") == "on",
                    deadline_hours=int(hours) if hours.isdigit() else 24,
                    keywords=[k.strip() for k in request.POST.get("keywords", "").split(",") if k.strip()],
                    place_code=request.POST.get("place_code", "").strip(),
                )
            messages.success(request, _("Đã lưu."))
            return redirect("watch:rules")
        except DomainError as exc:
            error = exc.message
        except Exception as exc:  # full_clean on a rule: show the field errors, store nothing
            if exc.__class__.__name__ != "ValidationError":
                raise
            error = "; ".join(str(m) for m in getattr(exc, "messages", [str(exc)]))
    return render(
        request,
        "watch/rules.html",
        {
            "rules": AlertRule.objects.all(),
            "routing": RoutingRule.objects.select_related("body", "area", "topic"),
            "kinds": AlertRule.Kind.choices,
            "severities": AlertRule.Severity.choices,
            "bodies": Organisation.objects.filter(
                kind__in=[OrgKind.LOCALITY, OrgKind.DEPARTMENT, OrgKind.PEOPLES_COMMITTEE]
            ),
            "areas": ContentArea.objects.select_related("plan"),
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def social_page(request: HttpRequest) -> HttpResponse:
    _roles(request)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("form") == "import":
                _require_manager(request)
                upload = request.FILES.get("file")
                if upload is None:
                    raise DomainError("social.file", _("Hãy chọn tệp JSON hoặc CSV."))
                created, known = social.social_import(
                    data=upload.read(), filename=upload.name or "", actor=request.user
                )
                messages.success(
                    request,
                    _("Đã nhập %(n)s bài đăng mới, %(k)s bài đã có.") % {"n": len(created), "k": known},
                )
            else:
                article = social.social_report(
                    url=request.POST.get("url", ""),
                    text=request.POST.get("text", ""),
                    title=request.POST.get("title", ""),
                    actor=request.user,
                )
                messages.success(request, _("Đã ghi nhận bài đăng #%(id)s.") % {"id": article.pk})
            return redirect("watch:social")
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "watch/social.html",
        {
            "can_manage": selectors.can_manage(request.user),
            "posts": Article.objects.filter(channel=Article.Channel.SOCIAL).order_by("-pk")[:50],
            "error": error,
        },
    )
