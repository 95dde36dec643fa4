"""Demo timetable: subjects and a weekly timetable for every class (bulk inserts only)."""

from __future__ import annotations

import random
from datetime import date, time

from roster.models import Group, GroupStaff, StaffDuty
from school.models import Lesson, Subject

SUBJECTS = [
    ("Svenska", "SV"),
    ("Matematik", "MA"),
    ("Engelska", "EN"),
    ("Naturorienterande ämnen", "NO"),
    ("Samhällsorienterande ämnen", "SO"),
    ("Idrott och hälsa", "IDH"),
    ("Bild", "BL"),
    ("Musik", "MU"),
    ("Slöjd", "SL"),
]
SLOTS = [
    (time(8, 15), time(9, 0)),
    (time(9, 10), time(10, 0)),
    (time(10, 20), time(11, 0)),
    (time(12, 15), time(13, 0)),
    (time(13, 10), time(14, 0)),
]
# Per weekday: the subjects of the day's five slots (codes); the class teacher holds all but the specialists'.
DAYS = [
    ["SV", "MA", "EN", "NO", "BL"],
    ["MA", "SV", "IDH", "SO", "MU"],
    ["SV", "MA", "NO", "EN", "SL"],
    ["MA", "SV", "SO", "IDH", "BL"],
    ["SV", "MA", "EN", "MU", "SO"],
]
SPECIALIST = {"IDH", "MU", "SL"}
ROOMS = ["A1", "A2", "B1", "B2", "C1", "Gympasalen", "Musiksalen", "Slöjdsalen"]


def seed(*, today: date, rng: random.Random) -> None:
    # Subjects are shared by the whole municipality: reuse those already there.
    existing = {s.name: s for s in Subject.objects.all()}
    missing = [Subject(name=n, code=c) for n, c in SUBJECTS if n not in existing]
    existing |= {s.name: s for s in Subject.objects.bulk_create(missing)}
    subjects = {code: existing[name] for name, code in SUBJECTS}
    classes = list(Group.objects.filter(kind=Group.Kind.KLASS).select_related("unit"))
    mentors = {
        gs.group_id: gs.user_id for gs in GroupStaff.objects.filter(role=GroupStaff.Role.MENTOR, group__in=classes)
    }
    staff_by_unit: dict[int, list[int]] = {}
    for unit_id, user_id in StaffDuty.objects.filter(role=StaffDuty.Role.PEDAGOG, unit__kind="grundskola").values_list(
        "unit_id", "user_id"
    ):
        staff_by_unit.setdefault(unit_id, []).append(user_id)
    lessons = []
    for group in classes:
        own = mentors.get(group.pk)
        colleagues = [u for u in staff_by_unit.get(group.unit_id, []) if u != own] or [own]
        specialist = colleagues[group.pk % len(colleagues)]
        room = ROOMS[group.pk % 5]
        for weekday, codes in enumerate(DAYS):
            for (start, end), code in zip(SLOTS, codes, strict=True):
                lessons.append(
                    Lesson(
                        group=group,
                        subject=subjects[code],
                        teacher_id=specialist if code in SPECIALIST else own,
                        weekday=weekday,
                        start_time=start,
                        end_time=end,
                        room={"IDH": "Gympasalen", "MU": "Musiksalen", "SL": "Slöjdsalen"}.get(code, room),
                    )
                )
    Lesson.objects.bulk_create(lessons, batch_size=5000)


# Plannings, weekly plans, assignments and an eTest for 3B (issue 13), after the timetable.
_timetable_seed = seed


def seed(*, today: date, rng: random.Random) -> None:  # noqa: F811
    _timetable_seed(today=today, rng=rng)
    from school.teaching_demo import seed as teaching_seed

    teaching_seed(today=today, rng=rng)
