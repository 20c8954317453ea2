"""Cross-cutting middleware: request ids, security headers (CSP), request metrics."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware

from pressdesk.core.logs import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
# An id from a proxy is kept only when it is short and plain, so logs cannot be forged or flooded.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class RequestIdMiddleware:
    """Accepts a sane incoming X-Request-ID or makes one; puts it on the request, the logs and the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy without inline scripts, plus the headers Django's own middleware lacks.

    A small middleware instead of django-csp or Django 6's built-in CSP so one code path serves both
    Django 5.2 and 6. Pages that already set the header keep theirs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "PRESSDESK_CSP", DEFAULT_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class MetricsMiddleware:
    """Counts requests by method, route pattern and status and times them (Prometheus).

    The route is the resolved URL pattern (e.g. `dat-hang/<int:pk>/`), never the raw path, so the number
    of series stays bounded whatever addresses clients try.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from pressdesk.core import metrics

        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        if match is not None and match.route:
            route = "/" + match.route
        elif response.status_code == 404:
            route = "<unmatched>"
        else:
            route = "<other>"
        metrics.observe_request(request.method or "GET", route, response.status_code, elapsed)
        return response


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware without the browser's Accept-Language: PressDesk speaks Vietnamese to
    everyone (many officials' browsers are set to English) until a user picks English with the
    language switcher, which sets the language cookie."""

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
