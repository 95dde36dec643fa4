"""The main menu, per role. Each app declares its own entries in `APP/menu.py` as
`MENU = [MenuEntry(...), ...]`; the platform collects them (config.plugins) and shows a
person only the entries for the roles they have, so a guardian never sees a staff entry.

Roles are read from the request's viewer (roster.policy.viewer_for), which the view has
usually built already: the menu costs no query of its own then.

Sections. An entry may name the section it belongs to (`section=SECTION_SCHOOL`); the apps
decide that in their own menu.py, as they decide the roles. A person whose menu is short
(at most MENU_FLAT_MAX links) sees it flat; a longer menu (a principal's has 19) shows the
entries without a section first and each section as a disclosure (<details>/<summary>: a
native button, keyboard and screen reader included, no script needed). A section with only
one link for this person is shown as that link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

GUARDIAN = "guardian"
STUDENT = "student"
STAFF = "staff"
PRINCIPAL = "principal"
ADMIN = "admin"
ROLES = frozenset({GUARDIAN, STUDENT, STAFF, PRINCIPAL, ADMIN})
EVERYONE = ROLES


MENU_FLAT_MAX = 8


@dataclass(frozen=True)
class MenuSection:
    key: str
    label: Any  # lazy translated string
    order: int  # among the menu's entries (MenuEntry.order): sections come after the plain entries


# The sections the apps put their entries in. An app may declare another the same way.
SECTION_ABSENCE = MenuSection("franvaro", _("Frånvaro"), 110)
SECTION_SCHOOL = MenuSection("skola", _("Skola"), 120)
SECTION_CARE = MenuSection("forskola-fritids", _("Förskola och fritids"), 130)
SECTION_MORE = MenuSection("mer", _("Mer"), 190)


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
    section: MenuSection | None = None  # None: always shown on its own

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
    order: int = 100
    section: MenuSection | None = None
    is_group = False


@dataclass(frozen=True)
class MenuGroup:
    """A section of a long menu: its label and the person's links in it."""

    key: str
    label: str
    links: tuple[MenuLink, ...]
    order: int
    is_group = True

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


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


def menu_for(*, viewer, resolver_match=None) -> tuple[MenuLink, ...]:
    """The person's menu links on this page: the same tuple for the same menu while the
    process remembers it (`_links`; `_shown` relies on it)."""
    roles = viewer_roles(viewer)
    namespace = getattr(resolver_match, "namespace", None)
    view_name = getattr(resolver_match, "view_name", None)
    entries = tuple(
        entry for entry in all_entries() if roles & entry.roles and (entry.condition is None or entry.condition(viewer))
    )
    keys = tuple(entry.key for entry in entries)
    return _links(keys, roles, namespace, view_name, get_language(), get_script_prefix())


@cache
def _entries_by_key() -> dict[str, MenuEntry]:
    return {entry.key: entry for entry in all_entries()}


@lru_cache(maxsize=1024)
def _links(keys: tuple[str, ...], roles: frozenset[str], namespace, view_name, _language, _prefix):
    """The links for these entries on this page, remembered per process: many people share a
    menu, and the labels and URLs depend only on the key (the language and script prefix are
    part of it for the translated labels and the reversed URLs)."""
    entries = [_entries_by_key()[key] for key in keys]
    # One current page: an entry that names the view wins over one that claims its whole
    # namespace (the contact list is in the accounts namespace, which "Mitt konto" claims).
    by_name = {entry.key for entry in entries if view_name in entry.active_url_names}
    by_namespace = {entry.key for entry in entries if namespace is not None and namespace in entry.active_namespaces}
    current_keys = by_name or by_namespace
    links = []
    for entry in entries:
        label = next((entry.labels_by_role[r] for r in sorted(roles) if r in entry.labels_by_role), entry.label)
        links.append(
            MenuLink(
                key=entry.key,
                label=str(label),
                url=url_of(entry.url_name),
                current=entry.key in current_keys,
                order=entry.order,
                section=entry.section,
            )
        )
    return tuple(links)


def menu_tree(links) -> list[MenuLink | MenuGroup]:
    """The menu as shown: flat when short, else plain links and sections (see the module's
    docstring), in order, the sections' labels in the active language. Worked out once per
    menu and language (`_shown`)."""
    if len(links) <= MENU_FLAT_MAX:
        return list(links)
    by_section: dict[str, list[MenuLink]] = {}
    items: list[tuple[int, MenuLink | MenuGroup]] = []
    for link in links:
        if link.section is None:
            items.append((link.order, link))
        else:
            by_section.setdefault(link.section.key, []).append(link)
    for members in by_section.values():
        section = members[0].section
        if len(members) == 1:
            items.append((members[0].order, members[0]))
        else:
            group = MenuGroup(key=section.key, label=str(section.label), links=tuple(members), order=section.order)
            items.append((section.order, group))
    return [item for _order, item in sorted(items, key=lambda pair: pair[0])]


# The menu as shown and its signature, per menu and language, by the menu's identity: `_links`
# gives the same tuple for the same menu while it remembers it (an entry here keeps its tuple
# alive, so an id is not reused while its entry stands). Looking the tree up by the links
# themselves hashed every link on every page, and a link's hash translates its section's lazy
# label: about a tenth of a cached Hub's time in the process.
_SHOWN: dict[int, tuple] = {}


def _shown(links: tuple[MenuLink, ...], language) -> tuple[tuple, tuple]:
    memo = _SHOWN.get(id(links))
    if memo is not None and memo[0] is links and memo[1] == language:
        return memo[2], memo[3]
    tree = tuple(menu_tree(links))
    signature = menu_signature(tree)
    if len(_SHOWN) >= 4096:
        _SHOWN.clear()
    _SHOWN[id(links)] = (links, language, tree, signature)
    return tree, signature


def menu_signature(tree) -> tuple:
    """What a page's frame shows of the menu (config.frame keys the frames it renders by it):
    plain values, cheap to hash."""

    def one(item):
        if getattr(item, "is_group", False):
            return ("g", item.key, item.label, item.current, tuple(one(link) for link in item.links))
        return ("l", item.key, item.label, item.url, item.current)

    return tuple(one(item) for item in tree)


def url_of(url_name: str) -> str:
    """reverse() for a URL without arguments, remembered per process: the menu and the page
    frame name the same dozen URLs on every request."""
    return _reverse_once(url_name, get_script_prefix(), get_urlconf())


@cache
def _reverse_once(url_name: str, script_prefix: str, urlconf) -> str:
    return reverse(url_name, urlconf=urlconf)


def builds_viewer(request, view_func) -> bool:
    """Whether ViewerMiddleware builds this request's viewer (for a logged-in person): a page
    that shows the main menu. Not the admin or the API, not a fragment without the menu (the
    notification bell), not a POST (it usually redirects; one that shows a form error builds
    the viewer in the context processor instead). The login backend asks too, to load the
    viewer's rows with the user's own when neither is cached (accounts.backends)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace in {"admin", "api"}:
        return False
    return request.method in ("GET", "HEAD") and not getattr(view_func, "without_main_menu", False)


class ViewerMiddleware:
    """Builds the request's viewer before the view runs, for pages that show the main
    menu, so that no SQL runs while a template renders (the context processor below only
    reads it). Costs nothing extra on pages whose view asks for the viewer anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not builds_viewer(request, view_func):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        from roster.policy import viewer_for

        viewer_for(request)
        return None


def navigation(request):
    """Context processor: the main menu for the logged-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": [], "main_menu_tree": [], "main_menu_signature": ()}
    from roster.policy import viewer_for

    links = menu_for(viewer=viewer_for(request), resolver_match=getattr(request, "resolver_match", None))
    tree, signature = _shown(links, get_language())
    return {"main_menu": list(links), "main_menu_tree": list(tree), "main_menu_signature": signature}
