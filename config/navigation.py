"""The main menu, per role. Each app declares its own entries in `APP/menu.py` as
`MENU = [MenuEntry(...), ...]`; the platform collects them (config.plugins) and shows a
person only the entries for the roles they have, so a guardian never sees a staff entry.

Roles are read from the request's viewer (roster.policy.viewer_for), which the view has
usually built already: the menu costs no query of its own then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse

GUARDIAN = "guardian"
STUDENT = "student"
STAFF = "staff"
PRINCIPAL = "principal"
ADMIN = "admin"
ROLES = frozenset({GUARDIAN, STUDENT, STAFF, PRINCIPAL, ADMIN})
EVERYONE = ROLES


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: Any  # lazy translated string
    url_name: str
    roles: frozenset[str] = EVERYONE
    order: int = 100
    # The entry is marked as the current page for these URL namespaces or names.
    active_namespaces: tuple[str, ...] = ()
    active_url_names: tuple[str, ...] = ()
    # Optional extra test on the viewer (e.g. "has a child in care"); must not query.
    condition: Callable[[Any], bool] | None = None
    labels_by_role: dict[str, Any] = field(default_factory=dict)  # e.g. {STUDENT: _("Min frånvaro")}

    def __post_init__(self):
        unknown = set(self.roles) - ROLES
        if unknown:
            raise ValueError(f"Menu entry {self.key!r}: unknown roles {unknown}")


@dataclass(frozen=True)
class MenuLink:
    key: str
    label: str
    url: str
    current: bool


@cache
def all_entries() -> tuple[MenuEntry, ...]:
    from config.plugins import app_modules

    entries: dict[str, MenuEntry] = {}
    for module in app_modules("menu"):
        for entry in getattr(module, "MENU", []):
            if entry.key in entries:
                raise ValueError(f"Menu entry {entry.key!r} is declared twice")
            entries[entry.key] = entry
    return tuple(sorted(entries.values(), key=lambda e: (e.order, e.key)))


def viewer_roles(viewer) -> frozenset[str]:
    from roster.models import StaffDuty

    user = viewer.user
    roles = set()
    if viewer.is_guardian:
        roles.add(GUARDIAN)
    if viewer.student_child is not None:
        roles.add(STUDENT)
    if viewer.is_staff_member:
        roles.add(STAFF)
    if any(d.role == StaffDuty.Role.REKTOR for d in viewer.duties):
        roles.add(PRINCIPAL)
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        roles.add(ADMIN)
    return frozenset(roles)


def menu_for(*, viewer, resolver_match=None) -> list[MenuLink]:
    roles = viewer_roles(viewer)
    namespace = getattr(resolver_match, "namespace", None)
    view_name = getattr(resolver_match, "view_name", None)
    links = []
    for entry in all_entries():
        if not roles & entry.roles:
            continue
        if entry.condition is not None and not entry.condition(viewer):
            continue
        label = next((entry.labels_by_role[r] for r in sorted(roles) if r in entry.labels_by_role), entry.label)
        current = view_name in entry.active_url_names or (
            namespace is not None and namespace in entry.active_namespaces
        )
        links.append(MenuLink(key=entry.key, label=str(label), url=url_of(entry.url_name), current=current))
    return links


def url_of(url_name: str) -> str:
    """reverse() for a URL without arguments, remembered per process: the menu and the page
    frame name the same dozen URLs on every request."""
    return _reverse_once(url_name, get_script_prefix(), get_urlconf())


@cache
def _reverse_once(url_name: str, script_prefix: str, urlconf) -> str:
    return reverse(url_name, urlconf=urlconf)


class ViewerMiddleware:
    """Builds the request's viewer before the view runs, for pages that show the main
    menu, so that no SQL runs while a template renders (the context processor below only
    reads it). Costs nothing extra on pages whose view asks for the viewer anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if user is None or not user.is_authenticated or (match and match.namespace in {"admin", "api"}):
            return None
        if getattr(view_func, "without_main_menu", False):
            return None  # a fragment (e.g. the notification bell) that shows no menu
        if request.method not in ("GET", "HEAD"):
            # A POST usually redirects: no menu to show. One that shows a form error builds
            # the viewer in the context processor instead.
            return None
        from roster.policy import viewer_for

        viewer_for(request)
        return None


def navigation(request):
    """Context processor: the main menu for the logged-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": []}
    from roster.policy import viewer_for

    return {"main_menu": menu_for(viewer=viewer_for(request), resolver_match=getattr(request, "resolver_match", None))}
