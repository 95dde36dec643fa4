import time

from django.conf import settings

from accounts import assurance

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
