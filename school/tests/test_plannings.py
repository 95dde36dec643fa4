"""Plannings: drafts invisible to families, publish, copy, bad input, the term overview."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from roster.dates import monday_of
from school.models import Planning, PlanningAttachment, Subject
from school.services import next_year_monday

pytestmark = pytest.mark.django_db


def _week(day) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _post(client, demo, **overrides):
    monday = monday_of(timezone.localdate())
    data = {
        "group": demo["3b"].pk,
        "subject": Subject.objects.get(code="MA").pk,
        "title": "Geometri",
        "start_week": _week(monday),
        "end_week": _week(monday + timedelta(weeks=3)),
        "learn": "Former och mönster",
        **overrides,
    }
    return client.post(reverse("school:planning-create"), data)


def test_teacher_writes_a_draft_families_see_it_only_once_published(client_for, demo):
    teacher = client_for("teacher")
    response = _post(teacher, demo)
    planning = Planning.objects.get(title="Geometri")
    assert response.status_code == 302 and planning.state == Planning.State.DRAFT
    detail = reverse("school:planning-detail", args=[planning.pk])
    for role in ("guardian", "other_guardian", "student"):
        client = client_for(role)
        assert client.get(detail).status_code == 404, role
        assert "Geometri" not in client.get(reverse("school:plannings")).content.decode(), role
        assert "Geometri" not in client.get(reverse("hub:dashboard")).content.decode(), role
        overview = client.get(reverse("school:planning-overview", args=[demo["3b"].pk])).content.decode()
        assert "Geometri" not in overview and "Bråk – utkast" not in overview, role
    assert teacher.get(detail).status_code == 200
    # The principal reads drafts but does not publish them.
    assert client_for("principal").get(detail).status_code == 200
    assert client_for("principal").post(reverse("school:planning-publish", args=[planning.pk])).status_code == 403
    assert client_for("guardian").post(reverse("school:planning-publish", args=[planning.pk])).status_code == 404
    assert teacher.get(reverse("school:planning-publish", args=[planning.pk])).status_code == 405

    teacher.post(reverse("school:planning-publish", args=[planning.pk]))
    planning.refresh_from_db()
    assert planning.is_published and planning.published_at
    assert client_for("guardian").get(detail).status_code == 200
    assert "Geometri" in client_for("student").get(reverse("hub:dashboard")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Fyll i en rubrik."),
        ({"start_week": "2026-W50", "end_week": "2026-W48"}, "Sista veckan kan inte vara före den första."),
        ({"end_week": "vecka 3"}, "Ange en vecka som ÅÅÅÅ-Vnn"),
        ({"start_week": "2026-W01", "end_week": "2026-W52"}, "högst 40 veckor"),
        ({"subject": ""}, "Välj ett ämne."),
        ({"group": "999999"}, "Välj en av dina grupper."),
    ],
)
def test_bad_input_is_a_swedish_form_error_and_nothing_is_stored(client_for, demo, overrides, message):
    before = Planning.objects.count()
    response = _post(client_for("teacher"), demo, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Planning.objects.count() == before


def test_a_file_that_is_not_what_it_says_is_refused(client_for, demo):
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    response = _post(client_for("teacher"), demo, files=fake)
    assert "plan.pdf är inte en riktig .pdf-fil." in response.content.decode()
    assert not Planning.objects.filter(title="Geometri").exists()
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = _post(client_for("teacher"), demo, files=exe)
    assert "Filtypen .exe är inte tillåten" in response.content.decode()
    assert not PlanningAttachment.objects.exists()


def test_attachment_is_served_only_after_the_access_check(client_for, demo, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 planering", content_type="application/pdf")
    _post(client_for("teacher"), demo, files=pdf)
    attachment = PlanningAttachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.name == "plan.pdf"
    assert "plan" not in attachment.file.name  # the stored name carries nothing of the original
    url = reverse("school:planning-attachment", args=[attachment.pk])
    teacher = client_for("teacher").get(url)
    assert teacher.status_code == 200 and b"".join(teacher.streaming_content).startswith(b"%PDF")
    assert teacher["Cache-Control"] == "private, no-store"
    assert client_for("guardian").get(url).status_code == 404  # still a draft
    assert client_for("other_staff").get(url).status_code == 404


def test_copy_to_next_year_and_to_another_group(client_for, demo):
    from roster.models import Group, GroupStaff

    teacher = client_for("teacher")
    source = Planning.objects.get(title="Vikingatiden")
    response = teacher.post(
        reverse("school:planning-copy", args=[source.pk]), {"where": "next_year", "group": demo["3b"].pk}
    )
    copy = Planning.objects.exclude(pk=source.pk).get(title="Vikingatiden")
    assert response.status_code == 302
    assert copy.state == Planning.State.DRAFT and copy.group_id == source.group_id
    assert copy.start_monday == next_year_monday(source.start_monday)
    assert copy.start_monday.isocalendar().week == source.start_monday.isocalendar().week
    # The same group without "next year" is refused with a message; nothing is stored.
    before = Planning.objects.count()
    response = teacher.post(
        reverse("school:planning-copy", args=[source.pk]), {"where": "group", "group": demo["3b"].pk}
    )
    assert "Välj en annan grupp" in response.content.decode()
    assert Planning.objects.count() == before
    # Another group the teacher teaches: same weeks.
    other = Group.objects.get(name="3A", unit=demo["norrskolan"])
    GroupStaff.objects.create(user=copy.created_by, group=other, start_date=timezone.localdate())
    teacher.post(reverse("school:planning-copy", args=[source.pk]), {"where": "group", "group": other.pk})
    moved = Planning.objects.get(group=other, title="Vikingatiden")
    assert (moved.start_monday, moved.end_monday) == (source.start_monday, source.end_monday)
    # A group the teacher does not teach is not offered.
    six = Group.objects.get(name="6B", unit=demo["norrskolan"])
    response = teacher.post(reverse("school:planning-copy", args=[source.pk]), {"where": "group", "group": six.pk})
    assert "Välj en av dina grupper." in response.content.decode()


def test_next_year_monday_keeps_the_week_number():
    from datetime import date

    assert next_year_monday(date(2026, 11, 23)) == date(2027, 11, 29)
    assert next_year_monday(date(2026, 12, 28)).isocalendar().week == 52  # week 53 → 52
    assert (
        next_year_monday(date(2026, 12, 28)).isocalendar().week
        == next_year_monday(date(2026, 12, 21)).isocalendar().week
    )


def test_term_overview_is_an_svg_with_a_table(client_for, demo):
    response = client_for("guardian").get(reverse("school:planning-overview", args=[demo["3b"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="gantt"' in html and 'role="img"' in html
    assert "<table" in html and "Vikingatiden" in html
    chart = response.context["chart"]
    bar = chart["rows"][0]
    # One 26-unit column per week of the planning (clipped to the term), from its first week.
    assert bar["w"] % 26 == 24 and bar["x"] >= chart["label_w"]
    assert len(chart["columns"]) >= 15
    teacher = client_for("teacher").get(reverse("school:planning-overview", args=[demo["3b"].pk])).content.decode()
    assert "Bråk – utkast" in teacher
