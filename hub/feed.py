"""The family iCal feed: one secret URL per guardian with every child's calendar.

Apps contribute events the way they contribute Hub boxes: each app may have a
`calendar_feed.py` with

    def feed_events(*, children: list[FeedChild], start: date, end: date) -> list[FeedEvent]

(found through config.plugins.app_modules, in INSTALLED_APPS order). A contribution runs a
fixed number of queries for all children at once, so the feed costs the same for one child
or five. The feed prefixes each event with the child's name, gives it a UID that is stable
across refreshes (calendars update instead of duplicating), and carries a VTIMEZONE for
Europe/Stockholm. The same helpers build the `.ics` attachments of other apps' e-mails.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PRODID = "-//Skolhubb//Familjekalender//SV"
UID_DOMAIN = "skolhubb"
# Stable DTSTAMP for computed events (lessons, care times) so an unchanged feed hashes the same.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
DAYS_BACK = 14
DAYS_AHEAD = 120


@dataclass(frozen=True)
class FeedChild:
    id: int
    name: str  # given name, the prefix in the calendar
    unit_ids: frozenset[int]
    group_ids: frozenset[int]
    care_unit_ids: frozenset[int] = frozenset()


@dataclass
class FeedEvent:
    uid: str  # stable: "<app>-<kind>-<ids>"; the child is added by the feed
    child_id: int
    summary: str
    start: date | datetime
    end: date | datetime | None = None  # date: exclusive end for all-day events
    description: str = ""
    location: str = ""
    url: str = ""
    stamp: datetime | None = None  # last change of the source row
    categories: list[str] = field(default_factory=list)


def contributors() -> list:
    from config.plugins import app_modules

    return [m.feed_events for m in app_modules("calendar_feed") if hasattr(m, "feed_events")]


def feed_children(viewer) -> list[FeedChild]:
    """No query: the viewer's own children with their loaded active placements."""
    result = []
    for child in viewer.children:
        if child.user_id == viewer.user.pk:
            continue  # a student's own record: the feed is for guardians
        placements = child.active_placements
        result.append(
            FeedChild(
                id=child.pk,
                name=child.given_name,
                unit_ids=frozenset(p.unit_id for p in placements),
                group_ids=frozenset(p.group_id for p in placements if p.group_id),
                care_unit_ids=frozenset(p.unit_id for p in placements if p.unit.kind in ("forskola", "fritidshem")),
            )
        )
    return result


def _vevent(event: FeedEvent, child_name: str) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.uid}-c{event.child_id}@{UID_DOMAIN}")
    vevent.add("dtstamp", (event.stamp or EPOCH).astimezone(UTC))
    vevent.add("summary", f"{child_name}: {event.summary}")
    start, end = event.start, event.end
    if isinstance(start, datetime):
        vevent.add("dtstart", start.astimezone(STOCKHOLM))
        vevent.add("dtend", (end or start + timedelta(hours=1)).astimezone(STOCKHOLM))
    else:
        vevent.add("dtstart", start)
        vevent.add("dtend", end or start + timedelta(days=1))
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.categories:
        vevent.add("categories", event.categories)
    return vevent


def calendar_new(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Stockholm")
    return cal


def calendar_finish(cal: icalendar.Calendar, *, first: date, last: date) -> bytes:
    """Add the VTIMEZONE (transitions covering the range) and serialise."""
    tz = icalendar.Timezone.from_tzid(
        "Europe/Stockholm", first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
    )
    cal.subcomponents.insert(0, tz)
    return cal.to_ical()


def ics_for_events(*, name: str, events: list[tuple[FeedEvent, str]]) -> bytes:
    """A calendar of (event, child name) pairs: the feed and the e-mail attachments."""
    cal = calendar_new(name)
    days = []
    for event, child_name in sorted(events, key=lambda pair: (_sort_key(pair[0].start), pair[0].uid, pair[0].child_id)):
        cal.add_component(_vevent(event, child_name))
        days.append(event.start.date() if isinstance(event.start, datetime) else event.start)
    today = timezone.localdate()
    return calendar_finish(cal, first=min(days, default=today), last=max(days, default=today))


def _sort_key(value) -> tuple:
    if isinstance(value, datetime):
        local = value.astimezone(STOCKHOLM)
        return (local.date(), local.time().isoformat())
    return (value, "")


def family_feed(*, viewer, today: date | None = None) -> bytes:
    """The whole feed for a guardian: every contribution for every child, DAYS_BACK days
    back and DAYS_AHEAD ahead."""
    today = today or timezone.localdate()
    children = feed_children(viewer)
    start, end = today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD)
    names = {c.id: c.name for c in children}
    events = []
    if children:
        for contribute in contributors():
            for event in contribute(children=children, start=start, end=end):
                if event.child_id in names:
                    events.append((event, names[event.child_id]))
    return ics_for_events(name=f"Skolhubb – {', '.join(names.values()) or 'familjen'}", events=events)


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


# --- The secret address ------------------------------------------------------------------


def feed_token_for(*, user):
    from hub.models import FeedToken

    return FeedToken.objects.filter(user=user).first()


@transaction.atomic
def feed_token_regenerate(*, user):
    """A new secret address; the old one stops working at once."""
    from hub.models import FeedToken

    FeedToken.objects.filter(user=user).delete()
    return FeedToken.objects.create(user=user, token=secrets.token_urlsafe(32))


def feed_token_revoke(*, user) -> None:
    from hub.models import FeedToken

    FeedToken.objects.filter(user=user).delete()


def feed_urls(token: str) -> tuple[str, str]:
    """(https URL, webcal URL) of a token."""
    from django.urls import reverse

    https = settings.SKOLHUBB_SITE_URL.rstrip("/") + reverse("hub:feed-ics", args=[token])
    return https, "webcal://" + https.split("://", 1)[1]
