"""Login throttling with django-axes."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class PressDeskAxesBackend(AxesStandaloneBackend):
    """Axes' backend, except that authenticate() calls without a request pass through untouched.

    Every login over the web (the login page, the admin) passes the request and is throttled. Calls
    without one come from code, not from a client that could guess passwords (management commands,
    Django's test client `login()`); axes would refuse them with an exception.
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The Vietnamese lockout page (HTTP 429) naming how long the lock lasts."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "core/lockout.html", {"minutes": minutes}, status=429)


def client_ip(request: HttpRequest) -> str:
    """The address that login throttling counts.

    Behind our own reverse proxy (PRESSDESK_BEHIND_PROXY) it is the last X-Forwarded-For entry, the one
    the proxy appended; entries before it come from the client and could be forged. Otherwise the peer.
    """
    if getattr(settings, "PRESSDESK_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def rate_limited(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    """True when this client has already made `limit` requests of `scope` within the window.

    Counts in Django's cache (per process with the default local-memory cache; shared when CACHE_URL
    points at Redis). Used on public forms that send e-mail.
    """
    from django.core.cache import cache

    key = f"rl:{scope}:{client_ip(request)}"
    if cache.add(key, 1, timeout=window_seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return False
    return count > limit
