"""Writes for development talks. Booking locks the slot row (select_for_update) and the
database refuses a second booking of a slot or a second slot for a child in a round, so
two guardians pressing "Boka" at once never both get the same time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from bookings.ics import booking_ics
from bookings.models import Booking, Round, Slot
from notifications.changes import moved_text
from notifications.services import notify, outbox_email_enqueue
from roster.models import Child, Group, GroupStaff, Guardianship, Placement, StaffDuty, active_q
from roster.policy import Viewer

MAX_SLOTS = 60


def _bump(**kwargs) -> None:
    """Tell the Hub's box cache (when the platform has one) that the box data changed."""
    try:
        from hub.cache import bump
    except ImportError:
        return
    bump(**kwargs)


def may_manage_group(viewer: Viewer, group: Group) -> bool:
    if viewer.is_superuser:
        return True
    if GroupStaff.objects.filter(active_q(), user=viewer.user, group=group).exists():
        return True
    return StaffDuty.objects.filter(
        active_q(), user=viewer.user, unit_id=group.unit_id, role=StaffDuty.Role.REKTOR
    ).exists()


def _guardians(child_ids) -> dict[int, list[User]]:
    result: dict[int, list[User]] = {}
    for g in Guardianship.objects.filter(
        active_q(), child_id__in=list(child_ids), guardian__is_active=True
    ).select_related("guardian"):
        result.setdefault(g.child_id, []).append(g.guardian)
    return result


def _when(slot: Slot) -> str:
    local = timezone.localtime(slot.starts_at)
    return f"{date_format(local.date(), 'l j F')} {local:%H:%M}"


@transaction.atomic
def round_publish(
    *,
    viewer: Viewer,
    group_id: int,
    title: str,
    day: date,
    first_start: time,
    last_end: time,
    minutes: int,
    place: str = "",
    video_url: str = "",
    deadline: datetime,
) -> Round:
    """Publish a day of back-to-back slots for a group's families."""
    group = Group.objects.select_related("unit").filter(pk=group_id).first()
    if group is None or not may_manage_group(viewer, group):
        raise PermissionDenied(_("Du kan bara publicera tider för grupper där du arbetar."))
    title = (title or "").strip() or _("Utvecklingssamtal")
    place, video_url = (place or "").strip(), (video_url or "").strip()
    errors = {}
    if day < timezone.localdate():
        errors["day"] = _("Dagen har redan varit.")
    if not 10 <= minutes <= 120:
        errors["minutes"] = _("Ett samtal är 10–120 minuter.")
    if first_start >= last_end:
        errors["last_end"] = _("Sluttiden måste vara efter starttiden.")
    if not place and not video_url:
        errors["place"] = _("Ange en plats eller en videolänk.")
    if video_url:
        try:
            URLValidator(schemes=["https"])(video_url)
        except ValidationError:
            errors["video_url"] = _("Videolänken måste börja med https://.")
    if errors:
        raise ValidationError(errors)
    start = timezone.make_aware(datetime.combine(day, first_start))
    end = timezone.make_aware(datetime.combine(day, last_end))
    starts = []
    current = start
    while current + timedelta(minutes=minutes) <= end:
        starts.append(current)
        current += timedelta(minutes=minutes)
    if not starts:
        raise ValidationError({"last_end": _("Det ryms inget samtal mellan tiderna.")})
    if len(starts) > MAX_SLOTS:
        raise ValidationError({"last_end": _("Högst %(n)d tider åt gången.") % {"n": MAX_SLOTS}})
    if deadline > starts[0]:
        raise ValidationError({"deadline": _("Sista dag att boka måste vara före första samtalet.")})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("Sista dag att boka har redan varit.")})
    talk_round = Round.objects.filter(group=group, title=title).first()
    if talk_round is None:
        talk_round = Round.objects.create(group=group, title=title, deadline=deadline, created_by=viewer.user)
    else:
        talk_round.deadline = min(talk_round.deadline, deadline)
        talk_round.save(update_fields=["deadline", "updated_at"])
    Slot.objects.bulk_create(
        Slot(round=talk_round, starts_at=s, minutes=minutes, place=place, video_url=video_url) for s in starts
    )
    child_ids = list(Placement.objects.filter(active_q(), group=group).values_list("child_id", flat=True))
    families = {g.pk: g for gs in _guardians(child_ids).values() for g in gs}
    notify(
        recipients=list(families.values()),
        kind="bookings.published",
        title=_("Boka tid: %(title)s (%(group)s)") % {"title": title, "group": group.name},
        url=reverse("bookings:overview"),
        source=talk_round,
    )
    _bump(group_ids=[group.pk])
    return talk_round


def _guardian_child(viewer: Viewer, child_id: int) -> Child:
    child = next((c for c in viewer.children if c.pk == child_id and c.user_id != viewer.user.pk), None)
    if child is None:
        raise ValidationError({"child": _("Välj ett av dina barn.")})
    return child


def _tell(*, booking: Booking, headline: str, actor, template_kind: str, with_ics: bool = True) -> None:
    """Both guardians and the mentor get a notification; the guardians an e-mail, with the
    talk as an .ics file when it still takes place."""
    guardians = _guardians([booking.child_id]).get(booking.child_id, [])
    staff = [booking.round.created_by] if booking.round.created_by_id else []
    notify(
        recipients=[u for u in guardians + staff if u.pk != actor.pk],
        kind="bookings.booking",
        title=headline,
        url=reverse("bookings:overview") if guardians else "",
        child=booking.child,
        source=booking.round,
    )
    attachments = (
        [{"name": "utvecklingssamtal.ics", "content": booking_ics(booking), "mimetype": "text/calendar"}]
        if with_ics
        else []
    )
    outbox_email_enqueue(
        template="bookings/emails/booking",
        context={
            "headline": headline,
            "child": booking.child,
            "title": booking.round.title,
            "when": _when(booking.slot),
            "minutes": booking.slot.minutes,
            "place": booking.slot.place,
            "video_url": booking.slot.video_url,
            "kind": template_kind,
        },
        to=[g.email for g in guardians],
        attachments=attachments,
    )


@transaction.atomic
def booking_book(*, viewer: Viewer, slot_id: int, child_id: int) -> Booking:
    """Book a slot for a child, or move the child's booking in that round to this slot."""
    child = _guardian_child(viewer, child_id)
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("round__group", "round__created_by")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise ValidationError({"slot": _("Tiden finns inte längre.")})
    talk_round = slot.round
    now = timezone.now()
    if not Placement.objects.filter(active_q(), child=child, group_id=talk_round.group_id).exists():
        raise ValidationError({"slot": _("Tiden gäller en annan grupp än barnets.")})
    if now >= talk_round.deadline:
        raise ValidationError({"slot": _("Sista dag att boka har passerat. Kontakta mentorn.")})
    if slot.starts_at <= now:
        raise ValidationError({"slot": _("Tiden har redan varit.")})
    if Booking.objects.filter(slot=slot).exists():
        raise ValidationError({"slot": _("Tiden är redan bokad. Välj en annan.")})
    existing = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot")
        .filter(round=talk_round, child=child)
        .first()
    )
    try:
        with transaction.atomic():
            if existing is not None:
                old_slot = existing.slot
                existing.slot = slot
                existing.booked_by = viewer.user
                existing.reminder_sent_at = None
                existing.save(update_fields=["slot", "booked_by", "reminder_sent_at", "updated_at"])
                booking = existing
            else:
                booking = Booking.objects.create(slot=slot, round=talk_round, child=child, booked_by=viewer.user)
    except IntegrityError as exc:
        raise ValidationError({"slot": _("Tiden är redan bokad. Välj en annan.")}) from exc
    booking.child = child
    booking.slot = slot
    booking.round = talk_round
    if existing is not None:
        headline = moved_text(
            what=_("Utvecklingssamtalet för %(child)s") % {"child": child.given_name},
            old=old_slot.starts_at,
            new=slot.starts_at,
        )
        _tell(booking=booking, headline=headline, actor=viewer.user, template_kind="moved")
    else:
        headline = _("Utvecklingssamtal bokat för %(child)s: %(when)s") % {
            "child": child.given_name,
            "when": _when(slot),
        }
        _tell(booking=booking, headline=headline, actor=viewer.user, template_kind="booked")
    # The group's other families see one free time fewer in their box.
    _bump(child_ids=[child.pk], group_ids=[slot.round.group_id])
    return booking


@transaction.atomic
def booking_cancel(*, viewer: Viewer, booking_id: int) -> None:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "round__created_by", "child")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise ValidationError({"booking": _("Bokningen finns inte.")})
    _guardian_child(viewer, booking.child_id)
    if timezone.now() >= booking.round.deadline:
        raise ValidationError({"booking": _("Sista dag att avboka har passerat. Kontakta mentorn.")})
    headline = _("Utvecklingssamtalet för %(child)s %(when)s är avbokat") % {
        "child": booking.child.given_name,
        "when": _when(booking.slot),
    }
    _tell(booking=booking, headline=headline, actor=viewer.user, template_kind="cancelled", with_ics=False)
    child_id, group_id = booking.child_id, booking.round.group_id
    booking.delete()
    _bump(child_ids=[child_id], group_ids=[group_id])


@transaction.atomic
def slot_move(*, viewer: Viewer, slot_id: int, starts_at: datetime) -> Slot:
    """The mentor moves a slot; a family that booked it is told what changed."""
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("round__group", "round__created_by")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None or not may_manage_group(viewer, slot.round.group):
        raise PermissionDenied
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Välj en tid framåt.")})
    old = slot.starts_at
    slot.starts_at = starts_at
    slot.save(update_fields=["starts_at", "updated_at"])
    booking = Booking.objects.select_related("child", "round__created_by").filter(slot=slot).first()
    if booking is not None:
        booking.slot = slot
        headline = moved_text(
            what=_("Utvecklingssamtalet för %(child)s") % {"child": booking.child.given_name}, old=old, new=starts_at
        )
        Booking.objects.filter(pk=booking.pk).update(reminder_sent_at=None, updated_at=timezone.now())
        _tell(booking=booking, headline=headline, actor=viewer.user, template_kind="moved")
        _bump(child_ids=[booking.child_id])
    _bump(group_ids=[slot.round.group_id])
    return slot


def reminders_send(*, now: datetime | None = None) -> int:
    """The day before: a reminder with the .ics to the guardians (once per booking)."""
    now = timezone.localtime(now)
    tomorrow = now.date() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    end = start + timedelta(days=1)
    sent = 0
    due = list(
        Booking.objects.filter(slot__starts_at__gte=start, slot__starts_at__lt=end, reminder_sent_at__isnull=True)
        .select_related("slot", "round__created_by", "child")
        .order_by("pk")
    )
    for booking in due:
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if not claimed:
                continue
            headline = _("Påminnelse: utvecklingssamtal för %(child)s imorgon %(time)s") % {
                "child": booking.child.given_name,
                "time": f"{timezone.localtime(booking.slot.starts_at):%H:%M}",
            }
            guardians = _guardians([booking.child_id]).get(booking.child_id, [])
            notify(
                recipients=guardians,
                kind="bookings.booking",
                title=headline,
                url=reverse("bookings:overview"),
                child=booking.child,
                source=booking.round,
                dedupe_key=f"talk-reminder:{booking.pk}:{tomorrow}",
            )
            outbox_email_enqueue(
                template="bookings/emails/booking",
                context={
                    "headline": headline,
                    "child": booking.child,
                    "title": booking.round.title,
                    "when": _when(booking.slot),
                    "minutes": booking.slot.minutes,
                    "place": booking.slot.place,
                    "video_url": booking.slot.video_url,
                    "kind": "reminder",
                },
                to=[g.email for g in guardians],
                dedupe_key=f"talk-reminder:{booking.pk}:{tomorrow}",
                attachments=[
                    {"name": "utvecklingssamtal.ics", "content": booking_ics(booking), "mimetype": "text/calendar"}
                ],
            )
            sent += 1
    return sent
