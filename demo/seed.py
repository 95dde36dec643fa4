"""Demo data: "Demo kommun" with the named demo accounts, and on request a large
municipality of the same shape built with bulk inserts (`seed_demo --pupils 20000`).

Idempotent: a second run finds the demo already there and adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from hub.models import Event, NewsItem
from roster.models import (
    Child,
    Group,
    GroupStaff,
    Guardianship,
    Placement,
    SchoolYear,
    StaffDuty,
    Term,
    Unit,
)
from roster.personnummer import with_check_digit

DEMO_PASSWORD = "skolhubb-demo"  # noqa: S105 - the documented demo password
DEMO_MARKER_CODE = "DEMO-NORRSKOLAN"
DEMO_LOGINS = [
    ("anna.andersson@example.se", "vårdnadshavare till Alva (förskola) och Elias (3B, fritids)"),
    ("bo.berg@example.se", "vårdnadshavare till ett barn i 3B (en annan familj)"),
    ("carin.carlsson@example.se", "vårdnadshavare till tre barn på tre enheter"),
    ("dana.dahl@example.se", "vårdnadshavare till ett barn i 3B med skyddad identitet"),
    ("elev.elias@example.se", "Elias Anderssons elevkonto"),
    ("larare.3b@example.se", "lärare och mentor i 3B"),
    ("pedagog.solen@example.se", "pedagog på Solen, Solrosens förskola"),
    ("fritids@example.se", "personal på Norrskolans fritidshem"),
    ("rektor@example.se", "rektor för Norrskolan och fritidshemmet"),
    ("admin@example.se", "administratör (förvaltningen)"),
]

GIVEN_NAMES = [
    "Alice",
    "Maja",
    "Vera",
    "Ella",
    "Wilma",
    "Alma",
    "Lilly",
    "Olivia",
    "Selma",
    "Astrid",
    "Elsa",
    "Ebba",
    "Signe",
    "Saga",
    "Freja",
    "Agnes",
    "Stella",
    "Ines",
    "Tyra",
    "Nova",
    "Hedda",
    "Juni",
    "Leah",
    "Edith",
    "Noah",
    "Hugo",
    "William",
    "Liam",
    "Lucas",
    "Oscar",
    "Matteo",
    "Elton",
    "Vincent",
    "Nils",
    "Adam",
    "Leo",
    "Alexander",
    "Theo",
    "Ludvig",
    "Charlie",
    "Sixten",
    "Frans",
    "Otto",
    "Malte",
    "Arvid",
    "Folke",
    "Melvin",
    "Sam",
    "Aaron",
    "Omar",
    "Yusuf",
    "Amira",
    "Sara",
    "Ali",
    "Mohammed",
    "Hanna",
    "Linnea",
]
FAMILY_NAMES = [
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Lundin",
    "Håkansson",
    "Björk",
    "Ali",
    "Hussein",
    "Mohamed",
    "Ahmed",
    "Nguyen",
    "Kaya",
    "Novak",
]
ADULT_NAMES = [
    "Karin",
    "Lena",
    "Maria",
    "Anna",
    "Eva",
    "Sofia",
    "Jenny",
    "Emma",
    "Sara",
    "Linda",
    "Malin",
    "Camilla",
    "Peter",
    "Johan",
    "Anders",
    "Mikael",
    "Erik",
    "Fredrik",
    "Daniel",
    "Magnus",
    "Per",
    "Jonas",
    "Martin",
    "Ahmed",
    "Fatima",
    "Mehmet",
    "Leila",
    "Tomas",
    "Helena",
    "Petra",
    "Niklas",
]
GRADES = ["F", "1", "2", "3", "4", "5", "6", "7", "8", "9"]


# Domain apps add their demo data in their own `APP/demo.py`: a function
# `seed(*, today, rng)` called after the core data is written, inside the same transaction,
# in INSTALLED_APPS order (config.plugins). Keep it bulk (one INSERT per model) so
# `--pupils 20000` stays fast.
def app_seeders() -> list:
    from config.plugins import app_modules

    return [module.seed for module in app_modules("demo") if hasattr(module, "seed")]


@dataclass
class SeedResult:
    created: bool
    children: int = 0
    users: int = 0
    units: int = 0


def school_year_bounds(today: date) -> tuple[date, date]:
    start_year = today.year if today.month >= 7 else today.year - 1
    return date(start_year, 8, 1), date(start_year + 1, 6, 30)


class Builder:
    """Collects rows and writes them in bulk (one INSERT per batch and model)."""

    def __init__(self, today: date, rng: random.Random):
        self.today = today
        self.rng = rng
        self.password = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 is slow on purpose
        self.users: list[User] = []
        self.children: list[Child] = []
        self.guardianships: list[tuple[User, Child]] = []
        self.placements: list[tuple[Child, Unit, Group | None]] = []
        self.group_staff: list[tuple[User, Group, str]] = []
        self.duties: list[tuple[User, Unit, str]] = []
        self._serials: dict[date, int] = {}
        self.year_start, self.year_end = school_year_bounds(today)

    # -- people --------------------------------------------------------------------------

    def user(self, email: str, first: str, last: str, **extra) -> User:
        user = User(email=email, first_name=first, last_name=last, password=self.password, **extra)
        self.users.append(user)
        return user

    def personnummer(self, born: date) -> str:
        serial = self._serials.get(born, 0) + 1
        if serial > 999:
            born = born + timedelta(days=1)
            return self.personnummer(born)
        self._serials[born] = serial
        nine = f"{born:%y%m%d}{serial:03d}"
        return f"{born:%Y%m%d}{serial:03d}{with_check_digit(nine)}"

    def birth_date_for_grade(self, grade: str | None, preschool_age: int | None = None) -> date:
        if grade is not None:
            age = 6 if grade == "F" else 6 + int(grade)
            year = self.year_start.year - age
        else:
            year = self.today.year - (preschool_age or 3)
        return date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def child(self, given: str, family: str, born: date, **extra) -> Child:
        child = Child(
            given_name=given,
            family_name=family,
            personnummer=self.personnummer(born),
            date_of_birth=born,
            photo_consent=extra.pop("photo_consent", self.rng.random() < 0.85),
            street_address=f"{self.rng.choice(['Storgatan', 'Skolvägen', 'Björkvägen', 'Åsgatan'])} {self.rng.randint(1, 60)}",
            postal_code=f"{self.rng.randint(100, 999)} {self.rng.randint(10, 99)}",
            city="Demostad",
            **extra,
        )
        self.children.append(child)
        return child

    def family(self, prefix: str, index: int, family_name: str, two_guardians: bool = True) -> list[User]:
        guardians = [
            self.user(
                f"{prefix}.{index}a@demo.skolhubb.se",
                self.rng.choice(ADULT_NAMES),
                family_name,
                phone_mobile=f"070-{self.rng.randint(100, 999)} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
            )
        ]
        if two_guardians:
            guardians.append(
                self.user(f"{prefix}.{index}b@demo.skolhubb.se", self.rng.choice(ADULT_NAMES), family_name)
            )
        return guardians

    def place(self, child: Child, unit: Unit, group: Group | None) -> None:
        self.placements.append((child, unit, group))

    def guard(self, guardians: list[User], child: Child) -> None:
        for guardian in guardians:
            self.guardianships.append((guardian, child))

    def fill_group(
        self,
        unit: Unit,
        group: Group,
        count: int,
        prefix: str,
        *,
        grade: str | None,
        fritids: tuple[Unit, Group] | None = None,
        preschool_age: int = 3,
    ) -> None:
        """`count` children with guardians; every fifth child is a sibling in the previous family."""
        previous: tuple[list[User], str] | None = None
        for index in range(count):
            if previous and index % 5 == 4:
                guardians, family_name = previous
            else:
                family_name = self.rng.choice(FAMILY_NAMES)
                guardians = self.family(prefix, index, family_name, two_guardians=self.rng.random() < 0.8)
            child = self.child(
                self.rng.choice(GIVEN_NAMES), family_name, self.birth_date_for_grade(grade, preschool_age)
            )
            self.place(child, unit, group)
            if fritids and self.rng.random() < 0.7:
                self.place(child, *fritids)
            self.guard(guardians, child)
            previous = (guardians, family_name)

    # -- writing ---------------------------------------------------------------------------

    def flush(self) -> None:
        User.objects.bulk_create(self.users, batch_size=2000)
        Child.objects.bulk_create(self.children, batch_size=2000)
        start = self.year_start
        Guardianship.objects.bulk_create(
            [Guardianship(guardian=g, child=c, start_date=c.date_of_birth) for g, c in self.guardianships],
            batch_size=5000,
        )
        Placement.objects.bulk_create(
            [Placement(child=c, unit=u, group=g, start_date=start) for c, u, g in self.placements], batch_size=5000
        )
        StaffDuty.objects.bulk_create(
            [StaffDuty(user=u, unit=unit, role=role, start_date=start) for u, unit, role in self.duties],
            batch_size=5000,
        )
        GroupStaff.objects.bulk_create(
            [GroupStaff(user=u, group=g, role=role, start_date=start) for u, g, role in self.group_staff],
            batch_size=5000,
        )


def _units_for_school(name: str, code: str, prefix: str, classes_per_grade: int) -> tuple[Unit, Unit, dict, list]:
    school = Unit.objects.create(name=name, kind=Unit.Kind.GRUNDSKOLA, code=code)
    fritids = Unit.objects.create(
        name=f"{name}s fritidshem", kind=Unit.Kind.FRITIDSHEM, school=school, code=f"{code}-FRITIDS"
    )
    letters = "ABCD"[:classes_per_grade]
    classes = {}
    groups = []
    for grade in GRADES:
        for letter in letters:
            group = Group(unit=school, name=f"{grade}{letter}", kind=Group.Kind.KLASS, grade=grade)
            groups.append(group)
            classes[f"{grade}{letter}"] = group
    fritids_groups = [Group(unit=fritids, name=name_, kind=Group.Kind.FRITIDSGRUPP) for name_ in ("Myran", "Humlan")]
    Group.objects.bulk_create(groups + fritids_groups)
    return school, fritids, classes, fritids_groups


def _fritids_group_for(grade: str, fritids_groups: list[Group]) -> Group:
    return fritids_groups[0] if grade in {"F", "1"} else fritids_groups[1]


def _school_year_and_terms(today: date) -> None:
    start, end = school_year_bounds(today)
    year = SchoolYear.objects.create(name=f"{start.year}/{str(start.year + 1)[2:]}", start_date=start, end_date=end)
    Term.objects.bulk_create(
        [
            Term(
                school_year=year,
                kind=Term.Kind.HT,
                start_date=date(start.year, 8, 18),
                end_date=date(start.year, 12, 19),
            ),
            Term(
                school_year=year,
                kind=Term.Kind.VT,
                start_date=date(start.year + 1, 1, 8),
                end_date=date(start.year + 1, 6, 12),
            ),
        ]
    )


def _aware(day: date, hour: int = 8) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _weekday(day: date) -> date:
    """The day itself, or the Monday after a weekend (demo events fall on school days)."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _content(today: date, author_by_unit: dict[int, User], units: list[Unit], groups: dict[str, Group]) -> None:
    news: list[NewsItem] = [
        NewsItem(
            title="Välkommen till Skolhubb",
            unit=None,
            group=None,
            publish_at=_aware(today - timedelta(days=20)),
            body="Här samlar kommunen information från förskolor, skolor och fritidshem. "
            "Anmäl frånvaro, läs veckobrev och håll koll på kalendern – allt på ett ställe.",
        ),
        NewsItem(
            title="Ny matsedel för december",
            unit=None,
            group=None,
            publish_at=_aware(today - timedelta(days=2)),
            body="Skolmåltiderna för december är klara. Veckans vegetariska rätt serveras på onsdagar.",
        ),
    ]
    events: list[Event] = []
    for unit in units:
        author = author_by_unit.get(unit.pk)
        if unit.kind == Unit.Kind.FORSKOLA:
            news += [
                NewsItem(
                    title=f"Luciafirande på {unit.name}",
                    unit=unit,
                    author=author,
                    publish_at=_aware(today - timedelta(days=3)),
                    body="Vi firar lucia med sång och lussebullar. Barnen får gärna ha luciakläder.",
                ),
                NewsItem(
                    title="Kläder efter väder",
                    unit=unit,
                    author=author,
                    publish_at=_aware(today - timedelta(days=9)),
                    body="Nu är det kallt ute. Se till att barnen har vantar, mössa och extra strumpor.",
                ),
            ]
            # The preschool's planning day comes with its closed day (schedules.demo).
            events += [
                Event(
                    title="Föräldramöte",
                    event_type=Event.Type.FORALDRAMOTE,
                    unit=unit,
                    all_day=False,
                    start_date=_weekday(today + timedelta(days=5)),
                    end_date=_weekday(today + timedelta(days=5)),
                    start_time=time(18, 0),
                    end_time=time(19, 30),
                ),
            ]
        elif unit.kind == Unit.Kind.GRUNDSKOLA:
            news += [
                NewsItem(
                    title="Information inför jullovet",
                    unit=unit,
                    author=author,
                    publish_at=_aware(today - timedelta(days=1)),
                    body="Sista skoldagen före jul avslutas med gemensam samling i aulan.",
                ),
                NewsItem(
                    title="Skolfotografering",
                    unit=unit,
                    author=author,
                    publish_at=_aware(today - timedelta(days=14)),
                    body="Skolfotograferingen är klar. Beställningslänken kommer med posten.",
                ),
            ]
            events += [
                Event(
                    title="Studiedag",
                    event_type=Event.Type.STUDIEDAG,
                    unit=unit,
                    start_date=_weekday(today + timedelta(days=10)),
                    end_date=_weekday(today + timedelta(days=10)),
                    description="Eleverna är lediga. Fritidshemmet har öppet för anmälda barn.",
                ),
                Event(
                    title="Jullov",
                    event_type=Event.Type.LOV,
                    unit=unit,
                    start_date=date(today.year, 12, 22),
                    end_date=date(today.year + 1, 1, 7),
                ),
            ]
        else:
            news.append(
                NewsItem(
                    title="Fritids har öppet på studiedagen",
                    unit=unit,
                    author=author,
                    publish_at=_aware(today - timedelta(days=4)),
                    body="Anmäl senast på fredag om ditt barn behöver fritids på studiedagen.",
                )
            )
            events.append(
                Event(
                    title="Utflykt till skogen",
                    event_type=Event.Type.UTFLYKT,
                    unit=unit,
                    start_date=_weekday(today + timedelta(days=3)),
                    end_date=_weekday(today + timedelta(days=3)),
                    description="Ta med matsäck och varma kläder.",
                )
            )
    for name, group in groups.items():
        unit = group.unit
        author = author_by_unit.get(unit.pk)
        if group.kind == Group.Kind.KLASS:
            news.append(
                NewsItem(
                    title=f"Veckobrev {name}",
                    unit=unit,
                    group=group,
                    author=author,
                    publish_at=_aware(today - timedelta(days=today.weekday() + 3), 15),
                    body="Den här veckan har vi arbetat med bråk i matematiken och läst om vikingatiden.",
                )
            )
            if group.grade in {"3", "6", "9"}:
                events.append(
                    Event(
                        title="Nationellt prov i svenska",
                        event_type=Event.Type.NATIONELLT_PROV,
                        unit=unit,
                        group=group,
                        start_date=_weekday(today + timedelta(days=8)),
                        end_date=_weekday(today + timedelta(days=8)),
                    )
                )
            events.append(
                Event(
                    title="Utvecklingssamtal",
                    event_type=Event.Type.UTVECKLINGSSAMTAL,
                    unit=unit,
                    group=group,
                    start_date=_weekday(today + timedelta(days=15)),
                    end_date=_weekday(today + timedelta(days=19)),
                    description="Boka tid hos mentorn.",
                )
            )
        elif group.kind == Group.Kind.AVDELNING:
            news.append(
                NewsItem(
                    title=f"Veckan på {group.name}",
                    unit=unit,
                    group=group,
                    author=author,
                    publish_at=_aware(today - timedelta(days=1), 16),
                    body="Vi har målat med vattenfärg och varit i skogen och letat spår.",
                )
            )
    NewsItem.objects.bulk_create(news, batch_size=2000)
    Event.objects.bulk_create(events, batch_size=2000)


@transaction.atomic
def seed_demo(*, pupils: int | None = None, today: date | None = None, seed: int = 2026) -> SeedResult:
    if Unit.objects.filter(code=DEMO_MARKER_CODE).exists():
        return SeedResult(created=False)
    today = today or timezone.localdate()
    rng = random.Random(seed)
    b = Builder(today, rng)
    _school_year_and_terms(today)

    # --- Demo kommun's named units --------------------------------------------------------
    solrosen = Unit.objects.create(name="Solrosens förskola", kind=Unit.Kind.FORSKOLA, code="DEMO-SOLROSEN")
    solen, manen = Group.objects.bulk_create(
        [
            Group(unit=solrosen, name="Solen", kind=Group.Kind.AVDELNING),
            Group(unit=solrosen, name="Månen", kind=Group.Kind.AVDELNING),
        ]
    )
    norr, norr_fritids, classes, fritids_groups = _units_for_school("Norrskolan", DEMO_MARKER_CODE, "norr", 1)
    classes["3B"] = Group.objects.create(unit=norr, name="3B", kind=Group.Kind.KLASS, grade="3")
    classes["6B"] = Group.objects.create(unit=norr, name="6B", kind=Group.Kind.KLASS, grade="6")

    # --- Named accounts -------------------------------------------------------------------
    # Personnummer on record: what an e-ID login matches (the dev provider lists them).
    def pnr(year, month, day):
        return b.personnummer(date(year, month, day))

    admin = b.user(
        "admin@example.se", "Ada", "Administratör", is_staff=True, is_superuser=True, personnummer=pnr(1968, 10, 1)
    )

    anna = b.user(
        "anna.andersson@example.se", "Anna", "Andersson", phone_mobile="070-111 22 33", personnummer=pnr(1986, 4, 12)
    )
    bo = b.user("bo.berg@example.se", "Bo", "Berg", phone_mobile="070-222 33 44", personnummer=pnr(1982, 9, 3))
    carin = b.user(
        "carin.carlsson@example.se", "Carin", "Carlsson", phone_mobile="070-333 44 55", personnummer=pnr(1979, 1, 21)
    )
    dana = b.user("dana.dahl@example.se", "Dana", "Dahl", personnummer=pnr(1990, 6, 30))
    elias_user = b.user("elev.elias@example.se", "Elias", "Andersson")
    larare = b.user("larare.3b@example.se", "Lars", "Lärare", personnummer=pnr(1975, 11, 8))
    pedagog = b.user("pedagog.solen@example.se", "Petra", "Pedagog", personnummer=pnr(1988, 2, 14))
    fritids = b.user("fritids@example.se", "Frida", "Fritidspedagog", personnummer=pnr(1995, 8, 19))
    rektor = b.user("rektor@example.se", "Rut", "Rektor", personnummer=pnr(1970, 3, 5))
    del admin

    alva = b.child("Alva", "Andersson", date(today.year - 4, 5, 12), photo_consent=True)
    elias = b.child("Elias", "Andersson", b.birth_date_for_grade("3"), photo_consent=True, user=elias_user)
    elias_user.personnummer = elias.personnummer  # the student logs in with their own e-ID
    b.place(alva, solrosen, solen)
    b.place(elias, norr, classes["3B"])
    b.place(elias, norr_fritids, fritids_groups[1])
    b.guard([anna], alva)
    b.guard([anna], elias)

    bo_child = b.child("Bella", "Berg", b.birth_date_for_grade("3"))
    b.place(bo_child, norr, classes["3B"])
    b.guard([bo], bo_child)

    carin_kids = [
        (b.child("Cornelia", "Carlsson", date(today.year - 3, 2, 2)), solrosen, manen),
        (b.child("Casper", "Carlsson", b.birth_date_for_grade("6")), norr, classes["6A"]),
        (b.child("Cleo", "Carlsson", b.birth_date_for_grade("1")), norr_fritids, fritids_groups[0]),
    ]
    for child, unit, group in carin_kids:
        b.place(child, unit, group)
        b.guard([carin], child)
    b.place(carin_kids[2][0], norr, classes["1A"])

    dana_child = b.child("Dennis", "Dahl", b.birth_date_for_grade("3"), protected_identity=True, photo_consent=False)
    b.place(dana_child, norr, classes["3B"])
    b.guard([dana], dana_child)

    b.duties += [
        (larare, norr, StaffDuty.Role.PEDAGOG),
        (pedagog, solrosen, StaffDuty.Role.PEDAGOG),
        (fritids, norr_fritids, StaffDuty.Role.PEDAGOG),
        (rektor, norr, StaffDuty.Role.REKTOR),
        (rektor, norr_fritids, StaffDuty.Role.REKTOR),
    ]
    b.group_staff += [
        (larare, classes["3B"], GroupStaff.Role.MENTOR),
        (pedagog, solen, GroupStaff.Role.PEDAGOG),
        (fritids, fritids_groups[0], GroupStaff.Role.PEDAGOG),
        (fritids, fritids_groups[1], GroupStaff.Role.PEDAGOG),
    ]

    # --- Classmates and the rest of Demo kommun: about 150 children ----------------------------
    b.fill_group(solrosen, solen, 14, "solen", grade=None, preschool_age=4)
    b.fill_group(solrosen, manen, 14, "manen", grade=None, preschool_age=2)
    for name, group in classes.items():
        count = 18 if name == "3B" else 9
        fritids_target = (
            (norr_fritids, _fritids_group_for(group.grade, fritids_groups))
            if group.grade in {"F", "1", "2", "3"}
            else None
        )
        b.fill_group(norr, group, count, f"norr{name.lower()}", grade=group.grade, fritids=fritids_target)
    _staff_for_groups(b, norr, [g for n, g in classes.items() if n != "3B"], "norr")
    _staff_for_groups(b, solrosen, [manen], "solrosen")

    units = [solrosen, norr, norr_fritids]
    groups = dict(classes) | {"Solen": solen, "Månen": manen}

    # --- A large municipality of the same shape ---------------------------------------
    if pupils:
        extra = max(0, pupils - 150)
        number = 1
        while extra > 0:
            school, school_fritids, school_classes, school_fritids_groups = _units_for_school(
                f"Skola {number}", f"GEN-{number}", f"s{number}", 2
            )
            preschool = Unit.objects.create(name=f"Förskola {number}", kind=Unit.Kind.FORSKOLA, code=f"GEN-F{number}")
            departments = Group.objects.bulk_create(
                [
                    Group(unit=preschool, name=n, kind=Group.Kind.AVDELNING)
                    for n in ("Ekorren", "Igelkotten", "Räven", "Ugglan")
                ]
            )
            for department in departments:
                take = min(extra, 18)
                b.fill_group(preschool, department, take, f"s{number}{department.name.lower()}", grade=None)
                extra -= take
            for name, group in school_classes.items():
                if extra <= 0:
                    break
                take = min(extra, 22)
                fritids_target = (
                    (school_fritids, _fritids_group_for(group.grade, school_fritids_groups))
                    if group.grade in {"F", "1", "2", "3"}
                    else None
                )
                b.fill_group(school, group, take, f"s{number}{name.lower()}", grade=group.grade, fritids=fritids_target)
                extra -= take
            _staff_for_groups(b, school, list(school_classes.values()), f"s{number}")
            _staff_for_groups(b, preschool, departments, f"s{number}f")
            principal = b.user(f"rektor.{number}@demo.skolhubb.se", "Rektor", f"Skola {number}")
            b.duties += [(principal, school, StaffDuty.Role.REKTOR), (principal, school_fritids, StaffDuty.Role.REKTOR)]
            units += [school, school_fritids, preschool]
            groups |= {f"{school.name} {n}": g for n, g in school_classes.items()}
            groups |= {f"{preschool.name} {d.name}": d for d in departments}
            number += 1

    b.flush()
    author_by_unit = {unit.pk: user for user, unit, _role in b.duties}
    _content(today, author_by_unit, units, groups)
    for seeder in app_seeders():
        seeder(today=today, rng=rng)
    return SeedResult(created=True, children=len(b.children), users=len(b.users), units=len(units))


def _staff_for_groups(b: Builder, unit: Unit, groups: list[Group], prefix: str) -> None:
    for group in groups:
        user = b.user(
            f"personal.{prefix}.{group.name.lower()}@demo.skolhubb.se",
            b.rng.choice(ADULT_NAMES),
            b.rng.choice(FAMILY_NAMES),
        )
        b.duties.append((user, unit, StaffDuty.Role.PEDAGOG))
        role = GroupStaff.Role.MENTOR if group.kind == Group.Kind.KLASS else GroupStaff.Role.PEDAGOG
        b.group_staff.append((user, group, role))
