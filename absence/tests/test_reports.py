"""Guardian absence reports: the two-tap sick report, the full form, merge, friskanmälan,
change, and the bad input that must store nothing."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from absence import services
from absence.calendar import next_school_day
from absence.models import AbsenceReport
from roster.dates import swedish_holidays

pytestmark = pytest.mark.django_db


def test_sick_today_in_two_taps_from_the_hub(school_day, client_for, demo):
    anna = client_for("guardian")
    hub = anna.get(reverse("hub:dashboard"))
    quick = reverse("absence:quick-sick", args=[demo["elias"].pk])
    assert quick.encode() in hub.content  # tap 1 is in the Frånvaro box
    confirm = anna.get(quick)
    assert confirm.status_code == 200
    response = anna.post(quick)  # tap 2
    assert response.status_code == 302
    report = AbsenceReport.objects.get(child=demo["elias"])
    assert (report.start_date, report.end_date, report.reason) == (school_day, school_day, "sjuk")
    assert report.whole_day
    hub = anna.get(reverse("hub:dashboard"))
    assert quick.encode() not in hub.content  # already reported: no second button


def test_quick_sick_twice_merges(school_day, client_for, demo):
    anna = client_for("guardian")
    url = reverse("absence:quick-sick", args=[demo["elias"].pk])
    anna.post(url)
    anna.post(url)
    assert AbsenceReport.objects.filter(child=demo["elias"]).count() == 1


def test_quick_sick_wrong_method_outsider_and_reader(school_day, client_for, demo):
    url = reverse("absence:quick-sick", args=[demo["elias"].pk])
    assert client_for("guardian").put(url).status_code == 405
    assert client_for("other_guardian").post(url).status_code == 404
    assert client_for("student").post(url).status_code == 403  # a student does not report themself
    assert client_for("teacher").post(url).status_code == 403
    assert not AbsenceReport.objects.filter(child=demo["elias"]).exists()


def test_reports_are_audited(school_day, client_for, demo):
    from accounts.models import AuditEvent

    client_for("guardian").post(reverse("absence:quick-sick", args=[demo["elias"].pk]))
    report = AbsenceReport.objects.get(child=demo["elias"])
    event = AuditEvent.objects.get(object_type="absence.absencereport", object_id=str(report.pk))
    assert (event.action, event.child_id, event.actor_label) == (
        "create",
        demo["elias"].pk,
        "anna.andersson@example.se",
    )


def test_report_several_children_for_a_range(school_day, client_for, demo):
    start = next_school_day(school_day)
    end = next_school_day(start)
    response = client_for("guardian").post(
        reverse("absence:report-create"),
        {
            "children": [demo["alva"].pk, demo["elias"].pk],
            "reason": "annat",
            "when": "period",
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "part": "heldag",
            "comment": "Tandläkare",
        },
    )
    assert response.status_code == 302
    reports = AbsenceReport.objects.filter(child__in=[demo["alva"], demo["elias"]])
    assert {(r.child_id, r.start_date, r.end_date) for r in reports} == {
        (demo["alva"].pk, start, end),
        (demo["elias"].pk, start, end),
    }


def test_part_of_the_day_tomorrow(school_day, client_for, demo):
    response = client_for("guardian").post(
        reverse("absence:report-create"),
        {
            "children": [demo["elias"].pk],
            "reason": "annat",
            "when": "imorgon",
            "part": "del",
            "start_time": "09:00",
            "end_time": "11:00",
            "comment": "Läkarbesök",
        },
    )
    assert response.status_code == 302
    report = AbsenceReport.objects.get(child=demo["elias"])
    assert report.start_date == school_day + timedelta(days=1)
    assert (report.start_time, report.end_time) == (time(9), time(11))


def _post(client, follow=False, **data):
    base = {"reason": "sjuk", "when": "period", "part": "heldag"}
    return client.post(reverse("absence:report-create"), base | data, follow=follow)


def _assert_form_error(response, text):
    assert response.status_code == 200
    assert text in response.content.decode()


def test_bad_input_stores_nothing(school_day, client_for, demo):
    anna = client_for("guardian")
    elias = demo["elias"].pk
    day = school_day.isoformat()
    yesterday = (school_day - timedelta(days=1)).isoformat()
    _assert_form_error(
        _post(anna, children=[elias], start_date=day, end_date=yesterday), "Slutdatum kan inte vara före startdatum"
    )
    _assert_form_error(
        _post(anna, children=[elias], start_date=day, part="del", start_time="09:00"), "Ange både från- och till-tid"
    )
    _assert_form_error(_post(anna, children=[elias], start_date=yesterday), "redan har varit")
    _assert_form_error(_post(anna, children=[elias], start_date=day, reason="annat"), "Skriv en kort kommentar")
    _assert_form_error(_post(anna, children=[elias], start_date=day, reason="ledig"), "beviljad ledighet")
    _assert_form_error(_post(anna, children=[], start_date=day), "Välj minst ett barn")
    # Bo's child is not among Anna's choices
    _assert_form_error(_post(anna, children=[demo["bella"].pk], start_date=day), "Välj ett giltigt alternativ")
    assert not AbsenceReport.objects.filter(child__in=[demo["elias"], demo["bella"]]).exists()


def test_day_without_school_or_care_refused_also_for_preschool(school_day, client_for, demo):
    """A Sunday has neither school nor care: refused with a plain message, for the pupil
    and for the preschool child alike; nothing stored."""
    sunday = school_day + timedelta(days=(6 - school_day.weekday()) % 7)
    anna = client_for("guardian")
    for child in (demo["elias"], demo["alva"]):
        _assert_form_error(_post(anna, children=[child.pk], start_date=sunday.isoformat()), "varken skola eller omsorg")
        assert not AbsenceReport.objects.filter(child=child).exists()


def test_sick_report_ending_on_a_weekend_is_accepted(school_day, client_for, demo):
    """Thursday to Sunday: the school days inside it count, the weekend end is no error."""
    sunday = school_day + timedelta(days=(6 - school_day.weekday()) % 7)
    response = _post(
        client_for("guardian"),
        children=[demo["elias"].pk],
        start_date=school_day.isoformat(),
        end_date=sunday.isoformat(),
    )
    assert response.status_code == 302
    report = AbsenceReport.objects.get(child=demo["elias"])
    assert (report.start_date, report.end_date) == (school_day, sunday)


def test_closed_day_refused_for_preschool_sick_today(client_for, demo, freeze):
    """The preschool's planeringsdag: "sick today" has nothing to report, and says so."""
    from absence.tests.conftest import at
    from roster.models import ClosedPeriod

    closed = ClosedPeriod.objects.get(unit=demo["solrosen"], kind="planeringsdag").start_date
    freeze(at(closed, 8))
    anna = client_for("guardian")
    url = reverse("absence:quick-sick", args=[demo["alva"].pk])
    assert url not in anna.get(reverse("hub:dashboard")).content.decode()  # no two-tap button
    response = anna.post(url)
    assert response.status_code == 200
    assert "varken skola eller omsorg" in response.content.decode()
    assert not AbsenceReport.objects.filter(child=demo["alva"]).exists()


def test_limits_name_the_setting(school_day, personas, demo, settings):
    settings.SKOLHUBB_ABSENCE_REPORT_MAX_DAYS = 3
    with pytest.raises(ValidationError, match="högst 3 skol- eller omsorgsdagar"):
        services.absence_report_create(
            children=[demo["elias"]],
            reported_by=personas["guardian"],
            start_date=school_day,
            end_date=school_day + timedelta(days=10),
            reason="sjuk",
        )
    assert not AbsenceReport.objects.filter(child=demo["elias"]).exists()


def test_holiday_refused_for_a_school_child(demo, personas, freeze):
    from absence.tests.conftest import at

    start = demo["elias"].placements.first().start_date
    holidays = swedish_holidays(start, start.replace(year=start.year + 1))
    ascension = next(d for d, name in holidays.items() if name.startswith("Kristi himmel"))  # always a Thursday
    freeze(at(ascension - timedelta(days=3)))
    with pytest.raises(ValidationError, match="varken skola eller omsorg"):
        services.absence_report_create(
            children=[demo["elias"]],
            reported_by=personas["guardian"],
            start_date=ascension,
            end_date=ascension,
            reason="sjuk",
        )


def test_outside_every_placement_refused(school_day, personas, demo):
    placement = demo["elias"].placements.get(unit=demo["norrskolan"])
    demo["elias"].placements.exclude(pk=placement.pk).update(end_date=school_day)
    placement.end_date = school_day
    placement.save()
    with pytest.raises(ValidationError, match="ingen placering"):
        services.absence_report_create(
            children=[demo["elias"]],
            reported_by=personas["guardian"],
            start_date=school_day,
            end_date=next_school_day(school_day),
            reason="sjuk",
        )
    assert not AbsenceReport.objects.filter(child=demo["elias"]).exists()


def test_a_student_cannot_report_through_the_service(school_day, personas, demo):
    with pytest.raises(PermissionDenied):
        services.absence_report_create(
            children=[demo["elias"]],
            reported_by=personas["student"],
            start_date=school_day,
            end_date=school_day,
            reason="sjuk",
        )


def test_merge_overlapping_and_adjacent_reports(school_day, personas, demo):
    anna, elias = personas["guardian"], demo["elias"]
    d1 = school_day
    d2 = next_school_day(d1)
    d3 = next_school_day(d2)

    def report(start, end, **kw):
        return services.absence_report_create(
            children=[elias], reported_by=anna, start_date=start, end_date=end, reason=kw.pop("reason", "sjuk"), **kw
        )[0]

    first = report(d1, d1, start_time=time(8), end_time=time(10))
    report(d1, d1)  # the same day again, whole day, same reason: merges, becomes whole day
    report(d2, d3)  # a touching range with the same reason: merges too
    rows = list(AbsenceReport.objects.filter(child=elias))
    assert len(rows) == 1
    merged = rows[0]
    assert merged.pk == first.pk
    assert (merged.start_date, merged.end_date, merged.whole_day, merged.reason) == (d1, d3, True, "sjuk")


def test_merge_keeps_each_days_reason(school_day, personas, demo, client_for):
    """Sick Monday–Tuesday plus "Annat: Tandläkare" on Tuesday: Monday stays sick."""
    elias = demo["elias"]
    d1 = school_day
    d2 = next_school_day(d1)
    sick = services.absence_report_create(
        children=[elias], reported_by=personas["guardian"], start_date=d1, end_date=d2, reason="sjuk"
    )[0]
    response = _post(
        client_for("guardian"),
        children=[elias.pk],
        start_date=d2.isoformat(),
        reason="annat",
        comment="Tandläkare",
        follow=True,
    )
    rows = {r.reason: r for r in AbsenceReport.objects.filter(child=elias)}
    assert set(rows) == {"sjuk", "annat"}
    assert (rows["sjuk"].pk, rows["sjuk"].start_date, rows["sjuk"].end_date) == (sick.pk, d1, d2)
    assert (rows["annat"].start_date, rows["annat"].end_date, rows["annat"].comment) == (d2, d2, "Tandläkare")
    # The guardian is told the earlier report stays as it was.
    assert "redan en anmälan med en annan orsak (Sjuk" in response.content.decode()
    # The same reason with another comment does not merge either.
    services.absence_report_create(
        children=[elias], reported_by=personas["guardian"], start_date=d2, end_date=d2, reason="annat", comment="Frisör"
    )
    assert AbsenceReport.objects.filter(child=elias, reason="annat").count() == 2


def test_part_days_on_the_same_day_merge_their_times(school_day, personas, demo):
    for start, end in [(time(8), time(9)), (time(10), time(11))]:
        services.absence_report_create(
            children=[demo["elias"]],
            reported_by=personas["guardian"],
            start_date=school_day,
            end_date=school_day,
            start_time=start,
            end_time=end,
            reason="annat",
            comment="Tandläkare",
        )
    report = AbsenceReport.objects.get(child=demo["elias"])
    assert (report.start_time, report.end_time) == (time(8), time(11))


def _report(personas, demo, start, end):
    return services.absence_report_create(
        children=[demo["elias"]], reported_by=personas["guardian"], start_date=start, end_date=end, reason="sjuk"
    )[0]


def test_friskanmalan_ends_the_report_early(school_day, client_for, personas, demo):
    end = school_day + timedelta(days=6)
    report = _report(personas, demo, school_day, end)
    back = school_day + timedelta(days=2)
    url = reverse("absence:report-end", args=[report.pk])
    assert client_for("guardian").get(url).status_code == 200
    response = client_for("guardian").post(url, {"back_on": back.isoformat()})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.end_date == back - timedelta(days=1)


def test_friskanmalan_from_the_first_day_removes_the_report(school_day, client_for, personas, demo):
    report = _report(personas, demo, school_day, school_day + timedelta(days=1))
    client_for("guardian").post(reverse("absence:report-end", args=[report.pk]), {"back_on": school_day.isoformat()})
    assert not AbsenceReport.objects.filter(pk=report.pk).exists()


def test_friskanmalan_rules(school_day, client_for, personas, demo):
    report = _report(personas, demo, school_day, school_day + timedelta(days=1))
    url = reverse("absence:report-end", args=[report.pk])
    assert client_for("guardian").put(url).status_code == 405
    assert client_for("other_guardian").post(url, {"back_on": school_day.isoformat()}).status_code == 404
    assert client_for("student").post(url, {"back_on": school_day.isoformat()}).status_code == 403
    assert client_for("teacher").post(url, {"back_on": school_day.isoformat()}).status_code == 403
    past = client_for("guardian").post(url, {"back_on": (school_day - timedelta(days=1)).isoformat()})
    _assert_form_error(past, "redan har varit")
    report.refresh_from_db()
    assert report.end_date == school_day + timedelta(days=1)


def test_change_a_future_report(school_day, client_for, personas, demo):
    start = next_school_day(school_day)
    report = _report(personas, demo, start, start)
    later = next_school_day(start)
    url = reverse("absence:report-edit", args=[report.pk])
    bad = client_for("guardian").post(
        url, {"reason": "sjuk", "start_date": later.isoformat(), "end_date": start.isoformat()}
    )
    _assert_form_error(bad, "Slutdatum kan inte vara före startdatum")
    response = client_for("guardian").post(
        url, {"reason": "annat", "start_date": start.isoformat(), "end_date": later.isoformat(), "comment": "Resa"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.end_date, report.reason, report.comment) == (later, "annat", "Resa")
    assert client_for("guardian").put(url).status_code == 405
    assert client_for("other_guardian").get(url).status_code == 404
    assert client_for("principal").post(url, {}).status_code == 403


def test_history_lists_reports(school_day, client_for, personas, demo):
    _report(personas, demo, school_day, school_day)
    response = client_for("guardian").get(reverse("absence:child-history", args=[demo["elias"].pk]))
    assert len(response.context["current"]) == 1
    assert (
        client_for("other_guardian").get(reverse("absence:child-history", args=[demo["elias"].pk])).status_code == 404
    )


def test_absence_report_marks_care_days_absent_and_friskanmalan_clears_them(
    school_day, demo, django_capture_on_commit_callbacks, personas
):
    """With the schedules app installed, a report for a child in care marks those care days
    absent (the staff day list then shows "frånvarande"); ending the report clears them."""
    from schedules.models import DayEntry

    alva = demo["alva"]  # Solrosens förskola: a care placement
    end = school_day + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.absence_report_create(
            children=[alva], reported_by=personas["guardian"], start_date=school_day, end_date=end, reason="sjuk"
        )[0]
    absent = set(DayEntry.objects.filter(child=alva, absent=True).values_list("date", flat=True))
    assert school_day in absent and len(absent) >= 1
    with django_capture_on_commit_callbacks(execute=True):
        services.absence_report_end(report=report, ended_by=personas["guardian"], back_on=school_day)
    assert not DayEntry.objects.filter(child=alva, absent=True).exists()


def test_report_form_wrong_method_and_readers(school_day, client_for):
    url = reverse("absence:report-create")
    assert client_for("guardian").put(url).status_code == 405
    assert client_for("student").post(url, {"children": [1]}).status_code == 403
    assert client_for("teacher").post(url, {}).status_code == 403


def test_no_two_tap_button_on_a_weekend_for_a_school_child(client_for, demo, freeze):
    from absence.tests.conftest import at, lesson_day

    day = lesson_day(demo["elias"].placements.first().start_date + timedelta(days=21))
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    freeze(at(saturday, 9))
    page = client_for("guardian").get(reverse("hub:dashboard")).content.decode()
    assert reverse("absence:quick-sick", args=[demo["elias"].pk]) not in page
    assert reverse("absence:quick-sick", args=[demo["alva"].pk]) not in page  # no care on a Saturday either


def test_comment_shows_its_limit_instead_of_cutting(school_day, client_for, demo):
    anna = client_for("guardian")
    page = anna.get(reverse("absence:report-create")).content.decode()
    assert 'data-limit="200"' in page and 'maxlength="200"' not in page  # no silent cut in the browser
    assert "Högst 200 tecken" in page
    response = _post(anna, children=[demo["elias"].pk], reason="annat", comment="x" * 250)
    _assert_form_error(response, "högst 200 tecken (nu 250)")
    assert not AbsenceReport.objects.filter(child=demo["elias"]).exists()
