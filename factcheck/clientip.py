"""The client's address, as the throttles and the login lockout count it.

Behind ``NUM_PROXIES`` reverse proxies, each appends the address it saw to
X-Forwarded-For, so the client is the one that many entries from the right;
anything further left was written by the client and proves nothing. With no
proxy configured the header is ignored. DRF's throttles apply the same rule
(its ``NUM_PROXIES`` setting), so both count the same client.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))]
