from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts come from the municipality's records (admin, import), never self sign-up.
        return False

    def get_client_ip(self, request):
        # The same address axes locks out (config.clientip, SKOLHUBB_PROXY_COUNT), so rate
        # limits key on the real client behind the load balancer, not on the balancer.
        from config.clientip import client_ip

        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip


def axes_username(request, credentials):
    """django-axes locks out by the login name: allauth authenticates with `email`, its
    form posts `login`."""
    if credentials and credentials.get("email"):
        return str(credentials["email"]).strip().lower()
    if request is not None and hasattr(request, "POST"):
        return (request.POST.get("login") or "").strip().lower()
    return ""
