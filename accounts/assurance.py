"""Assurance level of a session: how strongly the person proved who they are.

A password login gives LOW; an e-ID login (BankID, Freja) gives HIGH. The level is kept in
the session, set once at login; nothing else may raise it.
"""

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

LOW = "low"
HIGH = "high"
_ORDER = {LOW: 1, HIGH: 2}
SESSION_KEY = "skolhubb_assurance"
METHOD_KEY = "skolhubb_login_method"
SEEN_KEY = "skolhubb_eid_seen"  # when a HIGH session was last used (epoch seconds)
ID_TOKEN_KEY = "skolhubb_eid_id_token"  # noqa: S105 - for RP-initiated logout (id_token_hint)


def session_assurance(request) -> str | None:
    if not request.user.is_authenticated:
        return None
    return request.session.get(SESSION_KEY, LOW)


def has_assurance(request, required: str) -> bool:
    current = session_assurance(request)
    return current is not None and _ORDER[current] >= _ORDER[required]


def eid_login_url(next_url: str) -> str:
    return f"{reverse('accounts:eid-start')}?{urlencode({'next': next_url})}"


def require_assurance(level: str):
    """View decorator: a session below `level` is sent to the e-ID login first."""
    if level not in _ORDER:
        raise ValueError(f"unknown assurance level {level!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_assurance(request, level):
                return redirect(eid_login_url(request.get_full_path()))
            return view(request, *args, **kwargs)

        wrapped.required_assurance = level
        return wrapped

    return decorator
