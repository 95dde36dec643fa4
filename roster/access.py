from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from roster.models import Child, Placement, active_q
from roster.policy import children_visible_to


def get_child_for_viewer(request, child_id) -> Child:
    """The child with active placements (with unit and group) loaded, or 404 when the viewer
    has no relation. The viewer's own children (a guardian's, a student's own record) come
    from the request's viewer (roster.policy.viewer_for: built by the same policy and cached
    under generations that every guardianship, placement and child change bumps at once), with
    no query; any other child (staff's) through children_visible_to."""
    from roster.policy import viewer_for

    wanted = str(child_id)
    if wanted.isdigit():
        for child in viewer_for(request).children:
            if child.pk == int(wanted):
                return child
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
