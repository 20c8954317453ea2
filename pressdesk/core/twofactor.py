"""Optional two-factor login (TOTP, django-otp) for approvers and administrators.

Enrolment at /tai-khoan/hai-buoc/: the user gets a secret (and its otpauth:// address for an
authenticator app) and confirms it with a first code. From then on, after the password login,
TwoFactorRequiredMiddleware sends that user to /xac-thuc/ until a current code is entered; nothing else
(pages, admin, session-authenticated API) answers before that.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pressdesk.accounts.models import Role
from pressdesk.accounts.permissions import active_roles

TWO_FACTOR_ROLES = frozenset({Role.APPROVER, Role.ADMINISTRATOR})
DEVICE_NAME = "PressDesk TOTP"

# Paths a half-logged-in user may still reach: the verification step itself, logging out, language,
# static files and the operations endpoints.
_EXEMPT_PREFIXES = ("/xac-thuc/", "/dang-xuat/", "/i18n/", "/static/", "/healthz", "/metrics")


def may_use_two_factor(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(active_roles(user) & TWO_FACTOR_ROLES)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


SESSION_FLAG = "pressdesk_otp_device"


def needs_verification(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_verified", lambda: False)():
        return False
    # Whether the user has a confirmed device is looked up once per session (a query saved on every
    # page); enrolment, removal and the verification step refresh it.
    flag = request.session.get(SESSION_FLAG)
    if not (isinstance(flag, list) and len(flag) == 2 and flag[0] == user.pk):
        flag = [user.pk, TOTPDevice.objects.filter(user=user, confirmed=True).exists()]
        request.session[SESSION_FLAG] = flag
    return bool(flag[1])


def _forget_device_flag(request: HttpRequest) -> None:
    request.session.pop(SESSION_FLAG, None)


class TwoFactorRequiredMiddleware:
    """After the password step, a user with a confirmed device must pass the code step first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_EXEMPT_PREFIXES) and needs_verification(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": {"code": "otp_required", "message": _("Cần nhập mã xác thực hai bước.")}},
                    status=403,
                )
            target = reverse("otp-verify")
            return HttpResponseRedirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Mã xác thực (6 chữ số)"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("Mã xác thực chỉ gồm chữ số."))
        return token


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a current code from the enrolled device."""
    device = confirmed_device(request.user)
    if device is None or request.user.is_verified():  # type: ignore[union-attr]
        _forget_device_flag(request)
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            # django-otp doubles the wait after each wrong code; say so instead of "wrong code".
            form.add_error("token", _("Nhập sai quá nhiều lần: vui lòng chờ vài giây rồi thử lại."))
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_safe_next(request))
        else:
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    return render(request, "core/otp_verify.html", {"form": form, "next": _safe_next(request)})


def _secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up (or remove) the authenticator app. Only approvers and administrators may."""
    if not may_use_two_factor(request.user):
        raise PermissionDenied(_("Chỉ người phê duyệt và quản trị viên dùng xác thực hai bước."))
    confirmed = confirmed_device(request.user)
    _forget_device_flag(request)
    form = CodeForm(request.POST or None)
    if confirmed is not None:
        if request.method == "POST" and request.POST.get("action") == "remove" and form.is_valid():
            if confirmed.verify_token(form.cleaned_data["token"]):
                TOTPDevice.objects.filter(user=request.user).delete()
                return render(request, "core/otp_enrol.html", {"removed": True})
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
        return render(request, "core/otp_enrol.html", {"confirmed": confirmed, "form": form})
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return render(request, "core/otp_enrol.html", {"confirmed": device, "just_confirmed": True})
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    return render(
        request,
        "core/otp_enrol.html",
        {"form": form, "secret": _secret_b32(device), "otpauth_url": device.config_url},
    )
