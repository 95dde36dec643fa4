"""The Hub's box cache, and the one call services make when they change what a box shows.

    from hub.cache import bump
    bump(child_ids=[child.pk])          # a child's own data changed (its units' staff views follow)
    bump(unit_ids=[unit.pk])            # something addressed to a unit
    bump(group_ids=[group.pk])          # something addressed to a group (its unit's staff views follow)
    bump(user_ids=[user.pk])            # what one person sees (their groups, their lessons)
    bump(municipality=True)             # something addressed to everyone

Call it inside the service's transaction; it bumps at once and again after commit (see
config/generations.py for why both). The Hub reads, per request, the generations of the
viewer's children, their units and groups (one cache round trip), then every box's data
(one more): a warm Hub runs no SQL beyond the session's user.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from config import generations as gen
from hub.registry import CHILD_TOPICS, PER_VIEWER_AND_UNIT, Box

_NOTHING = "-"  # a cached "the box has nothing for this child": the Hub hides it
# A cached box's data once its HTML is stored with it: nothing reads the data again (the
# board shows the HTML; when the box goes out of date by the clock is stored beside it), and
# pickling it was most of the cost of pickling a cold Hub's box entries (leaving it out: a cold
# Hub 0.3-0.4 ms sooner). hub.testing.hub_board loads it afresh for the tests that read it.
RENDERED = "+"


def bump(
    *,
    child_ids: Iterable[int] = (),
    unit_ids: Iterable[int] = (),
    group_ids: Iterable[int] = (),
    user_ids: Iterable[int] = (),
    municipality: bool = False,
    with_units: bool = True,
    topic: str | None = None,
    using: str | None = None,
) -> None:
    """Invalidate every cached box that shows these children, units, groups or users.

    Child ids also bump the staff views of the units the children are placed in (one
    query), because staff boxes summarise a unit's children; `with_units=False` skips that
    for a change no staff box shows. Group ids also bump their units' staff views (one
    query): staff see everything addressed to their unit's groups. Neither touches what
    the unit's other families see (gen.unit_key), so one guardian's sick report does not
    void every family's Hub in the school. A `topic` (hub.registry.CHILD_TOPICS) bumps only
    that kind of the children's data: boxes that do not show it keep their entries."""
    from roster.models import Group, Placement

    child_ids, unit_ids, group_ids = set(child_ids), set(unit_ids), set(group_ids)
    staff_unit_ids: set[int] = set()
    if child_ids and with_units:
        recent = timezone.localdate() - timedelta(days=1)
        staff_unit_ids |= set(
            Placement.objects.using(using)
            .filter(child_id__in=child_ids)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=recent))
            .values_list("unit_id", flat=True)
        )
    if group_ids:
        staff_unit_ids |= set(Group.objects.using(using).filter(pk__in=group_ids).values_list("unit_id", flat=True))
    keys = (
        [gen.child_key(i, topic) for i in child_ids]
        + [gen.unit_key(i) for i in unit_ids]
        + [gen.unit_staff_key(i) for i in staff_unit_ids - unit_ids]
        + [gen.group_key(i) for i in group_ids]
        + [gen.user_key(i) for i in set(user_ids)]
    )
    if municipality:
        keys.append(gen.MUNICIPALITY)
    gen.bump_keys(keys, using=using)


def _digest(tokens: Iterable[str]) -> str:
    return hashlib.blake2b("|".join(tokens).encode(), digest_size=10).hexdigest()


class Versions:
    """The generations one Hub request works with: read once, before any data is loaded."""

    def __init__(
        self,
        *,
        viewer,
        children: list,
        staff_unit_ids: Iterable[int],
        extra: Iterable[str] = (),
        prefetched: gen.Prefetched | None = None,
    ):
        self.user_id = viewer.user.pk
        self.day = timezone.localdate().isoformat()
        self.language = translation.get_language() or "sv"
        self._child_scope = {
            c.pk: (
                sorted({p.unit_id for p in c.active_placements}),
                sorted({p.group_id for p in c.active_placements if p.group_id}),
            )
            for c in children
        }
        keys = [gen.EPOCH, gen.MUNICIPALITY, gen.user_key(self.user_id)]
        for child_id, (units, groups) in self._child_scope.items():
            keys += [gen.child_key(child_id)] + [gen.child_key(child_id, t) for t in CHILD_TOPICS]
            keys += [gen.unit_key(u) for u in units] + [gen.group_key(g) for g in groups]
        keys += [key for u in staff_unit_ids for key in (gen.unit_key(u), gen.unit_staff_key(u))]
        self.keys = [*dict.fromkeys(keys), *extra]  # all it read: the generations, then `extra`
        read = gen.read(keys, extra=extra, prefetched=prefetched)
        self.available = read is not None
        self.tokens = read[0] if read else {}
        # Values stored under `extra`, read in the same round trip (the Hub's page slot).
        self.extra = read[1] if read else {}
        self._child_digests: dict[tuple, str] = {}

    @classmethod
    def away(cls, *, viewer) -> Versions:
        """As when the cache cannot be reached: nothing is read or stored, every box is loaded
        (the Hub's path with Redis down)."""
        versions = cls.__new__(cls)
        versions.user_id = viewer.user.pk
        versions.available, versions.tokens, versions.extra, versions.keys = False, {}, {}, []
        return versions

    def _base(self) -> list[str]:
        # The release: cached HTML holds static-file URLs and markup of the deployed code.
        release = settings.SKOLHUBB_RELEASE
        return [self.tokens[gen.EPOCH], self.tokens[gen.MUNICIPALITY], self.day, self.language, release]

    def child(self, box: Box, child_id: int) -> str:
        # The digest depends on the child and the topics the box shows, not on the box:
        # worked out once per request for each (a family's Hub asks for forty-odd keys).
        digest = self._child_digests.get((child_id, box.child_topics))
        if digest is None:
            units, groups = self._child_scope[child_id]
            tokens = self._base() + [self.tokens[gen.child_key(child_id)]]
            topics = CHILD_TOPICS if box.child_topics is None else [t for t in CHILD_TOPICS if t in box.child_topics]
            tokens += [self.tokens[gen.child_key(child_id, t)] for t in topics]
            tokens += [self.tokens[gen.unit_key(u)] for u in units] + [self.tokens[gen.group_key(g)] for g in groups]
            digest = self._child_digests[child_id, box.child_topics] = _digest(tokens)
        return f"hub:box:{box.key}:{box.cache_version}:c{child_id}:{digest}"

    def unit(self, box: Box, unit_id: int) -> str | None:
        if box.unit_cache is None:
            return None
        tokens = self._base() + [self.tokens[gen.unit_key(unit_id)], self.tokens[gen.unit_staff_key(unit_id)]]
        who = ""
        if box.unit_cache == PER_VIEWER_AND_UNIT:
            tokens.append(self.tokens[gen.user_key(self.user_id)])
            who = f"v{self.user_id}:"
        return f"hub:box:{box.key}:{box.cache_version}:{who}u{unit_id}:{_digest(tokens)}"


def cached_values(keys: Iterable[str]) -> dict[str, Any]:
    """One round trip; an empty dict when the cache is away."""
    keys = [k for k in keys if k]
    if not keys:
        return {}
    return gen.get_many(keys) or {}


def unpack(entry) -> tuple[bool, Any, str | None, float | None]:
    """(found, data, html, until) for a stored entry: `data` is RENDERED where the HTML was
    stored, `until` the POSIX time it goes out of date by the clock (Box.valid_until) or None.
    An entry past its `until` is not found."""
    if entry is None:
        return False, None, None, None
    until, data, html = entry
    if until is not None and timezone.now().timestamp() >= until:
        return False, None, None, None
    html = None if html is None else mark_safe(html)  # noqa: S308 - our own rendering, stored by pack
    return True, (None if data == _NOTHING else data), html, until


def pack(box: Box, data: Any, html: str | None = None) -> tuple:
    """What is stored: (until, data, html), `until` as `unpack` gives it. With the HTML, the
    data is left out (RENDERED). The HTML as a plain str (pickling Django's SafeString runs
    through copyreg in Python, ten times the cost of a str); `unpack` marks it safe again."""
    if data is None:
        return (None, _NOTHING, None)
    until = box.valid_until(data)
    until = until.timestamp() if until else None
    if html is None:
        return (until, data, None)
    return (until, RENDERED, str.__str__(html))


# hub/box.html around an unlocked box, split where the box's own template goes, with a marker
# where the column's title goes: rendered once per box, heading level and language (its icon,
# title and link are the box's own). Rendering the frame again for every box cost a third of
# the boxes' rendering (its static URL, link and translation).
_INNER = "\x1fbox-content\x1f"
_COLUMN = "\x1fcolumn-title\x1f"
_frames: dict[tuple, tuple[str, str]] = {}


def _frame(box: Box, heading_level: str, with_column: bool) -> tuple[str, str]:
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    key = (box.key, heading_level, with_column, translation.get_language())
    frame = _frames.get(key)
    if frame is None:
        context = {
            "view": SimpleNamespace(box=box, locked=False, data=None),
            "heading_level": heading_level,
            "column": {"title": _COLUMN if with_column else ""},
            "box_content": mark_safe(_INNER),  # noqa: S308 - a marker, split off below
        }
        head, tail = render_to_string("hub/box.html", context).split(_INNER)
        frame = _frames[key] = (head, tail)
    return frame


_PATH = "__skolhubb-next-path__"  # left as it is by the urlencode filter and escaping
_locked: dict[tuple, str] = {}


def render_locked(box: Box, heading_level: str, column_title: str, path: str) -> str:
    """hub/box.html for a box behind e-ID (its lock and the e-ID link back to `path`),
    rendered once per box, heading level and language with markers where the column's
    title and the path go, which are put in escaped as the template escapes them."""
    from types import SimpleNamespace
    from urllib.parse import quote

    from django.template.loader import render_to_string
    from django.utils.html import conditional_escape, escape

    key = (box.key, heading_level, bool(column_title), translation.get_language())
    html = _locked.get(key)
    if html is None:
        context = {
            "view": SimpleNamespace(box=box, locked=True, data=None),
            "heading_level": heading_level,
            "column": {"title": _COLUMN if column_title else ""},
            "request": SimpleNamespace(get_full_path=lambda: _PATH),
        }
        html = _locked[key] = render_to_string("hub/box.html", context)
    html = html.replace(_PATH, escape(quote(path, safe="/")))
    if column_title:
        html = html.replace(_COLUMN, conditional_escape(column_title))
    return mark_safe(html)  # noqa: S308 - our template, the values escaped as it would


def render(view, heading_level: str, column_title: str = "") -> str:
    """The box's HTML: hub/box.html with the box's template inside (the frame from _frame).
    It depends only on the box, its data, the column it stands in (the child or unit of the
    cache key: it names the box for screen readers) and the language (all in the cache key):
    no request, user or CSRF token may be used by a box template."""
    from django.utils.html import conditional_escape

    head, tail = _frame(view.box, heading_level, bool(column_title))
    if column_title:
        head = head.replace(_COLUMN, conditional_escape(column_title))
    context = {"view": view, "heading_level": heading_level, "column": {"title": column_title}, "data": view.data}
    inner = box_template(view.box.template).render(context)
    return mark_safe(head + inner + tail)  # noqa: S308 - our template, the title escaped as it would


_templates: dict[str, Any] = {}


def box_template(name: str):
    """A box's own template: Jinja2 for a `.jinja` name (config/jinja.py: the platform's
    boxes), else a Django template. Remembered per process (asking the engine took 6.6 µs,
    for each of the sixteen a cold Hub renders), except with DEBUG, whose engines load an
    edited template afresh."""
    template = _templates.get(name)
    if template is None:
        from django.template import engines

        template = engines["jinja2" if name.endswith(".jinja") else "django"].get_template(name)
        if not settings.DEBUG:
            _templates[name] = template
    return template


@receiver(setting_changed)
def _forget_templates(*, setting, **kwargs):
    if setting in {"TEMPLATES", "INSTALLED_APPS", "DEBUG"}:
        _templates.clear()


def store(values: dict[str, Any]) -> None:
    gen.set_many(values)


def page_slot(*, request, user_id: int, selected_child_id: int | None, name: str = "hub") -> str:
    """Where one person's Hub page is kept: one slot per person and what the request asks
    for (the path with the chosen child, the e-ID level), overwritten by the next build, so
    old pages do not pile up. It is read in the same round trip as the generations."""
    from accounts.assurance import HIGH, has_assurance

    level = "high" if has_assurance(request, HIGH) else "low"
    where = _digest([request.get_full_path(), str(selected_child_id), level])
    return f"{name}:page:{user_id}:{where}"


def page_stamp(versions: Versions, *, request) -> str:
    """What the stored page was built from: every generation in view (the children, their
    units and groups, the staff units, the user, the municipality, the epoch), the day, the
    language and release, and the greeting's name. The page is served only while its stamp
    is the current one."""
    user = request.user
    tokens = [
        *versions._base(),
        *(f"{k}={v}" for k, v in sorted(versions.tokens.items())),
        user.first_name or "",
        user.email or "",
    ]
    return _digest(tokens)


def page_get(versions: Versions, slot: str, stamp: str) -> str | None:
    entry = versions.extra.get(slot)
    if entry is None:
        return None
    stored_stamp, until, html = entry
    if stored_stamp != stamp or (until is not None and timezone.now().timestamp() >= until):
        return None
    return html


def page_store(slot: str, stamp: str, html: str, until: float | None) -> None:
    store({slot: (stamp, until, str.__str__(html))})  # a plain str, as in pack()


def viewer_page(*, request, viewer, name: str, build, selected_child_id: int | None = None) -> str:
    """The content of a page that shows a person what their children's and units' data say
    (the Hub, the calendar), cached per person and request and served while every
    generation in view is the one it was built from. Warm: one cache round trip (the
    generations and the stored page together), no query; none of its own when the viewer's
    round trip read them ahead (the person opened this path before, on this process:
    config.generations.remember).

    `build(versions)` returns (html, valid_until timestamp or None) and must depend on
    nothing else (no CSRF token, no form); it reads from the primary, because what it
    returns is cached under generations the primary's commits bump."""

    from config.replica import primary

    slot = page_slot(request=request, user_id=request.user.pk, selected_child_id=selected_child_id, name=name)
    from roster.policy import page_scope

    versions = Versions(
        viewer=viewer,
        children=viewer.children,
        staff_unit_ids=viewer.staff_unit_ids,
        extra=[slot],
        prefetched=viewer.prefetched,
    )
    if versions.available:
        gen.remember(page_scope(request), versions.keys)
    stamp = page_stamp(versions, request=request) if versions.available else None
    if stamp:
        html = page_get(versions, slot, stamp)
        if html is not None:
            return mark_safe(html)  # noqa: S308 - rendered by our template in build()
    with primary():
        html, until = build(versions)
    if stamp:
        page_store(slot, stamp, html, until)
    gen.send_writes()  # Redis stores the boxes and the page while the frame renders
    return mark_safe(html)  # noqa: S308
