"""Demo data for 3B at Norrskolan: this and next week's plans (gym clothes tomorrow), a
published planning and a draft, an assignment with submissions and a conversation, an eTest."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from roster.dates import monday_of
from roster.models import Child, Group, GroupStaff, Placement
from school.models import (
    Assignment,
    AssignmentComment,
    Choice,
    ETest,
    Planning,
    Question,
    Subject,
    Submission,
    WeeklyItem,
    WeeklyPlan,
)
from school.services import letter_sanitise


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _next_school_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def seed(*, today: date, rng: random.Random) -> None:
    group = Group.objects.filter(name="3B", unit__code="DEMO-NORRSKOLAN").first()
    if group is None:
        return
    teacher_id = (
        GroupStaff.objects.filter(group=group, role=GroupStaff.Role.MENTOR).values_list("user_id", flat=True).first()
    )
    subjects = {s.code: s for s in Subject.objects.all()}
    pupils = list(
        Child.objects.filter(id__in=Placement.objects.filter(group=group).values("child_id")).order_by("given_name")
    )
    elias = next((c for c in pupils if c.user_id), None)
    now = timezone.now()

    # --- Weekly plans: this week and next, both published; gym clothes tomorrow ------------
    monday = monday_of(today)
    tomorrow = _next_school_day(today)
    letters = {
        monday: "Hej alla familjer!\n\nDen här veckan arbetar vi vidare med vikingatiden och "
        "multiplikationstabellerna. På <strong>tisdag</strong> har vi idrott – glöm inte gympakläder.\n\n"
        "Hälsningar Lars",
        monday + timedelta(days=7): "Hej!\n\nNästa vecka har vi läsvecka. Ta gärna med en egen bok hemifrån.",
    }
    plans = WeeklyPlan.objects.bulk_create(
        [
            WeeklyPlan(
                group=group,
                monday=m,
                letter=letter_sanitise(text),
                publish_at=now - timedelta(days=2 if m == monday else 0, hours=1),
                created_by_id=teacher_id,
            )
            for m, text in letters.items()
        ]
    )
    by_monday = {p.monday: p for p in plans}
    items = [
        (tomorrow, WeeklyItem.Kind.BRING, "Gympakläder"),
        (monday + timedelta(days=2), WeeklyItem.Kind.HOMEWORK, "Läs kapitel 3 i Vikingaboken"),
        (monday + timedelta(days=3), WeeklyItem.Kind.TEST, "Läxförhör: 6:ans tabell"),
        (monday + timedelta(days=4), WeeklyItem.Kind.EVENT, "Utflykt till museet – packad lunch"),
        (monday + timedelta(days=8), WeeklyItem.Kind.BRING, "En egen bok"),
    ]
    WeeklyItem.objects.bulk_create(
        [
            WeeklyItem(plan=by_monday[monday_of(day)], day=day, kind=kind, text=text)
            for day, kind, text in items
            if monday_of(day) in by_monday
        ]
    )

    # --- Plannings: one published, one draft ---------------------------------------------
    Planning.objects.bulk_create(
        [
            Planning(
                group=group,
                subject=subjects["SO"],
                title="Vikingatiden",
                start_monday=monday - timedelta(weeks=2),
                end_monday=monday + timedelta(weeks=4),
                learn="Hur vikingarna levde, reste och handlade.\nSkillnader mellan då och nu.",
                how="Vi läser, ser film, bygger en vikingaby i lera och skriver faktatexter.",
                assessed="Faktatexten och samtal i grupp.",
                criteria="Eleven kan beskriva några drag i vikingatidens samhälle.\nEleven kan jämföra då och nu.",
                state=Planning.State.PUBLISHED,
                published_at=now - timedelta(weeks=2),
                created_by_id=teacher_id,
            ),
            Planning(
                group=group,
                subject=subjects["MA"],
                title="Bråk – utkast",
                start_monday=monday + timedelta(weeks=1),
                end_monday=monday + timedelta(weeks=3),
                learn="Halvor, tredjedelar och fjärdedelar.",
                created_by_id=teacher_id,
            ),
        ]
    )

    # --- An assignment with submissions and a conversation ---------------------------------
    assignment = Assignment.objects.create(
        group=group,
        subject=subjects["SV"],
        title="Skriv om din favoritbok",
        instructions="Skriv en halv sida om en bok du tycker om. Berätta vad den handlar om och varför du gillar den.",
        deadline=_at(today + timedelta(days=4), 16),
        allow_late=True,
        criteria="Texten har en inledning, en handling och ett slut.",
        state=Assignment.State.PUBLISHED,
        created_by_id=teacher_id,
    )
    writers = [c for c in pupils if c.user_id is None][:4]
    Submission.objects.bulk_create(
        [
            Submission(
                assignment=assignment,
                child=c,
                text=f"Min favoritbok handlar om ett äventyr. ({c.given_name})",
                submitted_at=now - timedelta(hours=3 + i),
                status=Submission.Status.DONE if i == 0 else Submission.Status.SUBMITTED,
            )
            for i, c in enumerate(writers)
        ]
    )
    if elias is not None:
        AssignmentComment.objects.bulk_create(
            [
                AssignmentComment(
                    assignment=assignment,
                    child=elias,
                    author_id=elias.user_id,
                    text="Får jag skriva om en serietidning?",
                ),
                AssignmentComment(
                    assignment=assignment,
                    child=elias,
                    author_id=teacher_id,
                    text="Ja, det går bra! Berätta vilken serie och varför du gillar den.",
                ),
            ]
        )

    # --- An eTest, open for a week ---------------------------------------------------------
    etest = ETest.objects.create(
        group=group,
        subject=subjects["MA"],
        title="Multiplikation 3B",
        instructions="Svara på frågorna. Dina svar sparas medan du skriver.",
        opens_at=_at(today - timedelta(days=1), 8),
        closes_at=_at(today + timedelta(days=7), 16),
        time_limit_minutes=30,
        state=ETest.State.PUBLISHED,
        created_by_id=teacher_id,
    )
    q1, q2, q3 = Question.objects.bulk_create(
        [
            Question(etest=etest, position=1, kind=Question.Kind.SINGLE, text="Vad är 6 · 7?", points=1),
            Question(
                etest=etest, position=2, kind=Question.Kind.MULTIPLE, text="Vilka tal finns i 4:ans tabell?", points=2
            ),
            Question(
                etest=etest, position=3, kind=Question.Kind.TEXT, text="Förklara hur du räknar ut 8 · 5.", points=2
            ),
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(question=q1, text="36"),
            Choice(question=q1, text="42", correct=True),
            Choice(question=q1, text="48"),
            Choice(question=q2, text="12", correct=True),
            Choice(question=q2, text="18"),
            Choice(question=q2, text="28", correct=True),
        ]
    )
