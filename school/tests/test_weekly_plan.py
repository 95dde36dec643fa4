"""The weekly plan: sanitised letter, day items, scheduled publishing, copy, the digest's selector."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from roster.dates import monday_of
from school.models import WeeklyItem, WeeklyPlan
from school.selectors import weekly_items_for
from school.services import letter_sanitise
from school.tests.teaching_helpers import at

pytestmark = pytest.mark.django_db


def _form(monday, *, letter="Hej!", items=(), publish="now", publish_at=""):
    data = {
        "letter": letter,
        "publish": publish,
        "publish_at": publish_at,
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for i, (day, kind, text) in enumerate(items):
        data |= {f"items-{i}-day": day.isoformat(), f"items-{i}-kind": kind, f"items-{i}-text": text}
    return data


def test_demo_has_gym_clothes_tomorrow_for_the_evening_digest(demo):
    tomorrow = timezone.localdate() + timedelta(days=1)  # the suite runs on a Monday
    items = weekly_items_for([demo["elias"], demo["alva"]], tomorrow)
    assert [(i["code"], i["kind"], i["text"]) for i in items[demo["elias"].pk]] == [("bring", "Ta med", "Gympakläder")]
    assert items[demo["elias"].pk][0]["group"] == "3B"
    assert demo["alva"].pk not in items  # preschool: no weekly plan
    # The evening digest's call: child ids and the day as keywords.
    assert weekly_items_for(child_ids=[demo["elias"].pk, demo["alva"].pk], day=tomorrow) == items


def test_weekly_items_for_is_one_query_for_any_number_of_children(demo, django_assert_num_queries):
    from roster.models import Child

    tomorrow = timezone.localdate() + timedelta(days=1)
    few = list(Child.objects.filter(pk__in=[demo["elias"].pk, demo["bella"].pk]))
    many = list(Child.objects.all()[:60])
    # One query: the items joined to the children's active placements.
    with django_assert_num_queries(1):
        weekly_items_for(few, tomorrow)
    with django_assert_num_queries(1):
        result = weekly_items_for(many, tomorrow)
    assert any(i["text"] == "Gympakläder" for items in result.values() for i in items)


def test_families_see_this_and_next_week_and_the_hub_shows_tomorrow(client_for, demo):
    page = client_for("guardian").get(reverse("school:weekly")).content.decode()
    this_week = monday_of(timezone.localdate()).isocalendar().week
    assert f"3B · vecka {this_week}" in page and f"3B · vecka {this_week + 1}" in page
    assert "Gympakläder" in page and "<strong>tisdag</strong>" in page
    hub = client_for("other_guardian").get(reverse("hub:dashboard")).content.decode()
    assert "box--veckoplan" in hub and "Gympakläder" in hub


def test_timetable_shows_the_days_items_beside_the_lessons(client_for, demo):
    response = client_for("guardian").get(reverse("school:child-timetable", args=[demo["elias"].pk]))
    tomorrow = timezone.localdate() + timedelta(days=1)
    day = next(d for d in response.context["weeks"][0][1].days if d.day == tomorrow)
    assert [i["text"] for i in day.items] == ["Gympakläder"]
    assert "timetable__items" in response.content.decode()


def test_letter_is_sanitised():
    dirty = '<p onclick="x()">Hej <script>alert(1)</script><a href="javascript:alert(1)">länk</a> <strong>ok</strong></p><style>p{}</style>'
    clean = letter_sanitise(dirty)
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean and "style" not in clean
    assert "<strong>ok</strong>" in clean
    assert letter_sanitise("Rad ett\nrad två\n\nStycke <två>") == "<p>Rad ett<br>rad två</p><p>Stycke &lt;två&gt;</p>"
    assert 'rel="noopener noreferrer"' in letter_sanitise('<a href="https://skolverket.se">Skolverket</a>')


def test_teacher_writes_next_week_scheduled_and_families_see_it_from_then(client_for, demo, personas):
    next_monday = monday_of(timezone.localdate()) + timedelta(days=14)
    publish_at = at(timezone.localdate() + timedelta(days=4), 15)
    url = reverse("school:weekly-edit", args=[demo["3b"].pk, next_monday.isoformat()])
    response = client_for("teacher").post(
        url,
        _form(
            next_monday,
            letter="<p>Vi åker till skogen</p><script>x</script>",
            items=[(next_monday + timedelta(days=1), "bring", "Matsäck"), (next_monday, "homework", "")],
            publish="at",
            publish_at=publish_at.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 302
    plan = WeeklyPlan.objects.get(group=demo["3b"], monday=next_monday)
    assert plan.letter == "<p>Vi åker till skogen</p>" and plan.publish_at == publish_at
    assert list(plan.items.values_list("text", flat=True)) == ["Matsäck"]  # the empty row is not stored
    assert weekly_items_for([demo["elias"]], next_monday + timedelta(days=1)) == {}
    # A week before it is visible families cannot see it; after publish_at they can.
    with time_machine.travel(publish_at - timedelta(seconds=1), tick=False):
        assert weekly_items_for([demo["elias"]], next_monday + timedelta(days=1)) == {}
    with time_machine.travel(publish_at, tick=False):
        assert (
            weekly_items_for([demo["elias"]], next_monday + timedelta(days=1))[demo["elias"].pk][0]["text"] == "Matsäck"
        )


def test_draft_plan_is_invisible_to_families(client_for, demo):
    monday = monday_of(timezone.localdate()) + timedelta(days=21)
    client_for("teacher").post(
        reverse("school:weekly-edit", args=[demo["3b"].pk, monday.isoformat()]),
        _form(monday, letter="Utkastbrev", items=[(monday, "event", "Hemlig utflykt")], publish="draft"),
    )
    assert WeeklyPlan.objects.get(monday=monday, group=demo["3b"]).publish_at is None
    assert weekly_items_for([demo["elias"]], monday) == {}
    for role in ("guardian", "student", "other_guardian"):
        assert "Utkastbrev" not in client_for(role).get(reverse("school:weekly")).content.decode()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"items": [("outside", "bring", "Boll")]}, "Välj en dag i veckan."),
        ({"items": [("monday", "bad", "Boll")]}, "Välj en typ för varje punkt."),
        ({"publish": "at", "publish_at": ""}, "Välj när veckoplanen ska publiceras."),
        ({"publish": "at", "publish_at": "imorgon"}, "Ange datum och tid som ÅÅÅÅ-MM-DD TT:MM."),
        ({"letter": "", "items": []}, "Skriv ett veckobrev eller lägg till minst en punkt."),
        ({"items": [("monday", "bring", "x" * 201)]}, "En punkt får vara högst 200 tecken."),
    ],
)
def test_bad_input_changes_nothing(client_for, demo, kwargs, message):
    monday = monday_of(timezone.localdate()) + timedelta(days=28)
    days = {"monday": monday, "outside": monday + timedelta(days=9)}
    kwargs["items"] = [(days[d], k, t) for d, k, t in kwargs.get("items", [])]
    response = client_for("teacher").post(
        reverse("school:weekly-edit", args=[demo["3b"].pk, monday.isoformat()]), _form(monday, **kwargs)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WeeklyPlan.objects.filter(monday=monday).exists()


def test_copy_last_week_as_a_draft(client_for, demo):
    this_monday = monday_of(timezone.localdate())
    target = this_monday + timedelta(days=14)
    teacher = client_for("teacher")
    # Nothing to copy two weeks ahead (next week's plan is the previous one: copy works).
    url = reverse("school:weekly-copy", args=[demo["3b"].pk, target.isoformat()])
    assert teacher.post(url).status_code == 302
    plan = WeeklyPlan.objects.get(group=demo["3b"], monday=target)
    assert plan.publish_at is None
    assert [i.day for i in plan.items.all()] == [
        i.day + timedelta(days=7) for i in WeeklyItem.objects.filter(plan__monday=this_monday + timedelta(days=7))
    ]
    # A week that already has a plan is not overwritten.
    response = teacher.post(url, follow=True)
    assert "Veckan har redan en plan." in response.content.decode()
    # Families and the principal cannot copy.
    assert client_for("principal").post(url).status_code == 403
    assert client_for("guardian").post(url).status_code == 403
    assert client_for("other_staff").post(url).status_code == 404


def test_the_evening_digest_tells_annas_family_about_the_gym_clothes(demo, personas):
    from notifications import digest
    from roster.policy import viewer_build

    tomorrow = timezone.localdate() + timedelta(days=1)
    content = digest.digest_build(viewer=viewer_build(personas["guardian"]), day=tomorrow)
    texts = [(item.section, item.text) for child in content for item in child.items]
    assert ("Ta med", "Gympakläder") in texts
