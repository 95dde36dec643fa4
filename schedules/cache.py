"""The care pages' cache: the content of the care weeks, the day list, the planning chart
and the check-in tablet, kept under the generations of what they show.

These pages carry forms, so their HTML differs per request only in the CSRF token (and the
check-in's htmx target, the request's own path). The content is rendered once with
stand-ins for both, kept in the cache under a stamp of every generation it was built from
(config/generations.py), and each request puts its own token and path in, as the page frame
does (config/frame.py). Served only while the stamp is current; rebuilt otherwise.

What bumps what (hub.cache.bump and roster's signals unless named here):
- a child's schedule, day entries, comments and absence reports (through the services):
  the child's generation and its units' staff views (`gen.unit_staff_key`);
- a placement (any write, also the admin and the SS 12000 import): the child and the unit;
- a closed day (the service): the unit; holidays, lov and everything else edited in the
  admin: the epoch (hub.apps: every admin edit voids every cached entry);
- staff reading the guardians' comments: the unit;
- a check-in or check-out (`attendance_changed`, below): the child's and its units' care
  generations, which only these pages read, so a tap voids no Hub;
- a child's own row (a name; `child_changed`, below): its units' staff views.

Not followed: a change to a past day of a child whose placement in the unit ended more than
a day ago (hub.cache.bump bumps the units of placements current since yesterday): a unit page
of that past day can show the old state until the unit's next change or the next day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.utils import timezone, translation

from config import generations as gen
from config.frame import personalise


def care_child_key(child_id: int) -> str:
    """What only the care pages show about a child: its check-in and check-out."""
    return f"gen:care:child:{child_id}"


def care_unit_key(unit_id: int) -> str:
    """What only the unit's day list and check-in show: its children's check-ins."""
    return f"gen:care:unit:{unit_id}"


def attendance_changed(*, child_id: int, unit_ids: Iterable[int]) -> None:
    gen.bump_keys([care_child_key(child_id), *(care_unit_key(u) for u in unit_ids)])


def child_changed(sender, instance, using, **kwargs) -> None:
    """A child's own row changed (name, protected identity): the staff views of every unit
    it is placed in, whatever the dates, show it. One query. roster's own receiver bumps the
    child (and its viewers); a new child is in no unit yet (its placement bumps the unit)."""
    if kwargs.get("created"):
        return
    from roster.models import Placement

    unit_ids = set(Placement.objects.using(using).filter(child_id=instance.pk).values_list("unit_id", flat=True))
    gen.bump_keys([gen.unit_staff_key(u) for u in unit_ids], using=using)


def child_page_keys(*, child_id: int, unit_ids: Iterable[int]) -> list[str]:
    """One child's care weeks: the child (schedule, entries, comments, absence, placements),
    its check-ins, and its units (closed days; staff marking comments read)."""
    from hub.registry import CHILD_TOPICS  # every kind of the child's data, absence included

    topics = [gen.child_key(child_id, topic) for topic in CHILD_TOPICS]
    return [gen.child_key(child_id), *topics, care_child_key(child_id), *(gen.unit_key(u) for u in unit_ids)]


def unit_page_keys(*, unit_id: int, with_attendance: bool) -> list[str]:
    """A unit's staff pages: the unit (placements, closed days), its staff views (every
    change to one of its children), and for the day list and check-in its check-ins."""
    keys = [gen.unit_key(unit_id), gen.unit_staff_key(unit_id)]
    if with_attendance:
        keys.append(care_unit_key(unit_id))
    return keys


def care_placements(*, child_id: int, load: Callable[[int], list]) -> list:
    """`load(child_id)` (the child's care placements not ended), cached for the day under
    the child's generation, which every placement write bumps (roster's signals); unit and
    group edits and the units' opening hours (admin) bump the epoch. One cache round trip."""
    key = f"care:placements:{child_id}"
    stamp, placements = gen.read_stamped([gen.EPOCH, gen.child_key(child_id)], key)
    if placements is not None:
        return placements
    from config.replica import primary

    with primary():
        placements = load(child_id)
    gen.store_stamped(key, stamp, placements)
    return placements


def _digest(parts: Iterable[str]) -> str:
    return hashlib.blake2b("|".join(parts).encode(), digest_size=10).hexdigest()


def cached_content(
    *, request, name: str, scope: str, keys: list[str], build: Callable[[], tuple[str, float | None]]
) -> str:
    """The page's content, from the cache while every generation in `keys` (plus the epoch
    and the municipality) is the one it was built from. Warm: one cache round trip, no query
    (none of its own once the path was opened before: read with the viewer's).

    `scope` says whose page it is (the unit, or the child and the viewer's mode); the slot is
    that plus the request's path and query, so a page is shared by everyone who may see it
    in that way. `build()` returns (html, valid_until timestamp or None); it must render with
    `config.frame.CSRF_STANDIN` for the token and `PATH_STANDIN` for the request's path and use nothing
    else of the request or the person. It reads from the primary: what it returns is cached
    under generations the primary's commits bump."""
    from config.replica import primary

    language = translation.get_language() or "sv"
    slot = f"care:page:{name}:{scope}:{_digest([request.get_full_path(), language])}"
    from roster.policy import page_scope, viewer_for

    stamp, entry = gen.read_stamped(
        [gen.EPOCH, gen.MUNICIPALITY, *keys],
        slot,
        [language],
        prefetched=viewer_for(request).prefetched,
        remember_as=page_scope(request),
    )
    html = None
    if entry is not None:
        until, stored_html = entry
        if until is None or timezone.now().timestamp() < until:
            html = stored_html
    if html is None:
        with primary():
            html, until = build()
        gen.store_stamped(slot, stamp, (until, html))
    return personalise(request, html)
