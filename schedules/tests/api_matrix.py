from datetime import timedelta

from api.testing import Case, row


def _days(ctx):
    from schedules.selectors import first_open_day

    start = first_open_day()
    body = {"start_date": start.isoformat(), "end_date": (start + timedelta(days=6)).isoformat(), "kind": "ledig"}
    return (f"/api/v1/schedules/children/{ctx['alva'].pk}/days", body)


# Alva's care schedule (Solrosen, Solen): like the pages, the unit's staff and the admin may
# read and change it (staff mode), other families and other units get 404.
CASES = [
    Case(
        "GET",
        "/api/v1/schedules/children/{child_id}/weeks",
        lambda ctx: (f"/api/v1/schedules/children/{ctx['alva'].pk}/weeks", None),
        row(401, 200, 404, 404, 404, 200, 404, 200),
    ),
    Case("PUT", "/api/v1/schedules/children/{child_id}/days", _days, row(401, 200, 404, 404, 404, 200, 404, 200)),
]
