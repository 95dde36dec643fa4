"""The page frame (site header and footer) rendered once per kind of page, not per request.

Every logged-in page draws the same header (brand, the person's main menu, the bell, how
they logged in, the logout button) and footer (the language form). Rendering them took as
long as the rest of a cached Hub. They depend on little: the language, the menu as shown
(labels, URLs, which entry is the current page), the login method and, in the footer, the
path to come back to. So `{% site_header %}` and `{% site_footer %}` render their partial
once per such combination and keep it in process memory; what differs per request is put
in afterwards: the CSRF token (each request's own masked token) and the escaped path.
Nothing about a person but their menu is in a key, and a menu holds no personal data.
"""

from __future__ import annotations

import hashlib
import secrets
import threading

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_MAX_ENTRIES = 2048
_memo: dict[tuple, str] = {}
_lock = threading.Lock()


def _standin(what: str) -> str:
    # The same in every process (cached pages are shared through Redis) but derived from
    # the secret key, so no user can type one into a comment or a name to have it replaced.
    return (
        f"{what}-" + hashlib.blake2b(f"page-standin:{what}:{settings.SECRET_KEY}".encode(), digest_size=16).hexdigest()
    )


# Stand-ins in cached HTML for what is each request's own, put in by `personalise`: a page
# rendered once renders `{% csrf_token %}` with CSRF_STANDIN and the request's path as
# PATH_STANDIN (the frame, the care pages, the lesson sheet).
CSRF_STANDIN = _standin("csrf")
PATH_STANDIN = _standin("path")
_CSRF, _PATH = CSRF_STANDIN, PATH_STANDIN
# Only within this process's memo (render_framed): random per process.
_BODY = f"body-{secrets.token_hex(16)}"
_SHELL = f"shell-{secrets.token_hex(8)}"  # a context flag: leave the stand-ins in


@receiver(setting_changed)
def _forget(**kwargs):
    """Tests that change settings (storages, languages, municipality) start afresh."""
    with _lock:
        _memo.clear()


def _menu_signature(context_or_menu, tree) -> tuple:
    """The menu's signature as the navigation context processor gave it (worked out once per
    menu, config.navigation._shown), else from the tree."""
    signature = context_or_menu.get("main_menu_signature")
    if signature is None:
        from config.navigation import menu_signature

        signature = menu_signature(tree)
    return signature


def _login_state(request) -> tuple:
    session = getattr(request, "session", None)
    if session is None:
        return ("", "")
    return (session.get("skolhubb_assurance", ""), session.get("skolhubb_login_method", ""))


def _rendered(key: tuple, template_name: str, context: dict) -> str:
    html = _memo.get(key)
    if html is None:
        html = render_to_string(template_name, context, request=None)
        with _lock:
            if len(_memo) >= _MAX_ENTRIES:
                _memo.clear()
            _memo[key] = html
    return html


def _csrf(context) -> str:
    if context.get(_SHELL):
        return _CSRF  # rendering a page's shell (render_framed): the token is put in later
    token = context.get("csrf_token")
    return escape(str(token)) if token else ""


def _path(context) -> str:
    if context.get(_SHELL):
        return _PATH
    request = context.get("request")
    return escape(request.get_full_path()) if request is not None else ""


@register.simple_tag(takes_context=True)
def site_header(context):
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    tree = (context.get("main_menu_tree") or []) if authenticated else []
    signature = _menu_signature(context, tree) if authenticated else ()
    assurance, login_method = _login_state(context.get("request")) if authenticated else ("", "")
    key = (
        "header",
        get_language(),
        get_script_prefix(),
        settings.SKOLHUBB_MUNICIPALITY,
        authenticated,
        assurance,
        login_method,
        signature,
    )
    html = _rendered(
        key,
        "partials/site_header.html",
        {
            "municipality_name": settings.SKOLHUBB_MUNICIPALITY,
            "authenticated": authenticated,
            "main_menu_tree": tree,
            "assurance": assurance,
            "login_method": login_method,
            "csrf_token": _CSRF,
        },
    )
    return mark_safe(html.replace(_CSRF, _csrf(context)))  # noqa: S308 - our template, escaped token


@register.simple_tag(takes_context=True)
def site_footer(context):
    key = ("footer", get_language(), get_script_prefix(), settings.SKOLHUBB_MUNICIPALITY)
    html = _rendered(
        key,
        "partials/site_footer.html",
        {"municipality_name": settings.SKOLHUBB_MUNICIPALITY, "csrf_token": _CSRF, "next_path": _PATH},
    )
    return mark_safe(html.replace(_CSRF, _csrf(context)).replace(_PATH, _path(context)))  # noqa: S308 - escaped


@register.simple_tag
def site_assets():
    """The stylesheets, scripts and icons in every page's <head>: their static URLs (hashed
    names in production, looked up in the manifest) do not change while a process runs, so
    the block is rendered once per script prefix instead of a dozen `{% static %}` lookups
    per request."""
    from config.plugins import app_stylesheets

    key = ("assets", get_script_prefix(), settings.STATIC_URL, repr(settings.STORAGES), tuple(app_stylesheets()))
    html = _rendered(key, "partials/site_assets.html", {"app_stylesheets": app_stylesheets()})
    return mark_safe(html)  # noqa: S308 - our template, static URLs only


def render_framed(request, template_name: str, *, body: str, body_name: str = "content"):
    """The response for a page whose content is already rendered (a cached person's page,
    hub.cache.viewer_page): `template_name` (a plain `{% extends "base.html" %}` template
    whose only variable is `body_name`) is rendered once per language, menu and login
    method, like the frame, with stand-ins for the body, the CSRF token and the return
    path; per request only those three are put in. A request with messages to show (after
    a form's redirect) is rendered in full, since messages are read once."""
    from django.contrib.messages import get_messages
    from django.http import HttpResponse
    from django.shortcuts import render

    from config.navigation import navigation

    if len(get_messages(request)):
        return render(request, template_name, {body_name: body})
    menu = navigation(request)
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    key = (
        "page",
        template_name,
        body_name,
        get_language(),
        get_script_prefix(),
        settings.SKOLHUBB_MUNICIPALITY,
        authenticated,
        _login_state(request) if authenticated else ("", ""),
        _menu_signature(menu, menu["main_menu_tree"]),
    )
    shell = _memo.get(key)
    if shell is None:
        shell = render_to_string(template_name, {body_name: mark_safe(_BODY), _SHELL: True}, request=request)  # noqa: S308
        if _CSRF in shell and _BODY in shell:
            with _lock:
                if len(_memo) >= _MAX_ENTRIES:
                    _memo.clear()
                _memo[key] = shell
    return HttpResponse(personalise(request, shell).replace(_BODY, body))


def personalise(request, html: str) -> str:
    """Put this request's CSRF token and path where the stand-ins are."""
    from django.middleware.csrf import get_token

    if CSRF_STANDIN in html:
        html = html.replace(CSRF_STANDIN, escape(get_token(request)))
    if PATH_STANDIN in html:
        html = html.replace(PATH_STANDIN, escape(request.get_full_path()))
    return mark_safe(html)  # noqa: S308 - our templates; the token and path are escaped
