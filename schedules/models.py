"""Care schedules (omsorgstider) for förskola and fritidshem placements.

A child's expected times on a date come from, in order: a closed day or holiday (stängt),
a day change (DayEntry), the base schedule in force on the date (BaseSchedule, optionally
rotating by odd/even ISO week). See schedules.selectors.day_resolve.
"""

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster.models import Child, Unit

CARE_KINDS = (Unit.Kind.FORSKOLA, Unit.Kind.FRITIDSHEM)
DEFAULT_OPENING = time(6, 30)
DEFAULT_CLOSING = time(18, 0)


class UnitHours(TimeStampedModel):
    """Opening hours of a care unit. A unit without a row is open 06:30–18:00."""

    unit = models.OneToOneField(Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="care_hours")
    opening_time = models.TimeField(_("öppnar"), default=DEFAULT_OPENING)
    closing_time = models.TimeField(_("stänger"), default=DEFAULT_CLOSING)

    class Meta:
        verbose_name = _("öppettider")
        verbose_name_plural = _("öppettider")

    def __str__(self):
        return f"{self.unit}: {self.opening_time:%H:%M}–{self.closing_time:%H:%M}"

    def clean(self):
        if self.opening_time and self.closing_time and self.opening_time >= self.closing_time:
            raise ValidationError({"closing_time": _("Stängningstiden måste vara efter öppningstiden.")})


class ScheduleState(models.Model):
    """One row per child: the version for the optimistic check. Every change to the child's
    schedule (base, day changes, staff override) increases it."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="schedule_state", primary_key=True)
    version = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.child_id} v{self.version}"


class BaseSchedule(TimeStampedModel):
    """Times per weekday from start_date until the next base schedule of the child starts.

    `weeks` holds one week (every week) or two (odd ISO weeks first, then even ones); a week
    is five entries Monday–Friday, each ["HH:MM", "HH:MM"] or null for "ledig".
    """

    child = models.ForeignKey(Child, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="base_schedules")
    start_date = models.DateField(_("gäller från"))
    weeks = models.JSONField(_("veckor"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("grundschema")
        verbose_name_plural = _("grundscheman")
        ordering = ["child", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["child", "start_date"], name="baseschedule_unique_start"),
        ]

    def __str__(self):
        return f"{self.child_id} från {self.start_date}"

    @property
    def rotating(self) -> bool:
        return len(self.weeks) == 2


class DayEntry(TimeStampedModel):
    """A day change, a staff override or an absence on one date for one child."""

    class Kind(models.TextChoices):
        TIMES = "times", _("Tider")
        LEDIG = "ledig", _("Ledig")
        BASE = "base", _("Enligt grundschemat")

    child = models.ForeignKey(Child, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="schedule_days")
    date = models.DateField(_("datum"))
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.BASE)
    start_time = models.TimeField(_("från"), null=True, blank=True)
    end_time = models.TimeField(_("till"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.CharField(_("skäl till ändring inom låsningen"), max_length=300, blank=True)
    absent = models.BooleanField(_("frånvarande"), default=False)
    absent_note = models.CharField(_("frånvaroanteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("schemadag")
        verbose_name_plural = _("schemadagar")
        constraints = [
            models.UniqueConstraint(fields=["child", "date"], name="dayentry_unique_child_date"),
        ]
        indexes = [
            # Day lists and the planning chart: every child's entry on a date or a week.
            models.Index(fields=["date", "child"], name="dayentry_date_child"),
        ]

    def __str__(self):
        return f"{self.child_id} {self.date} {self.kind}"


class DayComment(models.Model):
    """A comment on one day: guardians write, staff answer. `read_at` is set when the other
    side (staff for a guardian's comment, guardians for staff's) has seen it."""

    child = models.ForeignKey(Child, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="schedule_comments")
    date = models.DateField(_("datum"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    by_staff = models.BooleanField(default=False)
    body = models.CharField(_("kommentar"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dagkommentar")
        verbose_name_plural = _("dagkommentarer")
        ordering = ["created_at", "pk"]
        indexes = [
            # The schedule page, the day list and the Hub box: a child's comments in a date range.
            models.Index(fields=["child", "date"], name="daycomment_child_date"),
        ]

    def __str__(self):
        return f"{self.child_id} {self.date}"


class Attendance(models.Model):
    """Check-in and check-out on the day, with who tapped."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_attendance")
    date = models.DateField(_("datum"))
    arrived_at = models.DateTimeField(null=True, blank=True)
    arrived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    left_at = models.DateTimeField(null=True, blank=True)
    left_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(fields=["child", "date"], name="attendance_unique_child_date"),
        ]
        indexes = [
            # The check-in page and the day list: everyone's attendance on a date.
            models.Index(fields=["date", "child"], name="attendance_date_child"),
        ]

    def __str__(self):
        return f"{self.child_id} {self.date}"


class ReminderSent(models.Model):
    """A guardian got the weekly reminder for the ISO week `week` (e.g. '2026-W48')."""

    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "week"], name="remindersent_unique_guardian_week"),
        ]

    def __str__(self):
        return f"{self.guardian_id} {self.week}"
