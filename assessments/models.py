"""Criteria, assessments (red/yellow/green), grades and the grade catalogue, IUP,
åtgärdsprogram, extra adaptations and notes. Every record about a child is sensitive:
reads and changes are written to accounts.AuditEvent by the services and selectors.

History is kept by inserting: an assessment or a grade is never updated in place; the
newest row per (child, criterion) or (child, subject, term) is the current one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster.models import Child, Term, Unit
from school.models import Subject


class Stage(models.IntegerChoices):
    YEAR_3 = 3, _("Slutet av årskurs 3")
    YEAR_6 = 6, _("Slutet av årskurs 6")
    YEAR_9 = 9, _("Slutet av årskurs 9")


class Criterion(TimeStampedModel):
    """A criterion of the curriculum for a subject at a stage, loaded or edited by an
    administrator in the admin."""

    class Kind(models.TextChoices):
        ACCEPTABLE = "godtagbar", _("Godtagbara kunskaper")
        E = "E", _("Betygskriterium E")
        C = "C", _("Betygskriterium C")
        A = "A", _("Betygskriterium A")

    subject = models.ForeignKey(Subject, verbose_name=_("ämne"), on_delete=models.CASCADE, related_name="criteria")
    stage = models.PositiveSmallIntegerField(_("stadium"), choices=Stage.choices)
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices, default=Kind.ACCEPTABLE)
    short_label = models.CharField(_("kort namn"), max_length=60)
    text = models.TextField(_("kriterium"))
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(_("används"), default=True)

    class Meta:
        verbose_name = _("kriterium")
        verbose_name_plural = _("kriterier")
        ordering = ["subject__name", "stage", "position", "pk"]
        indexes = [
            # criteria_for(): the active criteria of a subject at a stage, in order.
            models.Index(fields=["subject", "stage", "position"], name="criterion_subject_stage"),
        ]

    def __str__(self):
        return f"{self.subject} åk {self.stage}: {self.short_label}"


class Level(models.TextChoices):
    RED = "red", _("Inte ännu")
    YELLOW = "yellow", _("På väg")
    GREEN = "green", _("Uppnått")


LEVEL_RANK = {Level.RED: 1, Level.YELLOW: 2, Level.GREEN: 3}


class Assessment(models.Model):
    """One assessment of one child against one criterion. Append-only: a new assessment
    is a new row, so the progression over time stays visible."""

    child = models.ForeignKey(Child, verbose_name=_("elev"), on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, verbose_name=_("kriterium"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("nivå"), max_length=10, choices=Level.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    assessed_on = models.DateField(_("datum"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bedömd av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sparad"), default=timezone.now)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        ordering = ["child", "criterion", "-created_at", "-pk"]
        indexes = [
            # assessments_for_children(): a set of children's assessments, newest first.
            models.Index(fields=["child", "criterion", "-created_at"], name="assessment_child_criterion"),
        ]

    def __str__(self):
        return f"{self.child} – {self.criterion.short_label}: {self.get_level_display()}"


class GradeValue(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    NONE = "-", _("– (underlag saknas)")


class GradeCatalogue(TimeStampedModel):
    """The principal's grade catalogue of a unit for a term: locked for changes by
    teachers, and published to guardians and students at `publish_at` (betygsdag)."""

    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("termin"), on_delete=models.CASCADE, related_name="+")
    locked_at = models.DateTimeField(_("låst"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("låst av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publish_at = models.DateTimeField(_("betygsdag"), null=True, blank=True)

    class Meta:
        verbose_name = _("betygskatalog")
        verbose_name_plural = _("betygskataloger")
        constraints = [models.UniqueConstraint(fields=["unit", "term"], name="gradecatalogue_unit_term")]

    def __str__(self):
        return f"{self.unit} {self.term}"

    def is_published(self, now=None) -> bool:
        return self.publish_at is not None and self.publish_at <= (now or timezone.now())


class Grade(models.Model):
    """A grade in a subject for a term. Append-only: a change adds a row (with the
    reason when the catalogue was already published); the newest row is the grade."""

    child = models.ForeignKey(Child, verbose_name=_("elev"), on_delete=models.CASCADE, related_name="grades")
    subject = models.ForeignKey(Subject, verbose_name=_("ämne"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("termin"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("betyg"), max_length=1, choices=GradeValue.choices)
    note = models.TextField(_("anteckning"), blank=True)
    change_reason = models.TextField(_("skäl till ändring"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("satt av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sparad"), default=timezone.now)

    class Meta:
        verbose_name = _("betyg")
        verbose_name_plural = _("betyg")
        ordering = ["child", "term", "subject", "-created_at", "-pk"]
        indexes = [
            # grades_for_child() and the guardian's grade page: one child's grades.
            models.Index(fields=["child", "term", "subject", "-created_at"], name="grade_child_term_subject"),
            # the principal's catalogue: a unit's grades for a term.
            models.Index(fields=["unit", "term"], name="grade_unit_term"),
        ]

    def __str__(self):
        return f"{self.child} {self.subject} {self.term}: {self.value}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Delad med hemmet")


class Iup(TimeStampedModel):
    """Individuell utvecklingsplan with written assessments, years 1–5, one per term."""

    child = models.ForeignKey(Child, verbose_name=_("elev"), on_delete=models.CASCADE, related_name="iups")
    term = models.ForeignKey(Term, verbose_name=_("termin"), on_delete=models.PROTECT, related_name="+")
    goals = models.TextField(_("mål"), blank=True)
    school_does = models.TextField(_("det här gör skolan"), blank=True)
    student_does = models.TextField(_("det här gör eleven"), blank=True)
    home_does = models.TextField(_("det här gör hemmet"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mentor"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("delad"), null=True, blank=True)

    class Meta:
        verbose_name = _("IUP")
        verbose_name_plural = _("IUP")
        ordering = ["child", "-term__start_date"]
        constraints = [models.UniqueConstraint(fields=["child", "term"], name="iup_child_term")]

    def __str__(self):
        return f"IUP {self.child} {self.term}"


class WrittenAssessment(models.Model):
    """Skriftligt omdöme in one subject, part of an IUP."""

    iup = models.ForeignKey(Iup, verbose_name=_("IUP"), on_delete=models.CASCADE, related_name="written")
    subject = models.ForeignKey(Subject, verbose_name=_("ämne"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("omdöme"))

    class Meta:
        verbose_name = _("skriftligt omdöme")
        verbose_name_plural = _("skriftliga omdömen")
        ordering = ["subject__name"]
        constraints = [models.UniqueConstraint(fields=["iup", "subject"], name="written_iup_subject")]

    def __str__(self):
        return f"{self.iup} – {self.subject}"


class ActionProgramme(TimeStampedModel):
    """Åtgärdsprogram: drafted by staff, decided by the principal (a decision that can be
    appealed); guardian and student can add their view."""

    child = models.ForeignKey(Child, verbose_name=_("elev"), on_delete=models.CASCADE, related_name="action_programmes")
    needs = models.TextField(_("behov"))
    measures = models.TextField(_("åtgärder"))
    responsibilities = models.TextField(_("vem gör vad"))
    follow_up_on = models.DateField(_("uppföljning"))
    evaluate_on = models.DateField(_("utvärdering"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("upprättat av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("beslutat"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appeal_text = models.TextField(_("hur man överklagar"), blank=True)

    class Meta:
        verbose_name = _("åtgärdsprogram")
        verbose_name_plural = _("åtgärdsprogram")
        ordering = ["child", "-created_at"]

    def __str__(self):
        return f"Åtgärdsprogram {self.child} {self.created_at:%Y-%m-%d}" if self.created_at else "Åtgärdsprogram"


class ProgrammeView(models.Model):
    """The guardian's or the student's own view on an åtgärdsprogram."""

    programme = models.ForeignKey(ActionProgramme, on_delete=models.CASCADE, related_name="views")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("synpunkt"))
    created_at = models.DateTimeField(_("skriven"), default=timezone.now)

    class Meta:
        verbose_name = _("synpunkt på åtgärdsprogram")
        verbose_name_plural = _("synpunkter på åtgärdsprogram")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.programme} – {self.author}"


class ExtraAdaptation(TimeStampedModel):
    """Extra anpassningar: documented separately, no decision."""

    child = models.ForeignKey(Child, verbose_name=_("elev"), on_delete=models.CASCADE, related_name="extra_adaptations")
    subject = models.ForeignKey(
        Subject, verbose_name=_("ämne"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("anpassning"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dokumenterad av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("extra anpassning")
        verbose_name_plural = _("extra anpassningar")
        ordering = ["child", "-created_at"]

    def __str__(self):
        return f"{self.child}: {self.description[:40]}"


class Note(TimeStampedModel):
    """A teacher's note about a student: internal (the child's staff) or shared with
    guardian and student."""

    child = models.ForeignKey(Child, verbose_name=_("elev"), on_delete=models.CASCADE, related_name="assessment_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skriven av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("anteckning"))
    shared = models.BooleanField(_("delad med vårdnadshavare och elev"), default=False)

    class Meta:
        verbose_name = _("anteckning")
        verbose_name_plural = _("anteckningar")
        ordering = ["child", "-created_at"]

    def __str__(self):
        return f"{self.child}: {self.text[:40]}"
