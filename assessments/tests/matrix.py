"""Access matrix rows of assessments. Objects belong to Elias (3B, Norrskolan, Anna's son);
Bo's family gets 404. The shared matrix logs everyone in with a password (assurance low):
the family side answers 302 to the e-ID login there. EID_MATRIX below gives the family's
answers with e-ID (assurance high); assessments/tests/test_access.py walks it."""

from django.urls import reverse

from tests.matrix import LOGIN, logged_in, row

EID = 302  # a family member on a password session is sent to the e-ID login

CHILD_PAGE = row(LOGIN, EID, 404, EID, 200, 404, 200, 200)
STAFF_WRITE = row(LOGIN, EID, 404, EID, 200, 404, 200, 200)
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405, 405)

MATRIX = {
    "assessments:index": ("assessments:index", logged_in(200)),
    "assessments:child": ("elias_assessments", CHILD_PAGE),
    "assessments:child-grades": ("elias_grades", CHILD_PAGE),
    "assessments:child-iup": ("elias_iup", CHILD_PAGE),
    "assessments:iup-edit": ("elias_iup_edit", STAFF_WRITE),
    "assessments:child-support": ("elias_support", CHILD_PAGE),
    "assessments:programme-create": ("elias_programme_create", STAFF_WRITE),
    "assessments:child-notes": ("elias_notes", CHILD_PAGE),
    "assessments:child-log": ("elias_log", row(LOGIN, EID, 404, EID, 403, 404, 200, 200)),
    "assessments:programme-decide": ("programme_decide", POST_ONLY),
    "assessments:programme-view": ("programme_view", POST_ONLY),
    "assessments:staff-log": ("teacher_log", row(LOGIN, 404, 404, 404, 404, 404, 200, 200)),
    "assessments:matrix": ("3b_matrix", row(LOGIN, 404, 404, 404, 200, 404, 200, 200)),
    "assessments:grade-sheet": ("6a_grades", row(LOGIN, 404, 404, 404, 404, 404, 200, 200)),
    "assessments:catalogue": ("norrskolan_catalogue", row(LOGIN, 404, 404, 404, 403, 404, 200, 200)),
    "assessments:catalogue-csv": ("norrskolan_catalogue_csv", row(LOGIN, 404, 404, 404, 403, 404, 200, 200)),
}

# With e-ID: (guardian Anna, other guardian Bo, student Elias) for every URL above.
EID_MATRIX = {
    "assessments:index": (200, 200, 200),
    "assessments:child": (200, 404, 200),
    "assessments:child-grades": (200, 404, 200),
    "assessments:child-iup": (200, 404, 200),
    "assessments:iup-edit": (403, 404, 403),
    "assessments:child-support": (200, 404, 200),
    "assessments:programme-create": (403, 404, 403),
    "assessments:child-notes": (200, 404, 200),
    "assessments:child-log": (200, 404, 200),
    "assessments:programme-decide": (405, 405, 405),
    "assessments:programme-view": (405, 405, 405),
    "assessments:staff-log": (404, 404, 404),
    "assessments:matrix": (404, 404, 404),
    "assessments:grade-sheet": (404, 404, 404),
    "assessments:catalogue": (404, 404, 404),
    "assessments:catalogue-csv": (404, 404, 404),
}


def url_builders(demo) -> dict[str, str]:
    from accounts.models import User
    from assessments.models import ActionProgramme
    from roster.models import Group
    from school.models import Subject

    elias = demo["elias"].pk
    svenska = Subject.objects.get(name="Svenska").pk
    group_6a = Group.objects.get(name="6A", unit=demo["norrskolan"]).pk
    programme = ActionProgramme.objects.order_by("pk").first().pk
    teacher = User.objects.get(email="larare.3b@example.se").pk
    norr = demo["norrskolan"].pk
    return {
        "elias_assessments": reverse("assessments:child", args=[elias]),
        "elias_grades": reverse("assessments:child-grades", args=[elias]),
        "elias_iup": reverse("assessments:child-iup", args=[elias]),
        "elias_iup_edit": reverse("assessments:iup-edit", args=[elias]),
        "elias_support": reverse("assessments:child-support", args=[elias]),
        "elias_programme_create": reverse("assessments:programme-create", args=[elias]),
        "elias_notes": reverse("assessments:child-notes", args=[elias]),
        "elias_log": reverse("assessments:child-log", args=[elias]),
        "programme_decide": reverse("assessments:programme-decide", args=[programme]),
        "programme_view": reverse("assessments:programme-view", args=[programme]),
        "teacher_log": reverse("assessments:staff-log", args=[teacher]),
        "3b_matrix": reverse("assessments:matrix", args=[demo["3b"].pk, svenska]),
        "6a_grades": reverse("assessments:grade-sheet", args=[group_6a, svenska]),
        "norrskolan_catalogue": reverse("assessments:catalogue", args=[norr]),
        "norrskolan_catalogue_csv": reverse("assessments:catalogue-csv", args=[norr]),
    }
