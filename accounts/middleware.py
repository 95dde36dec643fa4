import time

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.utils.functional import SimpleLazyObject

from accounts import assurance, backends
from config.navigation import builds_viewer

# Refresh the "last seen" mark at most this often: one session write a minute, not per request.
_REFRESH_SECONDS = 60


class AssuranceIdleMiddleware:
    """High assurance lapses back to low after SKOLHUBB_EID_IDLE_MINUTES without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(assurance.SESSION_KEY) == assurance.HIGH:
            now = int(time.time())
            seen = session.get(assurance.SEEN_KEY)
            if seen is None:
                # Set HIGH without the mark (only code can): the idle clock starts now.
                session[assurance.SEEN_KEY] = now
            elif now - seen > settings.SKOLHUBB_EID_IDLE_MINUTES * 60:
                session[assurance.SESSION_KEY] = assurance.LOW
                session.pop(assurance.SEEN_KEY, None)
            elif now - seen >= _REFRESH_SECONDS:
                session[assurance.SEEN_KEY] = now
        return self.get_response(request)


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with one difference: while the lazy `request.user` resolves, the login
    backend knows the request's path (accounts.backends.reading_ahead_for), so its one
    cache round trip also reads the keys this person's page at this path read last time.
    What it read goes on the request as `_skolhubb_prefetched` (off the user instance,
    which must not carry it past the request), where roster.policy.viewer_for finds it.
    On a page that builds the viewer (config.navigation.builds_viewer), a user's row that
    is not cached comes with the viewer's rows when neither is (one database round trip).
    Django's `auth.get_user` still checks the session's password hash."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    if hasattr(request, "_cached_user"):
        return request._cached_user
    # Known once the URL is resolved (the lazy user is first asked for in process_view).
    match = getattr(request, "resolver_match", None)
    with backends.reading_ahead_for(
        request.get_full_path(), viewer=match is not None and builds_viewer(request, match.func)
    ):
        user = auth_middleware.get_user(request)  # sets request._cached_user
    prefetched = getattr(user, backends.PREFETCHED_ATTRIBUTE, None)
    if prefetched is not None:
        delattr(user, backends.PREFETCHED_ATTRIBUTE)
        request._skolhubb_prefetched = prefetched
    return user
