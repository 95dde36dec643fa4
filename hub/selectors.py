"""Reads for the Hub, news and calendar. Each function states its query count."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.assurance import has_assurance
from config import render_locale
from config.statements import Statement, together
from hub import cache as box_cache
from hub.models import Event, NewsItem, addressed_to
from hub.registry import GUARDIAN, STAFF, STUDENT, Box, registry
from roster.calendar import Closure, calendar_for, shared_calendar
from roster.dates import iso_week, swedish_holidays
from roster.models import Group, Unit
from roster.policy import Viewer, unit_companion

NEWS_PER_BOX = 3
EVENTS_PER_BOX = 4
EVENT_BOX_DAYS = 31
# The days before and after today the Hub's shared calendar covers (roster.calendar.
# shared_calendar): every box's question about closed days falls inside (the week behind for
# staff summaries, the Kalender box's EVENT_BOX_DAYS ahead); one outside loads its own.
HUB_CALENDAR_DAYS = (14, 62)


# --- The dashboard ---------------------------------------------------------------------


@dataclass
class BoxView:
    box: Box
    locked: bool = False
    data: Any = None  # hub.cache.RENDERED when the box came from the cache with its HTML
    html: str | None = None  # the rendered box (hub/box.html), cached
    until: float | None = None  # when it goes out of date by the clock (POSIX time), if ever


@dataclass
class Column:
    key: str
    title: str
    subtitle: str
    child_id: int | None = None
    boxes: list[BoxView] = field(default_factory=list)


@dataclass
class Dashboard:
    family: list[Column]
    staff: list[Column]
    selected_child_id: int | None
    # The earliest time (a POSIX timestamp) at which a box shown goes out of date by the
    # clock alone (Box.valid_until), or None: the whole page's cache entry ends then too.
    valid_until: float | None = None


def _enabled_keys(units) -> dict[int, set[str] | None]:
    """Which boxes each of these units shows (None: every box that fits its kind): no query,
    the setting comes with a viewer's units (hub.apps: roster.policy.UNIT_COMPANIONS)."""
    enabled: dict[int, set[str] | None] = {}
    for unit in units:
        setting = unit_companion(unit, "hub_boxes")
        enabled[unit.pk] = None if setting is None else set(setting.enabled or [])
    return enabled


def _box_enabled_for_units(box: Box, units: list[tuple[int, str]], enabled: dict[int, set[str] | None]) -> bool:
    """Whether any of these units ((id, kind) pairs) uses the box."""
    for unit_id, kind in units:
        keys = enabled.get(unit_id)
        if kind in box.unit_kinds and (keys is None or box.key in keys):
            return True
    return False


def _unit_pairs(units) -> list[tuple[int, str]]:
    return [(u.pk, u.kind) for u in units]


def _audience_of(child, viewer) -> str:
    return STUDENT if child.user_id == viewer.user.pk else GUARDIAN


def dashboard_build(
    *, request, viewer: Viewer, selected_child_id: int | None, versions: box_cache.Versions | None = None
) -> Dashboard:
    """Warm: no query, two cache round trips (the generations in view, then every box's
    data). Cold: per box, one bulk load for the children and one for the staff units that
    missed the cache; the loaders state their own counts. Which boxes a unit shows comes with
    the viewer's units (_enabled_keys). See hub/cache.py. The boxes that ask about closed days
    (Frånvaro, care, lessons, Kalender) share one load of the calendar (HUB_CALENDAR_DAYS)."""
    today = timezone.localdate()
    start, end = today - timedelta(days=HUB_CALENDAR_DAYS[0]), today + timedelta(days=HUB_CALENDAR_DAYS[1])
    with shared_calendar(unit_ids=viewer.family_unit_ids | viewer.staff_unit_ids, start=start, end=end):
        return _dashboard_build(request=request, viewer=viewer, selected_child_id=selected_child_id, versions=versions)


def _dashboard_build(
    *, request, viewer: Viewer, selected_child_id: int | None, versions: box_cache.Versions | None
) -> Dashboard:
    children = viewer.children
    # Each child's and unit's id once: asked per box below, and a model's .pk is a property
    # (a cold Hub for a family of three asked it some 500 times).
    child_pairs = [(c.pk, c) for c in children]
    child_units = {pk: _unit_pairs(p.unit for p in c.active_placements) for pk, c in child_pairs}
    child_kinds = {pk: {kind for _unit, kind in units} for pk, units in child_units.items()}
    # Asked per box and child below: viewer.user is the request's lazy user (each .pk a detour).
    audience = {pk: _audience_of(c, viewer) for pk, c in child_pairs}
    staff_units = viewer.staff_units
    staff_pairs = [(u.pk, u) for u in staff_units]
    if versions is None:
        versions = box_cache.Versions(viewer=viewer, children=children, staff_unit_ids=viewer.staff_unit_ids)
    boxes = registry.all()

    # Every key this request may need, fetched in one round trip.
    wanted_child = {
        (box.key, pk): versions.child(box, pk)
        for box in boxes
        if box.child_cache and versions.available
        for pk, _child in child_pairs
        if audience[pk] in box.audiences and box.unit_kinds & child_kinds[pk]
    }
    wanted_unit = {
        (box.key, pk): versions.unit(box, pk)
        for box in boxes
        if STAFF in box.audiences and versions.available
        for pk, _unit in staff_pairs
    }
    found = box_cache.cached_values([*wanted_child.values(), *wanted_unit.values()])
    to_store: dict[str, Any] = {}
    enabled = _enabled_keys([*(p.unit for _pk, c in child_pairs for p in c.active_placements), *staff_units])

    rendered: dict[str, tuple] = {}  # cache key → the box's HTML and `until`, from the cache
    to_render: list[tuple[str | None, BoxView, str]] = []  # boxes rendered after this build

    # First every box's cached data; then the misses, every box's loader side by side
    # (config.statements.together: their statements reach the database in one round trip
    # per step, not one each); then the columns, in the registry's order.
    loads: list[tuple[Box, list, dict, Any, dict]] = []  # box, misses, keys, loader, result

    def lookup(box, items, keys, loader):
        """Cached data (and rendered HTML) per item ((id, child or unit) pairs); the misses
        are loaded below, in bulk."""
        result, misses = {}, []
        for pk, item in items:
            key = keys.get((box.key, pk))
            hit, data, html, until = box_cache.unpack(found.get(key))
            if hit:
                result[pk] = data
                if html is not None:
                    rendered[key] = (html, until)
            else:
                misses.append((pk, item))
        if misses:
            loads.append((box, misses, keys, loader, result))
        return result

    def show(column, box, data, key, heading_level):
        view = BoxView(box=box, data=data)
        if key in rendered:
            view.html, view.until = rendered[key]
        else:
            to_render.append((key, view, heading_level, column.title))
        column.boxes.append(view)

    family = [
        Column(
            key=f"child-{c.pk}",
            title=c.full_name,
            subtitle=", ".join(
                p.group.name + " · " + p.unit.name if p.group_id else p.unit.name for p in c.active_placements
            ),
            child_id=c.pk,
        )
        for c in children
    ]
    by_child = {col.child_id: col for col in family}
    staff = [Column(key=f"unit-{u.pk}", title=u.name, subtitle=u.get_kind_display()) for u in staff_units]
    by_unit = {col.key: col for col in staff}
    shown: list[tuple] = []  # (column, item id, box, locked, data per item id, keys, heading level)
    assured = {level: has_assurance(request, level) for level in {box.assurance for box in boxes}}
    for box in boxes:
        audience_children = [
            (pk, c)
            for pk, c in child_pairs
            if audience[pk] in box.audiences and _box_enabled_for_units(box, child_units[pk], enabled)
        ]
        if not audience_children:
            continue
        if not assured[box.assurance]:
            shown.extend((by_child[pk], pk, box, True, None, None, "h3") for pk, _c in audience_children)
            continue
        data = lookup(box, audience_children, wanted_child, box.load_for_children)
        shown.extend((by_child[pk], pk, box, False, data, wanted_child, "h3") for pk, _c in audience_children)
    for box in boxes:
        if STAFF not in box.audiences:
            continue
        units = [(pk, u) for pk, u in staff_pairs if _box_enabled_for_units(box, [(pk, u.kind)], enabled)]
        if not units:
            continue
        if not assured[box.assurance]:
            shown.extend((by_unit[f"unit-{pk}"], pk, box, True, None, None, "h4") for pk, _u in units)
            continue
        data = lookup(box, units, wanted_unit, box.load_for_units)
        shown.extend((by_unit[f"unit-{pk}"], pk, box, False, data, wanted_unit, "h4") for pk, _u in units)

    # Boxes that share a load (Box.shared_load) run in one call, one after the other: the
    # first loads, the next finds it on the viewer.
    calls: dict[Any, list] = {}
    for load in loads:
        calls.setdefault(load[0].shared_load or id(load), []).append(load)
    results = together(
        [
            lambda group=group: [
                loader(viewer=viewer, **{"children" if keys is wanted_child else "units": [i for _pk, i in misses]})
                for _box, misses, keys, loader, _result in group
            ]
            for group in calls.values()
        ]
    )
    for group, loaded_group in zip(calls.values(), results, strict=True):
        for (box, misses, keys, _loader, result), loaded in zip(group, loaded_group, strict=True):
            for pk, _item in misses:
                data = loaded.get(pk)
                result[pk] = data
                key = keys.get((box.key, pk))
                if key and data is None:
                    to_store[key] = box_cache.pack(box, None)

    for column, item_id, box, locked, data, keys, heading_level in shown:
        if locked:
            html = box_cache.render_locked(box, heading_level, column.title, request.get_full_path())
            column.boxes.append(BoxView(box=box, locked=True, html=html))
        elif data.get(item_id) is not None:
            show(column, box, data[item_id], keys.get((box.key, item_id)), heading_level)

    # Boxes that missed are rendered once here and their HTML cached: a warm Hub
    # renders no box template at all (rendering was a third of the Hub's cost).
    with render_locale.fixed():  # the language, zone and URL prefix looked up once for all
        for key, view, heading_level, column_title in to_render:
            view.html = box_cache.render(view, heading_level, column_title)
            entry = box_cache.pack(view.box, view.data, view.html)
            view.until = entry[0]
            if key:
                to_store[key] = entry
    untils = [view.until for column in family + staff for view in column.boxes if view.until is not None]
    box_cache.store(to_store)
    ids = [c.pk for c in children]
    selected = selected_child_id if selected_child_id in ids else (ids[0] if ids else None)
    return Dashboard(family=family, staff=staff, selected_child_id=selected, valid_until=min(untils, default=None))


class _NoOne:
    """The viewer's user while boxes are filled ahead of any request: a child's boxes show
    the same whoever looks (their cache keys name no person), so no one is needed."""

    pk = 0
    is_superuser = False


def warm_family_boxes(*, child_ids) -> int:
    """Fill the box cache for these children as their family's first Hub of the day would,
    before anyone asks (hub.tasks): every box key holds the date, so without this every
    family's first Hub at 07:30 loads and renders every box. The same keys, loaders and
    rendering as `_dashboard_build` for a guardian with a password login: boxes cached per
    child, without e-ID, enabled for the child's units; entries already cached are left as
    they are. Queries: the children, the units' box settings, and one bulk load per box (its
    `Box.queries`) for all the children at once. Returns the entries stored; 0 when the cache
    is away."""
    from django.conf import settings
    from django.utils import translation

    from accounts.assurance import LOW
    from roster.policy import children_with_placements

    today = timezone.localdate()
    children = children_with_placements(child_ids, on=today)
    if not children:
        return 0
    viewer = Viewer(user=_NoOne(), children=children)
    with (
        translation.override(settings.LANGUAGE_CODE),
        shared_calendar(
            unit_ids=viewer.family_unit_ids,
            start=today - timedelta(days=HUB_CALENDAR_DAYS[0]),
            end=today + timedelta(days=HUB_CALENDAR_DAYS[1]),
        ),
    ):
        versions = box_cache.Versions(viewer=viewer, children=children, staff_unit_ids=())
        if not versions.available:
            return 0
        child_units = {c.pk: _unit_pairs(p.unit for p in c.active_placements) for c in children}
        enabled = _enabled_keys(p.unit for c in children for p in c.active_placements)
        titles = {c.pk: c.full_name for c in children}
        wanted = {
            (box, c.pk): versions.child(box, c.pk)
            for box in registry.all()
            if box.child_cache and GUARDIAN in box.audiences and box.assurance == LOW
            for c in children
            if _box_enabled_for_units(box, child_units[c.pk], enabled)
        }
        found = box_cache.cached_values(wanted.values())
        to_store: dict[str, Any] = {}
        for box in dict.fromkeys(box for box, _child in wanted):
            missing = [c for c in children if (key := wanted.get((box, c.pk))) and key not in found]
            if not missing:
                continue
            loaded = box.load_for_children(viewer=viewer, children=missing)
            for child in missing:
                data = loaded.get(child.pk)
                html = None
                if data is not None:
                    html = box_cache.render(BoxView(box=box, data=data), "h3", titles[child.pk])
                to_store[wanted[(box, child.pk)]] = box_cache.pack(box, data, html)
        box_cache.store(to_store)
    return len(to_store)


def dashboard_html(*, request, viewer: Viewer, selected_child_id: int | None) -> str:
    """The Hub's content (everything inside <main> but the messages), as HTML, from the
    person's page cache (hub.cache.viewer_page). A change that bumps any child, unit, group,
    user or the municipality in view voids it with the boxes, and a box whose data goes out
    of date by the clock (Box.valid_until) ends the page's entry then too. Cold: the boxes'
    own cache and loaders (dashboard_build), rendered once and stored."""

    def build(versions):
        board = dashboard_build(request=request, viewer=viewer, selected_child_id=selected_child_id, versions=versions)
        return board_html(board, user=request.user), board.valid_until

    return box_cache.viewer_page(
        request=request, viewer=viewer, name="hub", build=build, selected_child_id=selected_child_id
    )


def board_html(board: Dashboard, *, user) -> str:
    """hub/board.jinja for this board. Rendered without the request: the board reads only the
    board and the user, and a request would run every context processor for it (the main
    menu among them, which the page's frame builds anyway). A Jinja2 template as the boxes
    are (config/jinja.py): the same HTML in a third of the time (Carin's board 253 → 86 µs).
    Asked of the Jinja2 engine itself (hub.cache.box_template): Django's loader would try the
    Django engine first and catch its TemplateDoesNotExist, whose traceback held the frames
    of the whole request, so that everything the request had built became cyclic garbage for
    the collector instead of being freed when the request ended."""
    return box_cache.box_template("hub/board.jinja").render({"board": board, "user": user})


def _child_scope(child) -> tuple[set[int], set[int]]:
    units = {p.unit_id for p in child.active_placements}
    groups = {p.group_id for p in child.active_placements if p.group_id}
    return units, groups


def _unit_scope(unit: Unit) -> tuple[set[int], set[int]]:
    # Staff see everything addressed to their unit, including each of its groups.
    return {unit.pk}, set()


def _viewer_unit_kinds(viewer: Viewer) -> dict[int, str]:
    """No query: every unit of the viewer's children and duties, by id, with its kind."""
    kinds = {p.unit_id: p.unit.kind for c in viewer.children for p in c.active_placements}
    kinds.update({d.unit_id: d.unit.kind for d in viewer.duties})
    return kinds


def _reaches_unit(item, unit: Unit) -> bool:
    return item.unit_id is None or item.unit_id == unit.pk


# --- News --------------------------------------------------------------------------------


def news_visible(viewer: Viewer):
    """Published news addressed to the viewer, plus everything (also unpublished) in units
    the viewer may manage."""
    now = timezone.now()
    published = Q(publish_at__lte=now) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    qs = NewsItem.objects.for_viewer(viewer)
    if viewer.is_superuser:
        return qs
    return qs.filter(published | Q(unit_id__in=viewer.staff_unit_ids))


def _audience_arguments(unit_ids, group_ids, all_of_units: bool) -> dict[str, list[int]]:
    """The news and Kalender statements' audience: a family's units and groups as
    addressed_to values; staff's units (`all_of_units`) as unit ids, every item in them, their
    groups' included, with the municipality's and `group_ids`' items by addressed_to."""
    if all_of_units:
        return {"audiences": addressed_to((), group_ids), "staff_unit_ids": sorted(unit_ids)}
    return {"audiences": addressed_to(unit_ids, group_ids), "staff_unit_ids": []}


def _news_rows(*, audiences: list[int], staff_unit_ids: list[int], now, until, per_audience: int):
    """`audiences`: hub.models.addressed_to of the units and groups (computed outside: a
    statement is compiled with stand-ins for its values); `staff_unit_ids`: units whose every
    item is wanted, groups' included (staff), or none. Both conditions are indexed, so
    PostgreSQL reads only the items asked for, not the municipality's (`addressed_to`)."""
    return (
        NewsItem.objects.filter(Q(addressed_to__in=audiences) | Q(unit_id__in=staff_unit_ids))
        .filter(publish_at__lte=until)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("unit_id"), F("group_id")],
                order_by=[F("publish_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=per_audience)
        .order_by("-publish_at", "-id")
        .values("id", "title", "publish_at", "expires_at", "unit_id", "group_id", "unit__name", "group__name")
    )


_NEWS_ROWS = Statement(_news_rows)


def news_for_box(
    *, unit_ids: set[int], group_ids: set[int], all_of_units: bool = False, per_audience: int = NEWS_PER_BOX + 3
) -> list:
    """One query: the newest items addressed to these units and groups that are published now
    or scheduled within a day (their publish time tells the cache when to reload), as plain
    rows, at most `per_audience` for each audience (the municipality, a unit, a group): each
    child's newest items are among them, so a busy school never pushes a preschool's news off
    the Hub (a global limit did). `all_of_units` takes the units' group items too (staff).
    Built and compiled once per shape (config.statements)."""
    now = timezone.now()
    return _NEWS_ROWS(
        **_audience_arguments(unit_ids, group_ids, all_of_units),
        now=now,
        until=now + timedelta(days=1),
        per_audience=per_audience,
    )


def _news_box(rows: list[dict], reaches) -> dict:
    """The box data from plain rows: the three newest published items that reach the
    reader, and when that list changes by the clock alone (a scheduled item appears, an
    item expires)."""
    from django.conf import settings

    now = timezone.now()
    shown, changes = [], []
    for row in rows:
        if not reaches(row):
            continue
        if row["publish_at"] > now:
            changes.append(row["publish_at"])
            continue
        if len(shown) < NEWS_PER_BOX:
            if row["group_id"]:
                audience = f"{row['group__name']}, {row['unit__name']}"
            else:
                audience = row["unit__name"] or settings.SKOLHUBB_MUNICIPALITY
            shown.append(
                {"id": row["id"], "title": row["title"], "publish_at": row["publish_at"], "audience": audience}
            )
            if row["expires_at"]:
                changes.append(row["expires_at"])
    return {"news": shown, "valid_until": min(changes) if changes else None}


def news_box_for_children(*, viewer: Viewer, children: list) -> dict[int, dict]:
    """One query for all children; the same data whoever looks (guardian or student)."""
    scopes = {c.pk: _child_scope(c) for c in children}
    rows = news_for_box(
        unit_ids=set().union(*(u for u, _g in scopes.values())),
        group_ids=set().union(*(g for _u, g in scopes.values())),
    )
    result = {}
    for child_id, (units, groups) in scopes.items():
        result[child_id] = _news_box(
            rows,
            lambda r, units=units, groups=groups: (
                r["unit_id"] is None or (r["group_id"] in groups if r["group_id"] else r["unit_id"] in units)
            ),
        )
    return result


def news_box_for_units(*, viewer: Viewer, units: list) -> dict[int, dict]:
    """One query for all units: everything addressed to the unit (any of its groups) or to everyone."""
    rows = news_for_box(unit_ids={u.pk for u in units}, group_ids=set(), all_of_units=True)
    return {u.pk: _news_box(rows, lambda r, u=u: r["unit_id"] in (None, u.pk)) for u in units}


def news_page(*, viewer: Viewer, page: int | str | None, per_page: int = 20):
    """Two queries: the count and one page of items with unit and group."""
    qs = news_visible(viewer).select_related("unit", "group", "author")
    result = Paginator(qs, per_page).get_page(page)
    result.object_list = list(result.object_list)  # evaluated here, not while the template renders
    return result


def news_next_change(*, viewer: Viewer):
    """One query: the next moment an item the viewer can see is published or expires (the
    news list changes by the clock then), or None."""
    from django.db.models import Min

    now = timezone.now()
    found = NewsItem.objects.for_viewer(viewer).aggregate(
        published=Min("publish_at", filter=Q(publish_at__gt=now)),
        expires=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    return min((m for m in found.values() if m is not None), default=None)


def news_detail(*, news: NewsItem) -> dict:
    """Two queries: links and attachments."""
    return {"links": list(news.links.all()), "attachments": list(news.attachments.all())}


# --- Calendar ----------------------------------------------------------------------------


@dataclass
class CalendarEntry:
    start: date
    end: date
    title: str
    kind: str  # an Event.Type value, "helgdag", "lov" or a closed day's kind
    kind_label: str
    event: Event | None = None
    description: str = ""
    groups: list[str] = field(default_factory=list)  # the groups it is for, when merged across groups
    whole_unit: bool = False  # merged with the same event for the whole unit

    @property
    def audience(self) -> str:
        if self.whole_unit:
            return ""
        if self.groups:
            return ", ".join(self.groups)
        return self.event.group.name if self.event is not None and self.event.group_id else ""

    @property
    def is_holiday(self) -> bool:
        return self.kind == "helgdag"


def events_between(*, viewer: Viewer, start: date, end: date) -> list[Event]:
    """One query: events addressed to the viewer that overlap [start, end]."""
    return list(
        Event.objects.for_viewer(viewer)
        .filter(start_date__lte=end, end_date__gte=start)
        .select_related("unit", "group")
    )


def closures_between(*, viewer: Viewer, start: date, end: date) -> list[Closure]:
    """One query: studiedagar, planeringsdagar and lov (stored once, in roster) for the
    viewer's units and the whole municipality."""
    unit_ids = None if viewer.is_superuser else viewer.family_unit_ids | viewer.staff_unit_ids
    return calendar_for(start=start, end=end, unit_ids=unit_ids, with_terms=False).closures


def _closure_reaches(closure: Closure, units: dict[int, str], groups: set[int] | None) -> bool:
    """`units`: unit id → kind in scope; `groups` None: every group of those units (staff)."""
    if closure.unit_id is not None and closure.unit_id not in units:
        return False
    if closure.group_id is not None and groups is not None and closure.group_id not in groups:
        return False
    if closure.is_lov:
        # Lov concerns schools and the fritidshem that cares for their pupils, not förskola.
        return closure.unit_id is not None or any(k != Unit.Kind.FORSKOLA for k in units.values())
    return True


def _closure_entry(closure: Closure) -> CalendarEntry:
    kind = "lov" if closure.is_lov else closure.kind
    label = _("Lov") if closure.is_lov else closure.kind_label
    return CalendarEntry(
        start=closure.start,
        end=closure.end,
        title=closure.label,
        kind=kind,
        kind_label=label,
        description=closure.description,
    )


def _holiday_entries(start: date, end: date) -> list[CalendarEntry]:
    return [
        CalendarEntry(start=d, end=d, title=name, kind="helgdag", kind_label="Helgdag")
        for d, name in swedish_holidays(start, end).items()
    ]


def _event_entry(event: Event, labels: dict[str, str] | None = None) -> CalendarEntry:
    """`labels`: the type labels found so far in this language (a box makes an entry per
    event and column: the label's lookup and translation once per type, not per entry)."""
    if labels is None:
        label = event.get_event_type_display()
    elif (label := labels.get(event.event_type)) is None:
        label = labels[event.event_type] = str(event.get_event_type_display())
    return CalendarEntry(
        start=event.start_date,
        end=event.end_date,
        title=event.title,
        kind=event.event_type,
        kind_label=label,
        event=event,
    )


def _entries_sorted(entries: list[CalendarEntry]) -> list[CalendarEntry]:
    """In date order, the same happening shown once: events with the same title, kind and
    dates for several groups (the national test in 3A, 3B, 6A and 9A) become one entry
    naming the groups, and a closed period or holiday stored twice shows once."""
    merged: dict[tuple, CalendarEntry] = {}
    for entry in sorted(entries, key=lambda e: (e.start, e.event is not None, e.title)):
        key = (entry.title.strip().lower(), entry.kind, entry.start, entry.end)
        first = merged.get(key)
        if first is None:
            merged[key] = entry
        elif first.event is not None and entry.event is not None:
            for member in (first.event, entry.event):
                if member.group_id is None:
                    first.whole_unit = True
                elif member.group.name not in first.groups:
                    first.groups.append(member.group.name)
    for entry in merged.values():
        entry.groups.sort()
    return list(merged.values())


def _box_entry(entry: CalendarEntry) -> dict:
    event = entry.event
    return {
        "start": entry.start,
        "end": entry.end,
        "title": entry.title,
        "kind": entry.kind,
        "kind_label": str(entry.kind_label),
        "event_id": event.pk if event else None,
        "group_name": event.group.name if event and event.group_id else "",
        "audience": entry.audience,
    }


class _BoxEvent:
    """What the Kalender box uses of an event, from a row of eight columns: a principal's box
    reads dozens of events, and building an Event and a Group from every column of each (with
    their timestamps) cost more than the rest of the box. Reads like an Event where the box's
    code asks (`reaches`, `get_event_type_display`, `group.name`)."""

    __slots__ = ("end_date", "event_type", "group", "group_id", "pk", "start_date", "title", "unit_id")
    _TYPES = dict(Event.Type.choices)
    reaches = Event.reaches

    def __init__(self, row: tuple):
        self.pk, self.title, self.event_type, self.start_date, self.end_date, self.unit_id, self.group_id = row[:7]
        self.group = _BoxGroup(row[7]) if self.group_id is not None else None

    def get_event_type_display(self):
        return self._TYPES.get(self.event_type, self.event_type)


class _BoxGroup:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


def _event_rows(*, audiences: list[int], staff_unit_ids: list[int], start, end):
    """As _news_rows: `audiences` the units' and groups' addressed_to, `staff_unit_ids` units
    whose every event is wanted."""
    return (
        Event.objects.filter(Q(addressed_to__in=audiences) | Q(unit_id__in=staff_unit_ids))
        .filter(start_date__lte=end, end_date__gte=start)
        .values_list("id", "title", "event_type", "start_date", "end_date", "unit_id", "group_id", "group__name")
    )


_EVENT_ROWS = Statement(_event_rows)


def _events_for_box(*, unit_ids: set[int], group_ids: set[int], all_of_units: bool, start: date, end: date):
    """One query: events addressed to these units/groups overlapping [start, end], as the
    box reads them (_BoxEvent; a statement: the box is on every cold Hub)."""
    rows = _EVENT_ROWS(
        **_audience_arguments(unit_ids, group_ids, all_of_units),
        start=start,
        end=end,
    )
    return [_BoxEvent(row) for row in rows]


def events_box_for_children(*, viewer: Viewer, children: list) -> dict[int, list[dict]]:
    """One query for all children; the same data whoever looks."""
    today = timezone.localdate()
    end = today + timedelta(days=EVENT_BOX_DAYS)
    scopes = {c.pk: _child_scope(c) for c in children}
    unit_ids = set().union(*(u for u, _g in scopes.values()))
    # The closed days are asked with the events (in the Hub: one round trip for both).
    events, calendar = together(
        [
            lambda: _events_for_box(
                unit_ids=unit_ids,
                group_ids=set().union(*(g for _u, g in scopes.values())),
                all_of_units=False,
                start=today,
                end=end,
            ),
            lambda: calendar_for(start=today, end=end, unit_ids=unit_ids, with_terms=False),
        ]
    )
    closures = calendar.closures
    holidays = _holiday_entries(today, end)
    labels: dict[str, str] = {}
    result = {}
    for child in children:
        units, groups = scopes[child.pk]
        kinds = {p.unit_id: p.unit.kind for p in child.active_placements}
        entries = (
            [_event_entry(e, labels) for e in events if e.reaches(units, groups)]
            + [_closure_entry(c) for c in closures if _closure_reaches(c, kinds, groups)]
            + holidays
        )
        result[child.pk] = [_box_entry(e) for e in _entries_sorted(entries)[:EVENTS_PER_BOX]]
    return result


def events_box_for_units(*, viewer: Viewer, units: list) -> dict[int, list[dict]]:
    """One query for all units."""
    today = timezone.localdate()
    end = today + timedelta(days=EVENT_BOX_DAYS)
    events = _events_for_box(unit_ids={u.pk for u in units}, group_ids=set(), all_of_units=True, start=today, end=end)
    closures = calendar_for(start=today, end=end, unit_ids={u.pk for u in units}, with_terms=False).closures
    holidays = _holiday_entries(today, end)
    labels: dict[str, str] = {}
    return {
        u.pk: [
            _box_entry(e)
            for e in _entries_sorted(
                [_event_entry(e, labels) for e in events if _reaches_unit(e, u)]
                + [_closure_entry(c) for c in closures if _closure_reaches(c, {u.pk: u.kind}, None)]
                + holidays
            )[:EVENTS_PER_BOX]
        ]
        for u in units
    }


@dataclass
class MonthDay:
    day: date
    in_month: bool
    is_today: bool
    is_weekend: bool
    entries: list[CalendarEntry]


@dataclass
class MonthWeek:
    number: int
    days: list[MonthDay]


@dataclass
class Month:
    first: date
    weeks: list[MonthWeek]
    entries: list[CalendarEntry]  # the month's entries in order, for the list view
    previous: date
    next: date


def calendar_opening_month(*, viewer: Viewer) -> date:
    """Two queries: the first day of the month holding the next event or closed period from
    today (a holiday counts too), or this month when nothing is ahead within a year."""
    today = timezone.localdate()
    horizon = today + timedelta(days=366)
    candidates = [d for d in swedish_holidays(today, horizon)]
    event = (
        Event.objects.for_viewer(viewer)
        .filter(end_date__gte=today, start_date__lte=horizon)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    if event is not None:
        candidates.append(max(event, today))
    kinds = _viewer_unit_kinds(viewer)
    closures = [
        c
        for c in closures_between(viewer=viewer, start=today, end=horizon)
        if viewer.is_superuser or _closure_reaches(c, kinds, None)
    ]
    candidates += [max(c.start, today) for c in closures[:1]]
    first = min(candidates, default=today)
    return first.replace(day=1)


def calendar_month(*, viewer: Viewer, first: date) -> Month:
    """Two queries: the events and the closed periods overlapping the weeks shown; holidays
    come from the package."""
    first = first.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    closures = closures_between(viewer=viewer, start=grid_start, end=grid_end)
    kinds = _viewer_unit_kinds(viewer)
    entries = _entries_sorted(
        [_event_entry(e) for e in events_between(viewer=viewer, start=grid_start, end=grid_end)]
        + [_closure_entry(c) for c in closures if viewer.is_superuser or _closure_reaches(c, kinds, None)]
        + _holiday_entries(grid_start, grid_end)
    )
    today = timezone.localdate()
    weeks = []
    day = grid_start
    while day <= grid_end:
        days = []
        for _offset in range(7):
            days.append(
                MonthDay(
                    day=day,
                    in_month=day.month == first.month,
                    is_today=day == today,
                    is_weekend=day.weekday() >= 5,
                    entries=[e for e in entries if e.start <= day <= e.end],
                )
            )
            day += timedelta(days=1)
        weeks.append(MonthWeek(number=iso_week(days[0].day), days=days))
    month_entries = [e for e in entries if e.start <= last and e.end >= first]
    previous = (first - timedelta(days=1)).replace(day=1)
    return Month(first=first, weeks=weeks, entries=month_entries, previous=previous, next=last + timedelta(days=1))


# --- Audience choices for staff forms ------------------------------------------------------


def audience_choices(*, viewer: Viewer) -> list[tuple[str, str]]:
    """One query: the groups of the units the viewer may publish to."""
    choices: list[tuple[str, str]] = []
    if viewer.may_publish_municipality_wide:
        from django.conf import settings

        choices.append(("all", f"Hela {settings.SKOLHUBB_MUNICIPALITY}"))
    units = Unit.objects.all() if viewer.is_superuser else Unit.objects.filter(pk__in=viewer.staff_unit_ids)
    groups = Group.objects.filter(unit__in=units).select_related("unit").order_by("unit__name", "name")
    by_unit: dict[int, list[Group]] = {}
    unit_objs: dict[int, Unit] = {}
    for group in groups:
        by_unit.setdefault(group.unit_id, []).append(group)
        unit_objs[group.unit_id] = group.unit
    for unit in viewer.staff_units if not viewer.is_superuser else sorted(unit_objs.values(), key=lambda u: u.name):
        choices.append((f"unit:{unit.pk}", f"{unit.name} (hela enheten)"))
        for group in by_unit.get(unit.pk, []):
            choices.append((f"group:{group.pk}", f"{unit.name} – {group.name}"))
    return choices
