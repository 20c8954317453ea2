"""Operations endpoints: /healthz for load balancers and monitors, /metrics for Prometheus."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pressdesk.core import metrics
from pressdesk.core.health import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the checks when the database (and the broker, if configured) answer; 503 otherwise."""
    body, healthy = health()
    return JsonResponse(body, status=200 if healthy else 503)


def _client_allowed(request: HttpRequest) -> bool:
    """REMOTE_ADDR in PRESSDESK_METRICS_ALLOW (addresses or networks), or the bearer token matches.

    REMOTE_ADDR is the direct peer: behind a reverse proxy on the same host every request comes from
    127.0.0.1, so such setups must block /metrics at the proxy or empty the allow list and use the token
    (docs/PRODUCTION.md).
    """
    token = getattr(settings, "PRESSDESK_METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if (
        token
        and header.startswith("Bearer ")
        and hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())
    ):
        return True
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    for entry in getattr(settings, "PRESSDESK_METRICS_ALLOW", []):
        try:
            if peer in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _client_allowed(request):
        return HttpResponse("Không có quyền xem số liệu vận hành.\n", status=403, content_type="text/plain")
    payload, content_type = metrics.scrape()
    return HttpResponse(payload, content_type=content_type)
