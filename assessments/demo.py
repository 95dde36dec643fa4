"""Demo assessments: criteria written for the demo (short texts in the spirit of Lgr22's
criteria, not quotations), Elias's (3B) assessments in three subjects over two rounds, his
IUP and a shared note; grades for Casper (6A, Carin's son: this term's set and locked,
betygsdag ahead) and for a pupil in 7A (last spring's grades from year 6, published); an
åtgärdsprogram for a pupil in 3B. Bulk inserts."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assessments.models import (
    ActionProgramme,
    Assessment,
    Criterion,
    ExtraAdaptation,
    Grade,
    GradeCatalogue,
    Iup,
    Level,
    Note,
    Status,
    WrittenAssessment,
)
from assessments.services import APPEAL_TEXT
from roster.models import Child, Group, GroupStaff, Placement, SchoolYear, StaffDuty, Term, Unit
from school.models import Subject

CRITERIA = {
    3: {
        "Svenska": [
            ("Läser med flyt", "Läser bekanta texter med flyt och berättar kort om vad texten handlar om."),
            ("Skriver berättelser", "Skriver enkla berättelser med början, mitt och slut och stor bokstav och punkt."),
            ("Samtalar", "Lyssnar på andra och berättar om egna upplevelser så att andra förstår."),
        ],
        "Matematik": [
            ("Taluppfattning", "Använder tal upp till 1000 och visar hur tal kan delas upp på olika sätt."),
            ("Räknesätt", "Väljer räknesätt och löser enkla problem i vardagliga situationer."),
            ("Mätning", "Mäter och jämför längd, massa och tid med vanliga enheter."),
        ],
        "Naturorienterande ämnen": [
            ("Årstider", "Beskriver hur naturen förändras under året och ger exempel på orsaker."),
            ("Undersöker", "Gör enkla undersökningar och berättar vad som hände och varför."),
        ],
    },
    6: {
        "Svenska": [
            ("Läsförståelse", "Sammanfattar en text och drar egna slutsatser om det som står mellan raderna."),
            ("Skrivande", "Skriver texter för olika syften med tydlig struktur och varierat språk."),
        ],
        "Matematik": [
            ("Problemlösning", "Löser problem i flera steg och beskriver sina metoder."),
            ("Bråk och procent", "Räknar med bråk, decimaltal och procent i vardagliga sammanhang."),
        ],
        "Engelska": [
            ("Hörförståelse", "Förstår det viktigaste i tydligt tal om bekanta ämnen."),
            ("Skriftlig produktion", "Skriver korta sammanhängande texter om vardagliga ämnen."),
        ],
    },
    9: {
        "Matematik": [
            ("Resonemang", "För välgrundade matematiska resonemang och värderar olika lösningar."),
        ],
        "Svenska": [
            ("Argumentation", "Skriver argumenterande texter som bemöter motargument."),
        ],
    },
}

GRADED_SUBJECTS = ["Svenska", "Matematik", "Engelska", "Idrott och hälsa"]


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed(*, today: date, rng: random.Random) -> None:
    subjects = {s.name: s for s in Subject.objects.all()}
    criteria = []
    for stage, by_subject in CRITERIA.items():
        for name, items in by_subject.items():
            if name not in subjects:
                continue
            for position, (label, text) in enumerate(items):
                criteria.append(
                    Criterion(
                        subject=subjects[name],
                        stage=stage,
                        kind=Criterion.Kind.ACCEPTABLE if stage < 9 else Criterion.Kind.E,
                        short_label=label,
                        text=text,
                        position=position,
                    )
                )
    Criterion.objects.bulk_create(criteria)
    norr = Unit.objects.filter(code="DEMO-NORRSKOLAN").first()
    term = Term.objects.filter(start_date__lte=today, end_date__gte=today).first()
    if norr is None or term is None:
        return
    mentor_of = {
        gs.group.name: gs.user
        for gs in GroupStaff.objects.filter(group__unit=norr, role=GroupStaff.Role.MENTOR).select_related(
            "group", "user"
        )
    }
    rektor = StaffDuty.objects.filter(unit=norr, role=StaffDuty.Role.REKTOR).select_related("user").first()
    _elias(today=today, term=term, teacher=mentor_of.get("3B"), stage3=[c for c in criteria if c.stage == 3])
    _grades(today=today, norr=norr, term=term, mentors=mentor_of, subjects=subjects, rektor=rektor and rektor.user)
    _programme(today=today, teacher=mentor_of.get("3B"), rektor=rektor and rektor.user)


def _elias(*, today, term, teacher, stage3) -> None:
    elias = Child.objects.filter(given_name="Elias", family_name="Andersson").first()
    if elias is None:
        return
    first_round = max(term.start_date + timedelta(days=28), today - timedelta(days=60))
    second_round = today - timedelta(days=7)
    # First round: mostly "on the way"; second: progress in reading and numbers.
    first = {
        0: Level.YELLOW,
        1: Level.RED,
        2: Level.YELLOW,
        3: Level.YELLOW,
        4: Level.YELLOW,
        5: Level.RED,
        6: Level.GREEN,
        7: Level.YELLOW,
    }
    second = {
        0: Level.GREEN,
        1: Level.YELLOW,
        2: Level.GREEN,
        3: Level.GREEN,
        4: Level.YELLOW,
        5: Level.YELLOW,
        6: Level.GREEN,
        7: Level.GREEN,
    }
    comments = {
        0: "Elias läser nu längre kapitelböcker själv och återberättar gärna.",
        3: "Säker på tiotalsövergångar; nästa steg är uppställning.",
        7: "Genomförde sin egen undersökning om vattnets kretslopp.",
    }
    rows = []
    for index, criterion in enumerate(stage3):
        rows.append(
            Assessment(
                child=elias,
                criterion=criterion,
                level=first[index % 8],
                assessed_on=first_round,
                assessed_by=teacher,
                created_at=_aware(first_round, 15),
            )
        )
        rows.append(
            Assessment(
                child=elias,
                criterion=criterion,
                level=second[index % 8],
                comment=comments.get(index, ""),
                assessed_on=second_round,
                assessed_by=teacher,
                created_at=_aware(second_round, 15),
            )
        )
    Assessment.objects.bulk_create(rows)
    iup = Iup.objects.create(
        child=elias,
        term=term,
        goals="Läsa en kapitelbok i veckan och använda uppställning vid addition.",
        school_does="Läsgrupp två gånger i veckan och konkret material i matematiken.",
        student_does="Läser 20 minuter varje dag och frågar när något är svårt.",
        home_does="Läser tillsammans och pratar om boken vid middagen.",
        status=Status.PUBLISHED,
        author=teacher,
        published_at=_aware(today - timedelta(days=5), 16),
    )
    subjects = {c.subject.name: c.subject for c in stage3}
    WrittenAssessment.objects.bulk_create(
        [
            WrittenAssessment(
                iup=iup,
                subject=subjects["Svenska"],
                text="Elias har utvecklat sin läsning mycket och skriver berättelser med tydlig handling.",
            ),
            WrittenAssessment(
                iup=iup,
                subject=subjects["Matematik"],
                text="Elias räknar säkert inom talområdet 0–100 och är på väg mot större tal.",
            ),
            WrittenAssessment(
                iup=iup,
                subject=subjects["Naturorienterande ämnen"],
                text="Elias är nyfiken och ställer egna frågor vid undersökningar.",
            ),
        ]
    )
    Note.objects.bulk_create(
        [
            Note(
                child=elias,
                author=teacher,
                shared=True,
                text="Elias höll en fin redovisning om igelkottar för klassen idag.",
            ),
            Note(child=elias, author=teacher, shared=False, text="Följ upp samarbetet i läsgruppen efter lovet."),
        ]
    )
    ExtraAdaptation.objects.create(
        child=elias,
        subject=subjects["Matematik"],
        description="Får konkret material (tiobasmaterial) vid nya moment.",
        created_by=teacher,
    )


def _previous_spring_term(term: Term) -> Term:
    """The spring term of the school year before the running one (created for the demo)."""
    start_year = term.school_year.start_date.year - 1
    year, _created = SchoolYear.objects.get_or_create(
        name=f"{start_year}/{str(start_year + 1)[2:]}",
        defaults={"start_date": date(start_year, 8, 1), "end_date": date(start_year + 1, 6, 30)},
    )
    spring, _created = Term.objects.get_or_create(
        school_year=year,
        kind=Term.Kind.VT,
        defaults={"start_date": date(start_year + 1, 1, 8), "end_date": date(start_year + 1, 6, 12)},
    )
    return spring


def _grades(*, today, norr, term, mentors, subjects, rektor) -> None:
    """Casper (6A): this term's grades set and locked, betygsdag ahead. A pupil in 7A: last
    spring's grades (year 6) published, this term's set but not published."""
    casper = Child.objects.filter(given_name="Casper", family_name="Carlsson").first()
    group7 = Group.objects.filter(unit=norr, name="7A").first()
    seventh = Child.objects.filter(placements__group=group7).order_by("pk").first() if group7 is not None else None
    spring = _previous_spring_term(term)
    values = ["C", "B", "D", "A", "E", "C"]
    rows = []
    for index, name in enumerate(GRADED_SUBJECTS):
        subject = subjects.get(name)
        if subject is None:
            continue
        if casper is not None:
            rows.append(
                Grade(
                    child=casper,
                    subject=subject,
                    term=term,
                    unit=norr,
                    value=values[index],
                    set_by=mentors.get("6A"),
                    created_at=_aware(today - timedelta(days=2), 14),
                )
            )
        if seventh is not None:
            rows.append(
                Grade(
                    child=seventh,
                    subject=subject,
                    term=spring,
                    unit=norr,
                    value=values[index + 1],
                    set_by=mentors.get("7A"),
                    created_at=_aware(spring.end_date - timedelta(days=10), 14),
                )
            )
            rows.append(
                Grade(
                    child=seventh,
                    subject=subject,
                    term=term,
                    unit=norr,
                    value="-" if name == "Idrott och hälsa" else values[index],
                    note="Underlag saknas på grund av lång frånvaro under terminen."
                    if name == "Idrott och hälsa"
                    else "",
                    set_by=mentors.get("7A"),
                    created_at=_aware(today - timedelta(days=2), 14),
                )
            )
    Grade.objects.bulk_create(rows)
    betygsdag_this_term = term.end_date - timedelta(days=1)
    while betygsdag_this_term.weekday() >= 5:
        betygsdag_this_term -= timedelta(days=1)
    GradeCatalogue.objects.bulk_create(
        [
            GradeCatalogue(
                unit=norr,
                term=spring,
                locked_at=_aware(spring.end_date - timedelta(days=5), 9),
                locked_by=rektor,
                publish_at=_aware(spring.end_date - timedelta(days=1), 15),
            ),
            GradeCatalogue(
                unit=norr,
                term=term,
                locked_at=_aware(today - timedelta(days=1), 9),
                locked_by=rektor,
                publish_at=_aware(betygsdag_this_term, 15),
            ),
        ]
    )


def _programme(*, today, teacher, rektor) -> None:
    group = Group.objects.filter(name="3B", unit__code="DEMO-NORRSKOLAN").first()
    pupil = (
        Child.objects.filter(placements__in=Placement.objects.filter(group=group))
        .exclude(given_name__in=["Elias", "Bella", "Dennis"])
        .order_by("pk")
        .first()
    )
    if pupil is None:
        return
    ActionProgramme.objects.create(
        child=pupil,
        needs="Behöver stöd att komma igång med skrivuppgifter och att hålla fokus under längre arbetspass.",
        measures="Specialpedagog två lektioner i veckan; uppgifter delas upp i mindre steg med bildstöd.",
        responsibilities="Mentor: veckoplan med bildstöd. Specialpedagog: skrivstöd tisdag och torsdag. Hemmet: läser veckoplanen tillsammans på söndagar.",
        follow_up_on=today + timedelta(days=30),
        evaluate_on=today + timedelta(days=75),
        created_by=teacher,
        decided_at=_aware(today - timedelta(days=3), 11),
        decided_by=rektor,
        appeal_text=str(APPEAL_TEXT),
    )
