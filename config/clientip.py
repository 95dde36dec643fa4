"""The client's address, one answer for the whole site (allauth's rate limits and axes'
lockout both ask here).

Behind `SKOLHUBB_PROXY_COUNT` trusted reverse proxies (load balancer, ingress), each proxy
appends the address it received the request from to `X-Forwarded-For`, so the client is the
entry that many places from the right: anything further left was written by the client and
can be forged. With 0 (the default) the header is ignored and the socket's address is used.
A request with fewer entries than expected did not come through all the proxies (e.g. a
health check straight to the pod); its socket address is the best answer, not an error.
"""

from ipaddress import ip_address

from django.conf import settings


def _clean(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        return str(ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    count = settings.SKOLHUBB_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = [e for e in forwarded.split(",") if e.strip()]
        if len(entries) >= count:
            found = _clean(entries[-count])
            if found:
                return found
    return _clean(request.META.get("REMOTE_ADDR", "") or "")


def axes_client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: axes wants a string (it stores it in AccessAttempt)."""
    return client_ip(request)
