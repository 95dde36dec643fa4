"""Tomorrow's care time (or closed/ledig) in the evening digest. ScheduleData's 4 queries
for all children."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.digest import DigestItem
from schedules.selectors import ScheduleData


def digest_items(*, children, day):
    care = [c for c in children if c.care_unit_ids]
    if not care:
        return []
    data = ScheduleData(child_ids=[c.id for c in care], start=day, end=day, today=timezone.localdate())
    items = []
    for child in care:
        resolved = data.day(child.id, day)
        if resolved.status == "times" and not resolved.absent:
            text = _("%(times)s på %(unit)s") % {"times": resolved.label, "unit": resolved.placement.unit.name}
        elif resolved.status == "stangt":
            text = _("Stängt (%(reason)s)") % {"reason": resolved.closed_label}
        elif resolved.status == "missing":
            text = _("Ingen tid registrerad")
        else:
            continue  # ledig, absent or no placement: nothing to prepare for
        items.append(DigestItem(child_id=child.id, section=_("Omsorg"), text=text, at=resolved.start, order=30))
    return items
