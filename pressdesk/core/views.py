from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pressdesk.accounts.permissions import active_memberships
from pressdesk.core.inbox import inbox_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = active_memberships(request.user).select_related("organisation")
    return render(request, "core/home.html", {"memberships": memberships, "inbox": inbox_for(request.user)})
