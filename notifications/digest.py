"""The evening digest: one e-mail per guardian (opt-in, at the time they chose, default
18:00) with tomorrow for each child. Empty days send nothing.

The digest knows no app. Each app may have a `digest.py` with

    def digest_items(*, children: list[DigestChild], day: date) -> list[DigestItem]

(found through config.plugins.app_modules, in INSTALLED_APPS order), running a fixed
number of queries for all children at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from notifications.models import NotificationSettings


@dataclass(frozen=True)
class DigestChild:
    id: int
    name: str
    unit_ids: frozenset[int]
    group_ids: frozenset[int]
    care_unit_ids: frozenset[int] = frozenset()
    school_group_ids: frozenset[int] = frozenset()


@dataclass
class DigestItem:
    child_id: int
    section: str  # "Schema", "Omsorg", "Ta med", ...
    text: str
    at: time | None = None  # sorts the child's day
    order: int = 50  # sections in a fixed order


@dataclass
class ChildDay:
    child: DigestChild
    items: list[DigestItem] = field(default_factory=list)


def contributors() -> list:
    from config.plugins import app_modules

    return [m.digest_items for m in app_modules("digest") if hasattr(m, "digest_items")]


def digest_children(viewer) -> list[DigestChild]:
    """No query: the guardian's children with their loaded active placements."""
    result = []
    for child in viewer.children:
        if child.user_id == viewer.user.pk:
            continue
        placements = child.active_placements
        result.append(
            DigestChild(
                id=child.pk,
                name=child.given_name,
                unit_ids=frozenset(p.unit_id for p in placements),
                group_ids=frozenset(p.group_id for p in placements if p.group_id),
                care_unit_ids=frozenset(p.unit_id for p in placements if p.unit.kind in ("forskola", "fritidshem")),
                school_group_ids=frozenset(
                    p.group_id for p in placements if p.group_id and p.unit.kind == "grundskola"
                ),
            )
        )
    return result


def digest_build(*, viewer, day: date) -> list[ChildDay]:
    """Tomorrow (`day`) per child, only children with something on it."""
    children = digest_children(viewer)
    if not children:
        return []
    days = {c.id: ChildDay(child=c) for c in children}
    for contribute in contributors():
        for item in contribute(children=children, day=day):
            if item.child_id in days:
                days[item.child_id].items.append(item)
    for child_day in days.values():
        child_day.items.sort(key=lambda i: (i.order, i.at or time(0), i.text))
    return [d for d in days.values() if d.items]


def digest_send(*, user, day: date) -> bool:
    """Store the digest e-mail for `day` in the outbox (once per person and day). False for
    an empty day."""
    from notifications.services import outbox_email_enqueue
    from roster.policy import viewer_build

    viewer = viewer_build(user)
    content = digest_build(viewer=viewer, day=day)
    if not content or not user.email:
        return False
    site = settings.SKOLHUBB_SITE_URL.rstrip("/")
    message = outbox_email_enqueue(
        template="notifications/emails/digest",
        context={
            "user": user,
            "day": day,
            "day_label": date_format(day, "l j F"),
            "children": content,
            "hub_url": site + reverse("hub:dashboard"),
            "settings_url": site + reverse("notifications:settings"),
        },
        to=[user.email],
        dedupe_key=f"digest:{user.pk}:{day.isoformat()}",
    )
    return message is not None


def digest_send_due(*, now: datetime | None = None) -> int:
    """The beat task's work: everyone who opted in and whose chosen time has come today
    gets tomorrow's digest (once). Returns the number of e-mails stored."""
    now = timezone.localtime(now)
    tomorrow = now.date() + timedelta(days=1)
    sent = 0
    due = list(
        NotificationSettings.objects.filter(digest_enabled=True, digest_time__lte=now.time(), user__is_active=True)
        .exclude(digest_last_date=tomorrow)
        .select_related("user")
        .order_by("user_id")[:5000]
    )
    for prefs in due:
        with transaction.atomic():
            sent += digest_send(user=prefs.user, day=tomorrow)
            NotificationSettings.objects.filter(pk=prefs.pk).update(digest_last_date=tomorrow)
    return sent
