"""Pages for the ingestion side: sources (list, detail with last error reason, add) and ingest runs.

Administrators and monitors see them; only administrators add sources. Thin: check the role, call one
selector or service, render.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts.models import Outlet, Role
from pressdesk.accounts.permissions import has_role, require_role
from pressdesk.core.errors import DomainError
from pressdesk.monitoring import selectors, services
from pressdesk.monitoring.models import Source

VIEW_ROLES = [Role.ADMINISTRATOR, Role.MONITOR]


class SourceForm(forms.Form):
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.all(), label=gettext_lazy("Ấn phẩm"))
    url = forms.URLField(label=gettext_lazy("Địa chỉ"), max_length=1000, assume_scheme="https")
    kind = forms.ChoiceField(choices=Source.Kind.choices, label=gettext_lazy("Loại nguồn"))
    poll_every_minutes = forms.IntegerField(min_value=1, initial=15, label=gettext_lazy("Chu kỳ (phút)"))


@login_required
def sources(request: HttpRequest) -> HttpResponse:
    require_role(request.user, VIEW_ROLES)
    return render(
        request,
        "monitoring/sources/list.html",
        {
            "sources": selectors.sources_list(),
            "runs": selectors.recent_runs(limit=10),
            "can_add": has_role(request.user, Role.ADMINISTRATOR),
        },
    )


@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, VIEW_ROLES)
    source = selectors.source_get(source_id=pk)
    if source is None:
        raise Http404(_("Không tìm thấy nguồn tin."))
    return render(
        request,
        "monitoring/sources/detail.html",
        {"source": source, "runs": selectors.source_runs(source=source)},
    )


@login_required
def source_add(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    form = SourceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                source = services.source_add(
                    actor=request.user,
                    outlet=form.cleaned_data["outlet"],
                    url=form.cleaned_data["url"],
                    kind=form.cleaned_data["kind"],
                    poll_every_minutes=form.cleaned_data["poll_every_minutes"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Đã thêm nguồn tin."))
                return redirect("monitoring:source", pk=source.pk)
        else:
            status = 422
    return render(request, "monitoring/sources/add.html", {"form": form}, status=status)
