from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from roster.models import Child, Placement, active_q
from roster.policy import children_visible_to


def get_child_for_viewer(request, child_id) -> Child:
    """The child with active placements loaded, or 404 when the viewer has no relation."""
    placements = Placement.objects.filter(active_q(on=timezone.localdate())).select_related("unit", "group")
    child = (
        children_visible_to(request.user)
        .prefetch_related(Prefetch("placements", queryset=placements, to_attr="active_placements"))
        .filter(pk=child_id)
        .first()
    )
    if child is None:
        raise Http404("Inget barn")
    return child
