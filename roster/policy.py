"""The access policy: who may see or change which child and which unit's content.

Every query for children or their data goes through here. `viewer_for(request)` gives the
viewer's relations (own children with their active placements, staff duties): computed
once per request, and kept in the cache between requests under the viewer's generation
(config/generations.py). Every change of a guardianship, placement, duty or child bumps
that generation when it commits (roster/signals.py), so access never lags: the next
request after the change rebuilds the viewer (2 queries); otherwise it costs one cache read.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import router
from django.db.models import FilteredRelation, Q, QuerySet
from django.utils import timezone

from config import generations
from config.statements import Statement, columns, instance, related_columns, together, with_related
from roster.models import Child, Group, GroupStaff, Guardianship, Placement, StaffDuty, Unit, active_q


def _own_ids(user, on, *more: QuerySet) -> QuerySet:
    """Subquery: the ids of the user's own children (active guardianship) and of the user's
    own record as a student, and of `more` (querysets of one id column), as one UNION. A
    UNION, not `id IN (…) OR user_id = …`: PostgreSQL cannot use an index under that OR and
    read every child (8 ms at 20 000 pupils, on every viewer build); the UNION is two index
    scans (0.1 ms)."""
    own = Guardianship.objects.filter(active_q(on=on), guardian=user).values("child_id")
    return own.union(Child.objects.filter(user=user).values("id"), *more)


def _guardian_or_self_q(user, on) -> Q:
    return Q(id__in=_own_ids(user, on))


def staff_unit_ids_q(user, on=None):
    return StaffDuty.objects.filter(active_q(on=on), user=user).values("unit_id")


# --- Role predicates: each rule in one place ------------------------------------------------


def is_staff_or_superuser(user) -> bool:
    """Staff with an active duty at some unit, or a superuser. One query (none for a
    superuser or an anonymous user); inside a request prefer `viewer_for(request).is_staff_or_superuser`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or StaffDuty.objects.filter(active_q(), user=user).exists()


def principal_unit_ids_q(user, on=None):
    """Subquery: the units where the user is principal (rektor) with an active duty."""
    return StaffDuty.objects.filter(active_q(on=on), user=user, role=StaffDuty.Role.REKTOR).values("unit_id")


def is_principal_of(user, unit_id, on=None) -> bool:
    """Principal (rektor) of the unit today, or a superuser. One query (none for a superuser)."""
    if user.is_superuser:
        return True
    return StaffDuty.objects.filter(active_q(on=on), user=user, role=StaffDuty.Role.REKTOR, unit_id=unit_id).exists()


def own_child_ids_q(user, on=None):
    """Subquery: the children the user is an active guardian of (not a student's own record)."""
    return Guardianship.objects.filter(active_q(on=on), guardian=user).values("child_id")


def own_child_ids(user, child_ids, on=None) -> set[int]:
    """One query: which of these children the user is an active guardian of."""
    return set(
        Guardianship.objects.filter(active_q(on=on), guardian=user, child_id__in=list(child_ids)).values_list(
            "child_id", flat=True
        )
    )


def is_own_child(user, child_id, on=None) -> bool:
    """One query: the user is an active guardian of the child (a student is not their own guardian)."""
    return child_id in own_child_ids(user, [child_id], on=on)


def placements_overlapping(start, end, *, queryset: QuerySet | None = None) -> QuerySet:
    """The placements that overlap [start, end] (open-ended ones included)."""
    queryset = Placement.objects.all() if queryset is None else queryset
    return queryset.overlapping(start, end)


def children_visible_to(user, *, queryset: QuerySet | None = None, on=None) -> QuerySet:
    """Guardians: own children with an active guardianship. Students: themselves.
    Staff: children with an active placement in a unit where they have an active duty
    (principals included, through their duty). Superusers: every child."""
    queryset = Child.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    on = on or timezone.localdate()
    placed_in_staff_units = Placement.objects.filter(active_q(on=on), unit_id__in=staff_unit_ids_q(user, on))
    return queryset.filter(id__in=_own_ids(user, on, placed_in_staff_units.values("child_id")))


def children_listable_to(user, *, queryset: QuerySet | None = None, on=None) -> QuerySet:
    """For lists that show children to others (class lists, tags, contact lists): a child
    with protected identity is left out unless the viewer is their own guardian, the child
    themself, or staff of a unit where the child is placed."""
    visible = children_visible_to(user, queryset=queryset, on=on)
    if user.is_superuser:
        return visible
    on = on or timezone.localdate()
    staff_placed = Placement.objects.filter(active_q(on=on), unit_id__in=staff_unit_ids_q(user, on))
    return visible.filter(Q(protected_identity=False) | Q(id__in=_own_ids(user, on, staff_placed.values("child_id"))))


def protected_people_q() -> Q:
    """Users (a Q on accounts.User) whose details would reveal a protected identity: a guardian
    of a child with protected identity – any guardianship, ended ones too, as the family
    usually shares the protected address – or the account of such a child. A subquery, no
    query of its own."""
    guardians = Guardianship.objects.filter(child__protected_identity=True).values("guardian_id")
    return Q(pk__in=guardians) | Q(child_record__protected_identity=True)


def may_see_child(user, child: Child) -> bool:
    return children_visible_to(user).filter(pk=child.pk).exists()


def may_see_sensitive(user, child: Child, on=None) -> bool:
    """Sensitive documents (åtgärdsprogram, notes): the child's mentors and teachers and
    the principal of a unit where the child is placed."""
    if user.is_superuser:
        return True
    on = on or timezone.localdate()
    placements = Placement.objects.filter(active_q(on=on), child=child)
    teaches = GroupStaff.objects.filter(
        active_q(on=on),
        user=user,
        role__in=[GroupStaff.Role.MENTOR, GroupStaff.Role.TEACHER],
        group_id__in=placements.values("group_id"),
    )
    leads = placements.filter(unit_id__in=principal_unit_ids_q(user, on))
    return teaches.exists() or leads.exists()


def may_manage_unit_content(user, unit_id: int, on=None) -> bool:
    """Staff with an active duty at the unit may publish and change its content."""
    if user.is_superuser:
        return True
    return StaffDuty.objects.filter(active_q(on=on), user=user, unit_id=unit_id).exists()


@dataclass
class Viewer:
    """What one request knows about the logged-in person's relations."""

    user: object
    children: list[Child] = field(default_factory=list)  # own children, or oneself as student
    duties: list[StaffDuty] = field(default_factory=list)
    # Cache keys read with the viewer in its round trip (config.generations.Prefetched), for
    # this request's page to use instead of a round trip of its own; None: nothing read ahead.
    prefetched: generations.Prefetched | None = field(default=None, compare=False, repr=False)

    @property
    def is_superuser(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))

    @property
    def is_guardian(self) -> bool:
        return any(c.user_id != self.user.pk for c in self.children)

    @property
    def student_child(self) -> Child | None:
        return next((c for c in self.children if c.user_id == self.user.pk), None)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.duties)

    @property
    def is_staff_or_superuser(self) -> bool:
        return self.is_staff_member or self.is_superuser

    def is_principal_of(self, unit_id: int | None) -> bool:
        """No query: principal (rektor) of the unit by an active duty, or a superuser."""
        return self.is_superuser or any(d.unit_id == unit_id and d.role == StaffDuty.Role.REKTOR for d in self.duties)

    def is_own_child(self, child) -> bool:
        """No query: one of the viewer's own children (guardian), not the student themself."""
        child_id = getattr(child, "pk", child)
        return any(c.pk == child_id and c.user_id != self.user.pk for c in self.children)

    @property
    def staff_units(self) -> list[Unit]:
        seen: dict[int, Unit] = {}
        for duty in self.duties:
            seen.setdefault(duty.unit_id, duty.unit)
        return sorted(seen.values(), key=lambda u: u.name)

    @property
    def staff_unit_ids(self) -> set[int]:
        return {d.unit_id for d in self.duties}

    @property
    def family_unit_ids(self) -> set[int]:
        return {p.unit_id for c in self.children for p in c.active_placements}

    @property
    def family_group_ids(self) -> set[int]:
        return {p.group_id for c in self.children for p in c.active_placements if p.group_id}

    @property
    def may_publish_municipality_wide(self) -> bool:
        return self.is_superuser or any(d.role == StaffDuty.Role.ADMINISTRATOR for d in self.duties)

    def may_manage_unit(self, unit_id: int | None) -> bool:
        if unit_id is None:
            return self.may_publish_municipality_wide
        return self.is_superuser or unit_id in self.staff_unit_ids


# The viewer's rows, each with every column of its models, so that the instances built from
# them are the ORM's (Model.from_db): the children with their active placements and those
# placements' unit and group (one LEFT JOIN: a child without a placement is one row), and
# the duties with their unit. A FilteredRelation keeps the placement's dates in the JOIN, so
# a child without an active placement still comes.
_CHILD, _PLACEMENT, _UNIT, _GROUP = map(columns, (Child, Placement, Unit, Group))

# What another app keeps beside a unit, one row per unit at most, that every viewer needs with
# its units: {the reverse one-to-one's name on Unit: its model}, registered by the app in its
# AppConfig.ready (hub: which boxes a unit shows). Joined onto each unit in the viewer's own
# rows, so it costs no query of its own, and cached on the unit as select_related caches it
# (`unit_companion` reads it). The cached viewer holds it: a change to such a row must void the cache
# (generations.bump_everything), as a change to a unit does (roster/signals.py).
UNIT_COMPANIONS: dict[str, type] = {}


def unit_companion(unit: Unit, name: str) -> Any:
    """The companion `name` (its row, or None) of a unit that came with a viewer's rows. A
    unit that came some other way has none loaded: an error, not a query per unit."""
    relation = Unit._meta.get_field(name)
    if not relation.is_cached(unit):
        raise LookupError(f"unit {unit.pk} did not come with a viewer's rows: no {name!r} loaded")
    return relation.get_cached_value(unit)


def _companions(path: str) -> dict[str, type]:
    return {f"{path}__{name}": model for name, model in UNIT_COMPANIONS.items()}


def _children_placed_query(children, on):
    placed = FilteredRelation("placements", condition=active_q("placements__", on=on))
    related = {"placed": Placement, "placed__unit": Unit, "placed__group": Group, **_companions("placed__unit")}
    return (
        Child.objects.filter(id__in=children)
        .annotate(placed=placed)
        .order_by("date_of_birth", "given_name", "id", "-placed__unit__kind", "placed__id")
        .values_list(*related_columns(Child, related))
    )


def _own_children_query(user_id, on):
    return _children_placed_query(_own_ids(user_id, on), on)


def _duties_query(user_id, on):
    return (
        StaffDuty.objects.filter(active_q(on=on), user_id=user_id)
        .order_by("id")
        .values_list(*related_columns(StaffDuty, {"unit": Unit, **_companions("unit")}))
    )


_OWN_CHILDREN = Statement(_own_children_query)
_CHILDREN_PLACED = Statement(_children_placed_query)
_DUTIES = Statement(_duties_query)
_P_AT, _U_AT = len(_CHILD), len(_CHILD) + len(_PLACEMENT)
_G_AT = _U_AT + len(_UNIT)


def viewer_build(user, on=None, rows: tuple[list, list] | None = None) -> Viewer:
    """Two queries: own children with their active placements (with unit and group), duties
    (with unit). Instances as `select_related` would give them. `rows`: those two queries'
    rows, loaded already (`viewer_rows`)."""
    if not getattr(user, "is_authenticated", False):
        return Viewer(user=user)
    on = on or timezone.localdate()
    alias = router.db_for_read(Child)
    child_rows, duty_rows = rows if rows is not None else viewer_rows(user.pk, on)
    children = _children_from_rows(child_rows, alias)
    duties = with_related(StaffDuty, {"unit": Unit, **_companions("unit")}, duty_rows, alias)
    return Viewer(user=user, children=children, duties=duties)


def viewer_rows(user_id: int, on) -> tuple[list, list]:
    """The rows `viewer_build` builds a viewer from: the person's own children with their
    placements, and their duties. Neither needs the other's rows: asked together, one round
    trip on PostgreSQL (with whatever else is asked beside them, see config.statements)."""
    child_rows, duty_rows = together(
        [lambda: _OWN_CHILDREN(user_id=user_id, on=on), lambda: _DUTIES(user_id=user_id, on=on)]
    )
    return child_rows, duty_rows


def _viewer_versions(user_id: int) -> list[str]:
    return [generations.EPOCH, generations.user_key(user_id)]


def _viewer_stamp(user_id: int, found: dict) -> tuple | None:
    """The tokens a viewer is cached under, from what a cache read found (None: not all read)."""
    versions = _viewer_versions(user_id)
    return tuple(found[k] for k in versions) if all(k in found for k in versions) else None


def viewer_is_cached(user_id: int, on, found: dict) -> bool:
    """Whether `found` (what one cache read found, generations' tokens included) holds this
    person's viewer for `on` as current. viewer_cached asks, and so does the login backend,
    to load the viewer's rows with the user's own when it is not (accounts.backends)."""
    entry = found.get(generations.viewer_key(user_id, on))
    return entry is not None and entry[0] == _viewer_stamp(user_id, found)


def _children_from_rows(rows, alias: str) -> list[Child]:
    children: dict[int, Child] = {}
    # Each unit's companions stand after the group's columns, in UNIT_COMPANIONS' order.
    companions, at = [], _G_AT + len(_GROUP)
    for name, model in UNIT_COMPANIONS.items():
        names = columns(model)
        companions.append((Unit._meta.get_field(name), model, names, at))
        at += len(names)
    for row in rows:
        child = children.get(row[0])
        if child is None:
            child = children[row[0]] = instance(Child, _CHILD, row, 0, alias)
            child.active_placements = []
        placement = instance(Placement, _PLACEMENT, row, _P_AT, alias)
        if placement is not None:
            unit = instance(Unit, _UNIT, row, _U_AT, alias)
            for relation, model, names, start in companions:
                relation.set_cached_value(unit, instance(model, names, row, start, alias))
            Placement.unit.field.set_cached_value(placement, unit)
            Placement.group.field.set_cached_value(placement, instance(Group, _GROUP, row, _G_AT, alias))
            child.active_placements.append(placement)
    return list(children.values())


def children_with_placements(child_ids, on=None) -> list[Child]:
    """These children as a viewer holds them (`active_placements` on `on`, with unit and group):
    one query. For work done ahead of a family's request (hub.tasks.warm_family_boxes), which
    must key its cache entries exactly as the family's own viewer will."""
    on = on or timezone.localdate()
    return _children_from_rows(_CHILDREN_PLACED(children=sorted(child_ids), on=on), router.db_for_read(Child))


def viewer_cached(user, *, read_ahead: Iterable[str] = (), prefetched: generations.Prefetched | None = None) -> Viewer:
    """The viewer from the cache (one round trip, no query) while nothing it shows has
    changed; otherwise built (2 queries) and stored. The generations are read before the
    rows, so a change that commits while we build is never cached as current. `read_ahead`:
    more keys to read in the same round trip (the page's generations and slot, see
    config.generations.remember), kept on the viewer as `prefetched`. `prefetched`: what the
    login backend already read in its round trip with the user's row (accounts.backends):
    no round trip here when it holds the viewer's keys and `read_ahead`."""
    if not getattr(user, "is_authenticated", False):
        return Viewer(user=user)
    on = timezone.localdate()
    key = generations.viewer_key(user.pk, on)
    versions = _viewer_versions(user.pk)
    read_ahead = [k for k in read_ahead if k not in versions and k != key]
    # The rows the login backend loaded with the user's own (this viewer was not cached
    # then), while nothing was bumped since.
    rows = prefetched.loaded.get(("viewer", user.pk, on)) if prefetched is not None and prefetched.current else None
    read = generations.read(versions, extra=[key, *read_ahead], prefetched=prefetched)
    if read is None:
        return viewer_build(user, on=on)
    tokens, found = read
    prefetched = generations.Prefetched(asked=[*versions, key, *read_ahead], found={**found, **tokens})
    if viewer_is_cached(user.pk, on, prefetched.found):
        children, duties = pickle.loads(found[key][1])  # noqa: S301 - our own cache entry
        return Viewer(user=user, children=children, duties=duties, prefetched=prefetched)
    stamp = _viewer_stamp(user.pk, prefetched.found)
    from config.replica import primary

    with primary():  # cached under these generations: never from a lagging replica
        viewer = viewer_build(user, on=on, rows=rows)
    # The instances pickled on their own, inside the entry: an entry read ahead with the
    # user's row (accounts.backends) whose stamp is no longer current (a change, a new day's
    # first request) is then not unpickled instance by instance only to be thrown away.
    generations.set_many({key: (stamp, pickle.dumps((viewer.children, viewer.duties), pickle.HIGHEST_PROTOCOL))})
    viewer.prefetched = prefetched
    return viewer


def viewer_invalidate(*, user_ids=(), child_ids=(), using=None) -> None:
    """Bump the viewers of these users and of everyone who sees these children as their own
    (active guardians, the child as a student): one query when child ids are given."""
    user_ids = set(user_ids)
    if child_ids:
        child_ids = set(child_ids)
        user_ids |= set(
            Guardianship.objects.using(using).filter(child_id__in=child_ids).values_list("guardian_id", flat=True)
        )
        user_ids |= {
            uid for uid in Child.objects.using(using).filter(pk__in=child_ids).values_list("user_id", flat=True) if uid
        }
    generations.bump_keys([generations.user_key(uid) for uid in user_ids], using=using)


def page_scope(request) -> tuple:
    """What the keys a page read are remembered under (config.generations.remember): the
    person and the path, so the next request for that path reads them with the viewer (and,
    logged in through accounts.middleware, with the user's row)."""
    return generations.page_scope(request.user.pk, request.get_full_path())


def viewer_for(request) -> Viewer:
    """The viewer for this request, computed once per request (see viewer_cached). No cache
    round trip of its own when the login backend read the viewer's keys with the user's row
    (accounts.middleware.AuthenticationMiddleware puts that read on the request)."""
    viewer = getattr(request, "_skolhubb_viewer", None)
    if viewer is None or viewer.user is not request.user:
        user = request.user
        authenticated = getattr(user, "is_authenticated", False)  # resolves the lazy user first
        read_ahead = generations.remembered(page_scope(request)) if authenticated else ()
        prefetched = getattr(request, "_skolhubb_prefetched", None) if authenticated else None
        viewer = viewer_cached(user, read_ahead=read_ahead, prefetched=prefetched)
        request._skolhubb_viewer = viewer
    return viewer


__all__ = [
    "Group",
    "Viewer",
    "children_listable_to",
    "children_visible_to",
    "is_own_child",
    "is_principal_of",
    "is_staff_or_superuser",
    "own_child_ids",
    "own_child_ids_q",
    "placements_overlapping",
    "principal_unit_ids_q",
    "may_manage_unit_content",
    "may_see_child",
    "may_see_sensitive",
    "viewer_build",
    "viewer_cached",
    "viewer_for",
    "viewer_invalidate",
    "viewer_is_cached",
    "viewer_rows",
]
