from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bookings import selectors, services
from bookings.forms import MoveForm, PublishForm
from bookings.models import Slot
from config.forms import form_add_service_errors
from roster.models import Group, GroupStaff, active_q
from roster.policy import viewer_for


def _guardian_children(viewer):
    return [c for c in viewer.children if c.user_id != viewer.user.pk]


@require_http_methods(["GET"])
def overview(request):
    """Guardians: each child's rounds, free slots and own booking. Staff: the rounds they run."""
    viewer = viewer_for(request)
    children = _guardian_children(viewer)
    is_staff = viewer.is_staff_member or viewer.is_superuser
    if not children and not is_staff:
        raise PermissionDenied
    family = []
    if children:
        group_ids = {p.group_id for c in children for p in c.active_placements if p.group_id}
        rounds = selectors.rounds_for_groups(group_ids=group_ids)
        slots = selectors.slots_for_rounds(round_ids=[r.pk for r in rounds])
        bookings = selectors.bookings_for_children(child_ids=[c.pk for c in children])
        for child in children:
            mine = {p.group_id for p in child.active_placements if p.group_id}
            child_rounds = []
            for talk_round in rounds:
                if talk_round.group_id not in mine:
                    continue
                booking = next((b for b in bookings if b.round_id == talk_round.pk and b.child_id == child.pk), None)
                free = [s for s in slots if s.round_id == talk_round.pk and not hasattr(s, "booking")]
                child_rounds.append({"round": talk_round, "booking": booking, "free": free})
            family.append({"child": child, "rounds": child_rounds})
    managed = []
    if is_staff:
        rounds = selectors.rounds_managed_by(user=request.user)
        slots = selectors.slots_for_rounds(round_ids=[r.pk for r in rounds])
        managed = [{"round": r, "slots": [s for s in slots if s.round_id == r.pk]} for r in rounds]
    return render(request, "bookings/overview.html", {"family": family, "managed": managed, "is_staff": is_staff})


@require_http_methods(["POST"])
def book(request, slot_id):
    viewer = viewer_for(request)
    if not _guardian_children(viewer):
        raise PermissionDenied
    child_id = request.POST.get("child", "")
    try:
        services.booking_book(viewer=viewer, slot_id=slot_id, child_id=int(child_id) if child_id.isdigit() else 0)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Tiden är bokad. En bekräftelse kommer med e-post."))
    return redirect("bookings:overview")


@require_http_methods(["POST"])
def cancel(request, booking_id):
    viewer = viewer_for(request)
    if not _guardian_children(viewer):
        raise PermissionDenied
    try:
        services.booking_cancel(viewer=viewer, booking_id=booking_id)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Samtalet är avbokat."))
    return redirect("bookings:overview")


@require_http_methods(["GET", "POST"])
def publish(request):
    viewer = viewer_for(request)
    if not (viewer.is_staff_member or viewer.is_superuser):
        raise PermissionDenied
    groups = Group.objects.select_related("unit").order_by("unit__name", "name")
    if not viewer.is_superuser:
        groups = groups.filter(pk__in=GroupStaff.objects.filter(active_q(), user=request.user).values("group_id"))
    form = PublishForm(request.POST or None, group_choices=[(g.pk, f"{g.name} ({g.unit.name})") for g in groups])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.round_publish(
                viewer=viewer,
                group_id=data["group"],
                title=data["title"],
                day=data["day"],
                first_start=data["first_start"],
                last_end=data["last_end"],
                minutes=data["minutes"],
                place=data["place"],
                video_url=data["video_url"],
                deadline=data["deadline"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Tiderna är publicerade för gruppens familjer."))
            return redirect("bookings:overview")
    return render(request, "bookings/publish.html", {"form": form})


@require_http_methods(["POST"])
def slot_move(request, slot_id):
    viewer = viewer_for(request)
    slot = Slot.objects.select_related("round__group").filter(pk=slot_id).first()
    if slot is None or not (viewer.is_superuser or slot.round.group.unit_id in viewer.staff_unit_ids):
        raise Http404
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange en ny tid."))
        return redirect("bookings:overview")
    try:
        services.slot_move(viewer=viewer, slot_id=slot.pk, starts_at=form.cleaned_data["starts_at"])
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Tiden är flyttad. Familjen har fått veta."))
    return redirect("bookings:overview")
