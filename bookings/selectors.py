"""Reads for development-talk bookings. Each function states its query count."""

from __future__ import annotations

from collections import namedtuple

from django.db.models import Q
from django.utils import timezone

from bookings.models import Booking, Round, Slot
from config.statements import Statement


def rounds_for_groups(*, group_ids, now=None) -> list[Round]:
    """One query: rounds of these groups whose slots are not all past."""
    now = now or timezone.now()
    return list(
        Round.objects.filter(group_id__in=list(group_ids), slots__starts_at__gte=now)
        .select_related("group")
        .distinct()
        .order_by("deadline", "pk")
    )


def slots_for_rounds(*, round_ids, now=None) -> list[Slot]:
    """One query: the coming slots of these rounds, with their booking (if any)."""
    now = now or timezone.now()
    return list(
        Slot.objects.filter(round_id__in=list(round_ids), starts_at__gte=now)
        .select_related("booking__child")
        .order_by("starts_at", "pk")
    )


def bookings_for_children(*, child_ids, start=None, end=None) -> list[Booking]:
    """One query: the children's bookings (slot and round with group loaded)."""
    rows = Booking.objects.filter(child_id__in=list(child_ids)).select_related("slot", "round__group", "child")
    if start is not None:
        rows = rows.filter(slot__starts_at__gte=start)
    if end is not None:
        rows = rows.filter(slot__starts_at__lt=end)
    return list(rows.order_by("slot__starts_at"))


_SLOT_COLUMNS = (
    "id",
    "starts_at",
    "booking__child_id",
    "round__group_id",
    "round_id",
    "round__title",
    "round__deadline",
    "minutes",
    "place",
    "video_url",
)
_SlotRow = namedtuple("_SlotRow", _SLOT_COLUMNS)


def _coming_slots(*, group_ids: list[int], child_ids: list[int], now):
    free = Slot.objects.filter(
        round__group_id__in=group_ids, starts_at__gte=now, round__deadline__gt=now, booking__isnull=True
    )
    booked = Slot.objects.filter(booking__child_id__in=child_ids, starts_at__gte=now)
    return (
        free.order_by()
        .values_list(*_SLOT_COLUMNS)
        .union(booked.order_by().values_list(*_SLOT_COLUMNS), all=True)
        .order_by("starts_at", "id")
    )


_COMING_SLOTS = Statement(_coming_slots)


def box_for_children(*, children) -> dict[int, dict]:
    """One query for all children: the coming slots that concern them, in time order, each
    with the child it is booked for (a left join on the booking): the free slots of their
    groups' rounds still open for booking, and the slots booked for one of them (any round).
    The two are read as one UNION ALL, so each half keeps its own index (the groups' rounds,
    the children's bookings) instead of one scan of every coming slot. Plain data (the Hub
    caches it)."""
    now = timezone.now()
    groups_by_child = {c.pk: {p.group_id for p in c.active_placements if p.group_id} for c in children}
    all_groups = set().union(*groups_by_child.values()) if groups_by_child else set()
    if not all_groups:
        return {}
    rows = [
        _SlotRow(*row)
        for row in _COMING_SLOTS(group_ids=sorted(all_groups), child_ids=sorted(groups_by_child), now=now)
    ]
    result = {}
    for child in children:
        groups = groups_by_child[child.pk]
        mine = [r for r in rows if r.booking__child_id == child.pk]
        rounds = {}
        for row in rows:
            if row.booking__child_id is None and row.round__group_id in groups:
                entry = rounds.setdefault(
                    row.round_id, {"title": row.round__title, "deadline": row.round__deadline, "open": 0}
                )
                entry["open"] += 1
        booked_titles = {r.round__title for r in mine}
        bookable = [r for r in rounds.values() if r["title"] not in booked_titles]
        if not mine and not bookable:
            continue
        result[child.pk] = {
            "child_id": child.pk,
            "bookings": [
                {
                    "starts_at": r.starts_at,
                    "minutes": r.minutes,
                    "place": r.place,
                    "video_url": r.video_url,
                    "title": r.round__title,
                }
                for r in mine
            ],
            "bookable": sorted(bookable, key=lambda r: r["deadline"]),
        }
    return result


def rounds_managed_by(*, user) -> list[Round]:
    """One query: rounds in groups where the user works with the children (or started)."""
    from roster.models import GroupStaff, active_q

    groups = GroupStaff.objects.filter(active_q(), user=user).values("group_id")
    return list(
        Round.objects.filter(Q(group_id__in=groups) | Q(created_by=user))
        .select_related("group")
        .order_by("-deadline")[:50]
    )


__all__ = ["Q", "bookings_for_children", "box_for_children", "rounds_for_groups", "slots_for_rounds"]
