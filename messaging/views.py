from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.forms import form_add_service_errors
from messaging import access, selectors, services
from messaging.forms import FamilyStartForm, GroupSendForm, ReplyForm, StaffStartForm
from roster.models import Group
from roster.policy import children_listable_to, viewer_for


def _require_staff(viewer):
    if not (viewer.is_staff_member or viewer.is_superuser):
        raise PermissionDenied


@require_http_methods(["GET"])
def inbox(request):
    viewer = viewer_for(request)
    rows = selectors.inbox(user=request.user)
    return render(
        request,
        "messaging/inbox.html",
        {
            "rows": rows,
            "is_staff": viewer.is_staff_member or viewer.is_superuser,
            "has_children": bool(viewer.children),
        },
    )


@require_http_methods(["GET", "POST"])
def start(request):
    """A guardian or a student writes to the staff around a child."""
    viewer = viewer_for(request)
    if not viewer.children:
        raise PermissionDenied
    staff = selectors.staff_for_children(children=viewer.children)
    recipient_choices, seen = [], set()
    for child in viewer.children:
        for row in staff[child.pk]:
            if row.user_id in seen:
                continue
            seen.add(row.user_id)
            label = f"{row.user.get_full_name()} ({row.get_role_display().lower()}, {row.group.name})"
            recipient_choices.append((row.user_id, label))
    form = FamilyStartForm(
        request.POST or None,
        request.FILES or None,
        child_choices=[(c.pk, c.full_name) for c in viewer.children],
        recipient_choices=recipient_choices,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_start_by_family(
                viewer=viewer,
                child_id=data["child"],
                recipient_ids=data["recipients"],
                subject=data["subject"],
                body=data["body"],
                only_this_guardian=data["only_this_guardian"],
                files=data["files"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Meddelandet är skickat."))
            return redirect(conversation.get_absolute_url())
    return render(request, "messaging/start.html", {"form": form, "is_student": viewer.student_child is not None})


@require_http_methods(["GET", "POST"])
def start_staff(request):
    viewer = viewer_for(request)
    _require_staff(viewer)
    children = list(
        children_listable_to(request.user).order_by("given_name", "family_name")[:2000]
        if not viewer.is_superuser
        else []
    )
    child_id = request.POST.get("child") or request.GET.get("barn")
    guardian_choices = []
    if child_id and str(child_id).isdigit() and any(c.pk == int(child_id) for c in children):
        guardian_choices = [
            (g.pk, g.get_full_name()) for g in selectors.guardians_of(child_ids=[int(child_id)]).get(int(child_id), [])
        ]
    form = StaffStartForm(
        request.POST or None,
        request.FILES or None,
        initial={"child": child_id},
        child_choices=[(c.pk, c.full_name) for c in children],
        guardian_choices=guardian_choices,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_start_by_staff(
                viewer=viewer,
                child_id=data["child"],
                subject=data["subject"],
                body=data["body"],
                to=data["to"],
                guardian_id=data["guardian"],
                files=data["files"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Meddelandet är skickat."))
            return redirect(conversation.get_absolute_url())
    return render(request, "messaging/start_staff.html", {"form": form})


@require_http_methods(["GET", "POST"])
def group_send(request):
    viewer = viewer_for(request)
    _require_staff(viewer)
    groups = Group.objects.select_related("unit").order_by("unit__name", "name")
    if not viewer.is_superuser:
        groups = groups.filter(unit_id__in=viewer.staff_unit_ids)
    form = GroupSendForm(
        request.POST or None,
        request.FILES or None,
        group_choices=[(g.pk, f"{g.name} ({g.unit.name})") for g in groups],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.group_send(
                viewer=viewer,
                group_id=data["group"],
                subject=data["subject"],
                body=data["body"],
                broadcast=data["broadcast"],
                files=data["files"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if data["broadcast"]:
                messages.success(request, _("Utskicket är skickat."))
            else:
                messages.success(request, _("Skickat till %(n)d familjer.") % {"n": len(sent)})
            return redirect("messaging:inbox")
    return render(request, "messaging/group_send.html", {"form": form})


@require_http_methods(["GET"])
def detail(request, conversation_id):
    conversation, me = access.get_conversation_for_viewer(request, conversation_id)
    thread = selectors.thread(conversation=conversation, me=me)
    services.conversation_mark_read(participant=me)
    return render(request, "messaging/detail.html", {"thread": thread, "form": ReplyForm()})


@require_http_methods(["POST"])
def reply(request, conversation_id):
    conversation, me = access.get_conversation_for_viewer(request, conversation_id)
    if not conversation.allows_replies:
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_reply(
                viewer=viewer_for(request),
                conversation=conversation,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            return redirect(conversation.get_absolute_url())
    thread = selectors.thread(conversation=conversation, me=me)
    return render(request, "messaging/detail.html", {"thread": thread, "form": form}, status=400)


@require_http_methods(["GET"])
def attachment(request, attachment_id):
    """Attachments are served only here, to the conversation's participants."""
    item = access.get_attachment_for_viewer(request, attachment_id)
    if settings.USE_S3:
        return HttpResponseRedirect(item.file.storage.url(item.file.name))
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.name,
        content_type=item.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
