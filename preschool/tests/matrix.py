"""Access matrix rows of the preschool e-services. Guardian pages need e-ID (a password
session is sent to the e-ID login: 302); Anna is the guardian with children in care."""

from django.urls import reverse

from tests.matrix import LOGIN, row

E_ID = 302  # sent to the e-ID login first

MATRIX = {
    "preschool:overview": ("preschool:overview", row(LOGIN, E_ID, E_ID, E_ID, E_ID, E_ID, E_ID, E_ID)),
    "preschool:income-create": ("preschool:income-create", row(LOGIN, E_ID, E_ID, E_ID, E_ID, E_ID, E_ID, E_ID)),
    "preschool:notice-create": ("alva_notice_create", row(LOGIN, E_ID, E_ID, E_ID, E_ID, E_ID, E_ID, E_ID)),
    "preschool:notice-withdraw": ("alva_notice_withdraw", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    # Principals of care units (Norrskolan's rektor leads its fritidshem) and admins.
    "preschool:notices": ("preschool:notices", row(LOGIN, 403, 403, 403, 403, 403, 200, 200)),
    "preschool:notice-confirm": ("alva_notice_confirm", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    "preschool:fees": ("preschool:fees", row(LOGIN, 403, 403, 403, 403, 403, 200, 200)),
    "preschool:fees-csv": ("preschool:fees-csv", row(LOGIN, 403, 403, 403, 403, 403, 200, 200)),
}


def url_builders(demo) -> dict[str, str]:
    from preschool.models import PlacementNotice
    from roster.models import Placement

    placement = Placement.objects.filter(child=demo["alva"], unit=demo["solrosen"]).first()
    notice = PlacementNotice.objects.create(
        placement=placement,
        given_by_id=placement.child.guardianships.first().guardian_id,
        requested_last_day="2027-03-01",
        last_day="2027-03-01",
        notice_months=2,
    )
    return {
        "alva_notice_create": reverse("preschool:notice-create", args=[placement.pk]),
        "alva_notice_withdraw": reverse("preschool:notice-withdraw", args=[notice.pk]),
        "alva_notice_confirm": reverse("preschool:notice-confirm", args=[notice.pk]),
    }
