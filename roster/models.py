from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster import personnummer
from roster.validators import validate_plain_name


def active_q(prefix: str = "", on=None) -> Q:
    """Rows whose [start_date, end_date] covers `on` (today in Stockholm by default)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def overlapping_q(start, end, prefix: str = "") -> Q:
    """Rows whose [start_date, end_date] overlaps [start, end] (an open end runs on)."""
    return Q(**{f"{prefix}start_date__lte": end}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": start})
    )


class DatedQuerySet(models.QuerySet):
    """Guardianships, duties and placements decide who sees whom, and cached viewers and Hub
    boxes are built from them: every write here bumps their cache generations, bulk writes
    too (save() and delete() do it through roster/signals.py)."""

    def active(self, on=None):
        return self.filter(active_q(on=on))

    def overlapping(self, start, end):
        """The rows (placements, guardianships, duties) that overlap [start, end]."""
        return self.filter(overlapping_q(start, end))

    def update(self, **kwargs):
        from roster.signals import CACHE_FIELDS, rows_changed

        fields = CACHE_FIELDS.get(self.model)
        before = list(self.values(*fields)) if fields else []  # one query: whom the change concerns
        count = super().update(**kwargs)
        if fields:
            rows_changed(self.model, before, using=self.db)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        from roster.signals import CACHE_FIELDS, rows_changed

        created = super().bulk_create(objs, *args, **kwargs)
        fields = CACHE_FIELDS.get(self.model)
        if fields:
            rows_changed(self.model, [{f: getattr(o, f) for f in fields} for o in created], using=self.db)
        return created


class DatedModel(TimeStampedModel):
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})

    def is_active(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class Unit(TimeStampedModel):
    class Kind(models.TextChoices):
        FORSKOLA = "forskola", _("Förskola")
        GRUNDSKOLA = "grundskola", _("Grundskola")
        FRITIDSHEM = "fritidshem", _("Fritidshem")

    name = models.CharField(_("namn"), max_length=120, validators=[validate_plain_name])
    kind = models.CharField(_("verksamhetsform"), max_length=20, choices=Kind.choices)
    school = models.ForeignKey(
        "self",
        verbose_name=_("hör till skola"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="afterschool_units",
        limit_choices_to={"kind": "grundskola"},
        help_text=_("För ett fritidshem: skolan det hör till."),
    )
    code = models.CharField(_("enhetskod"), max_length=40, blank=True, help_text=_("SS 12000 / skolenhetskod"))

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.school_id and self.kind != self.Kind.FRITIDSHEM:
            raise ValidationError({"school": _("Bara ett fritidshem kan höra till en skola.")})


class SchoolYear(TimeStampedModel):
    name = models.CharField(_("namn"), max_length=20, unique=True, help_text=_("t.ex. 2026/27"))
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"))

    class Meta:
        verbose_name = _("läsår")
        verbose_name_plural = _("läsår")
        ordering = ["-start_date"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})


class Term(TimeStampedModel):
    class Kind(models.TextChoices):
        HT = "HT", _("Hösttermin")
        VT = "VT", _("Vårtermin")

    school_year = models.ForeignKey(SchoolYear, verbose_name=_("läsår"), on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(_("termin"), max_length=2, choices=Kind.choices)
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"))

    class Meta:
        verbose_name = _("termin")
        verbose_name_plural = _("terminer")
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "kind"], name="term_unique_kind_per_year"),
        ]

    def __str__(self):
        year = self.start_date.year if self.start_date else ""
        return f"{self.kind} {year}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})


class Group(TimeStampedModel):
    class Kind(models.TextChoices):
        KLASS = "klass", _("Klass")
        AVDELNING = "avdelning", _("Förskoleavdelning")
        FRITIDSGRUPP = "fritidsgrupp", _("Fritidsgrupp")
        UNDERVISNINGSGRUPP = "undervisningsgrupp", _("Undervisningsgrupp")

    class Grade(models.TextChoices):
        F = "F", _("Förskoleklass")
        G1 = "1", "1"
        G2 = "2", "2"
        G3 = "3", "3"
        G4 = "4", "4"
        G5 = "5", "5"
        G6 = "6", "6"
        G7 = "7", "7"
        G8 = "8", "8"
        G9 = "9", "9"

    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("namn"), max_length=80, validators=[validate_plain_name])
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    grade = models.CharField(_("årskurs"), max_length=1, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = _("klass eller grupp")
        verbose_name_plural = _("klasser och grupper")  # "Grupper" is the admin's permission groups
        ordering = ["unit__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="group_unique_name_per_unit"),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit.name})"


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user, on=None):
        """The one place that answers which children a user may see. See roster.policy."""
        from roster import policy

        return policy.children_visible_to(user, queryset=self, on=on)


class Child(TimeStampedModel):
    given_name = models.CharField(_("förnamn"), max_length=80, validators=[validate_plain_name])
    family_name = models.CharField(_("efternamn"), max_length=80, validators=[validate_plain_name])
    personnummer = models.CharField(
        _("personnummer"),
        max_length=12,
        unique=True,
        validators=[personnummer.validate_personnummer],
        help_text=_("Personnummer eller samordningsnummer, ÅÅÅÅMMDD-NNNN."),
    )
    date_of_birth = models.DateField(_("födelsedatum"))
    protected_identity = models.BooleanField(
        _("skyddad identitet"),
        default=False,
        help_text=_("Visas aldrig i klasslistor, kontaktlistor eller för andra familjer."),
    )
    photo_consent = models.BooleanField(
        _("samtycke till bilder"), default=False, help_text=_("Vårdnadshavarnas samtycke till att barnet syns på bild.")
    )
    street_address = models.CharField(_("adress"), max_length=120, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=60, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("elevkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_record",
    )

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("barn/elev")
        verbose_name_plural = _("barn och elever")
        ordering = ["given_name", "family_name"]
        permissions = [
            # Without it (superusers have every permission) the admin hides personnummer and
            # address of a child with protected identity.
            ("view_protected_identity", _("Kan se personnummer och adress för barn med skyddad identitet")),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        super().clean()
        if self.personnummer:
            try:
                parsed = personnummer.parse(self.personnummer)
            except ValidationError as exc:
                raise ValidationError({"personnummer": exc.messages}) from exc
            self.personnummer = parsed.normalized
            self.date_of_birth = parsed.birth_date

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def personnummer_masked(self) -> str:
        return personnummer.mask(self.personnummer)


class Guardianship(DatedModel):
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vårdnadshavare"),
        on_delete=models.CASCADE,
        related_name="guardianships",
    )
    child = models.ForeignKey(Child, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="guardianships")

    class Meta:
        verbose_name = _("vårdnadshavarskap")
        verbose_name_plural = _("vårdnadshavarskap")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "child", "start_date"], name="guardianship_unique_per_start"),
        ]
        indexes = [
            # children_visible_to(): a guardian's active guardianships.
            models.Index(fields=["guardian", "start_date", "end_date"], name="guardianship_guardian_dates"),
        ]

    def __str__(self):
        return f"{self.guardian} – {self.child}"


class StaffDuty(DatedModel):
    class Role(models.TextChoices):
        PEDAGOG = "pedagog", _("Pedagog/lärare")
        REKTOR = "rektor", _("Rektor")
        ADMINISTRATOR = "administrator", _("Administratör")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personal"), on_delete=models.CASCADE, related_name="duties"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="duties")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.PEDAGOG)

    class Meta:
        verbose_name = _("tjänstgöring")
        verbose_name_plural = _("tjänstgöringar")
        indexes = [
            # staff_units(): a user's active duties.
            models.Index(fields=["user", "start_date", "end_date"], name="duty_user_dates"),
        ]

    def __str__(self):
        return f"{self.user} – {self.unit} ({self.get_role_display()})"


class GroupStaff(DatedModel):
    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        TEACHER = "teacher", _("Lärare")
        PEDAGOG = "pedagog", _("Pedagog")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personal"), on_delete=models.CASCADE, related_name="group_roles"
    )
    group = models.ForeignKey(Group, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.TEACHER)

    class Meta:
        verbose_name = _("personal i grupp")
        verbose_name_plural = _("personal i grupper")

    def __str__(self):
        return f"{self.user} – {self.group.name} ({self.get_role_display()})"


class Placement(DatedModel):
    child = models.ForeignKey(Child, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="placements")
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="placements")
    group = models.ForeignKey(
        Group, verbose_name=_("grupp"), null=True, blank=True, on_delete=models.SET_NULL, related_name="placements"
    )

    class Meta:
        verbose_name = _("placering")
        verbose_name_plural = _("placeringar")
        ordering = ["start_date"]
        indexes = [
            # children_visible_to() for staff: active placements in a set of units.
            models.Index(fields=["unit", "start_date", "end_date"], name="placement_unit_dates"),
        ]

    def __str__(self):
        return f"{self.child} – {self.unit}"

    def clean(self):
        super().clean()
        if self.group_id and self.unit_id and self.group.unit_id != self.unit_id:
            raise ValidationError({"group": _("Gruppen hör inte till den valda enheten.")})


class ClosedPeriod(TimeStampedModel):
    """A day or a period a unit is closed: studiedag, planeringsdag, a closed day or a lov.

    The one place closed days are stored; `roster.calendar` answers "is this a school day /
    care day for this unit" from it. A lov closes schools (grundskola) only: förskola and
    fritidshem stay open for care. Any other kind closes the unit it names (or, without a
    unit, every unit); with a group, only that group's lessons."""

    class Kind(models.TextChoices):
        STUDIEDAG = "studiedag", _("Studiedag")
        PLANERINGSDAG = "planeringsdag", _("Planeringsdag")
        STANGT = "stangt", _("Stängt")
        HOSTLOV = "hostlov", _("Höstlov")
        JULLOV = "jullov", _("Jullov")
        SPORTLOV = "sportlov", _("Sportlov")
        PASKLOV = "pasklov", _("Påsklov")
        SOMMARLOV = "sommarlov", _("Sommarlov")
        LOV = "lov", _("Lov")

    LOV_KINDS = frozenset({"hostlov", "jullov", "sportlov", "pasklov", "sommarlov", "lov"})

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closed_periods",
        help_text=_("Tomt: hela kommunen."),
    )
    group = models.ForeignKey(
        Group, verbose_name=_("grupp"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200, blank=True, help_text=_("Tomt: typens namn."))
    description = models.TextField(_("beskrivning"), blank=True)
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("stängd dag eller lov")
        verbose_name_plural = _("stängda dagar och lov")
        ordering = ["start_date", "id"]
        indexes = [
            # roster.calendar: the periods overlapping a date range.
            models.Index(fields=["start_date", "end_date"], name="closedperiod_dates"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="closedperiod_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.start_date}–{self.end_date}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
        if self.group_id and self.unit_id and self.group.unit_id != self.unit_id:
            raise ValidationError({"group": _("Gruppen hör inte till den valda enheten.")})

    @property
    def is_lov(self) -> bool:
        return self.kind in self.LOV_KINDS

    @property
    def label(self) -> str:
        return self.label_of(title=self.title, kind=self.kind)

    @classmethod
    def label_of(cls, *, title: str, kind: str) -> str:
        """What a closed period is called: its title, or its kind's name without one."""
        return title or str(cls.Kind(kind).label)


class ExternalId(models.Model):
    """Which local row an SS 12000 entity (by its `id`) was imported into, so that a second
    import updates the same row instead of creating another."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("Enhet")
        GROUP = "group", _("Grupp")
        CHILD = "child", _("Barn")
        USER = "user", _("Person")
        PLACEMENT = "placement", _("Placering")
        GUARDIANSHIP = "guardianship", _("Vårdnad")
        DUTY = "duty", _("Tjänstgöring")

    source = models.CharField(_("källa"), max_length=20, default="ss12000")
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    external_id = models.CharField(_("externt id"), max_length=200)
    local_id = models.BigIntegerField(_("lokalt id"))
    seen_at = models.DateTimeField(_("senast i en import"), auto_now=True)

    class Meta:
        verbose_name = _("externt id")
        verbose_name_plural = _("externa id")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "external_id"], name="external_id_unique"),
        ]
        indexes = [
            # "which external id does this local row have" (ending rows missing from a file).
            models.Index(fields=["source", "kind", "local_id"], name="external_id_local"),
        ]

    def __str__(self):
        return f"{self.kind} {self.external_id} → {self.local_id}"
