"""The contact list's pages (accounts owns contact details and their visibility)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts import contacts
from roster.policy import viewer_for


@require_http_methods(["GET"])
def contact_list(request):
    viewer = viewer_for(request)
    if not (viewer.is_guardian or viewer.is_staff_member or viewer.is_superuser):
        raise PermissionDenied
    return render(request, "accounts/contact_list.html", {"groups": contacts.contact_groups(viewer=viewer)})


@require_http_methods(["GET"])
def contact_list_group(request, group_id):
    viewer = viewer_for(request)
    group, full = contacts.get_group_for_contacts(viewer=viewer, group_id=group_id)
    data = contacts.group_contacts(group=group, full_details=full)
    return render(request, "accounts/contact_list_group.html", {"data": data})
