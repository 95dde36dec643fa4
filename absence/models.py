from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster.models import Child
from school.models import Lesson


class Reason(models.TextChoices):
    SJUK = "sjuk", _("Sjuk")
    LEDIG = "ledig", _("Ledig (beviljad ledighet)")
    ANNAT = "annat", _("Annat")


class AbsenceReport(TimeStampedModel):
    """A guardian's report that a child is away: whole days, or the same part of each day."""

    child = models.ForeignKey(Child, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="absence_reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("anmäld av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="absence_reports",
    )
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"))
    start_time = models.TimeField(_("från klockan"), null=True, blank=True)
    end_time = models.TimeField(_("till klockan"), null=True, blank=True)
    reason = models.CharField(_("orsak"), max_length=10, choices=Reason.choices, default=Reason.SJUK)
    comment = models.CharField(_("kommentar"), max_length=200, blank=True)
    leave = models.OneToOneField(
        "absence.LeaveApplication",
        verbose_name=_("ledighetsansökan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report",
    )
    prompt_sent_on = models.DateField(_("påminnelse skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("frånvaroanmälan")
        verbose_name_plural = _("frånvaroanmälningar")
        ordering = ["-start_date", "-created_at"]
        indexes = [
            # reports_covering(): a child's reports around a date.
            models.Index(fields=["child", "end_date", "start_date"], name="absence_report_child_dates"),
            # absence_today_for_units() and the next-morning prompt: reports ending on/after a day.
            models.Index(fields=["end_date", "start_date"], name="absence_report_dates"),
        ]

    def __str__(self):
        return f"{self.child} {self.start_date}–{self.end_date} ({self.get_reason_display()})"

    @property
    def whole_day(self) -> bool:
        return self.start_time is None

    def covers(self, day, start=None, end=None) -> bool:
        """Whether the report covers `day` (and the time span [start, end) when given)."""
        if not (self.start_date <= day <= self.end_date):
            return False
        if self.whole_day or start is None:
            return True
        return self.start_time < end and self.end_time > start


class LessonAttendance(TimeStampedModel):
    class Status(models.TextChoices):
        PRESENT = "narvarande", _("Närvarande")
        ABSENT = "franvarande", _("Frånvarande")
        LATE = "sen", _("Sen")

    lesson = models.ForeignKey(Lesson, verbose_name=_("lektion"), on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField(_("datum"))
    child = models.ForeignKey(Child, verbose_name=_("elev"), on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("närvaro"), max_length=12, choices=Status.choices)
    late_minutes = models.PositiveSmallIntegerField(_("minuter sen"), default=0)
    valid = models.BooleanField(_("giltig frånvaro"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lektionsnärvaro")
        verbose_name_plural = _("lektionsnärvaro")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "date", "child"], name="attendance_unique_per_lesson_day"),
        ]
        indexes = [
            # absence statistics and the same-day notice: a child's registrations over dates.
            models.Index(fields=["child", "date"], name="attendance_child_date"),
        ]

    def __str__(self):
        return f"{self.child} {self.date} {self.get_status_display()}"


class SameDayNotice(TimeStampedModel):
    """The one same-day e-mail per child and day (Skollagen 7 kap. 17 a §)."""

    child = models.ForeignKey(Child, verbose_name=_("elev"), on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("datum"))
    recipients = models.PositiveSmallIntegerField(_("mottagare"), default=0)

    class Meta:
        verbose_name = _("frånvaromeddelande samma dag")
        verbose_name_plural = _("frånvaromeddelanden samma dag")
        constraints = [models.UniqueConstraint(fields=["child", "date"], name="same_day_notice_once_per_day")]

    def __str__(self):
        return f"{self.child} {self.date}"


class LeaveApplication(TimeStampedModel):
    class State(models.TextChoices):
        AWAITING_CONSENT = "samtycke", _("Väntar på den andra vårdnadshavaren")
        PENDING = "inskickad", _("Väntar på beslut")
        APPROVED = "beviljad", _("Beviljad")
        REJECTED = "avslagen", _("Avslagen")
        WITHDRAWN = "aterkallad", _("Återkallad")

    child = models.ForeignKey(
        Child, verbose_name=_("elev"), on_delete=models.CASCADE, related_name="leave_applications"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sökt av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"))
    reason = models.CharField(_("anledning"), max_length=500)
    state = models.CharField(_("status"), max_length=12, choices=State.choices)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("samtycke från"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("samtycke"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    decision_comment = models.CharField(_("kommentar till beslutet"), max_length=500, blank=True)
    school_days = models.PositiveSmallIntegerField(_("skoldagar"), default=0)

    class Meta:
        verbose_name = _("ledighetsansökan")
        verbose_name_plural = _("ledighetsansökningar")
        ordering = ["-start_date"]
        indexes = [
            # leave_pending_for_units(): applications waiting for a decision.
            models.Index(fields=["state", "start_date"], name="leave_state_start"),
        ]

    def __str__(self):
        return f"{self.child} {self.start_date}–{self.end_date} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.AWAITING_CONSENT, self.State.PENDING)
