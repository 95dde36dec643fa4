from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster.models import Group, Term


class Subject(TimeStampedModel):
    name = models.CharField(_("namn"), max_length=80, unique=True)
    code = models.CharField(_("kod"), max_length=10, blank=True, help_text=_("t.ex. MA, SV"))

    class Meta:
        verbose_name = _("ämne")
        verbose_name_plural = _("ämnen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Lesson(TimeStampedModel):
    """A weekly recurring lesson. It is held on its weekday within its term (or, without
    a term, every week), except on holidays and the unit's closed days."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("måndag")
        TUESDAY = 1, _("tisdag")
        WEDNESDAY = 2, _("onsdag")
        THURSDAY = 3, _("torsdag")
        FRIDAY = 4, _("fredag")

    group = models.ForeignKey(Group, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="lessons")
    subject = models.ForeignKey(Subject, verbose_name=_("ämne"), on_delete=models.PROTECT, related_name="lessons")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lärare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    term = models.ForeignKey(
        Term,
        verbose_name=_("termin"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lessons",
        help_text=_("Tom: lektionen gäller varje vecka."),
    )
    weekday = models.PositiveSmallIntegerField(_("veckodag"), choices=Weekday.choices)
    start_time = models.TimeField(_("börjar"))
    end_time = models.TimeField(_("slutar"))
    room = models.CharField(_("sal"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("lektion")
        verbose_name_plural = _("lektioner (schema)")
        ordering = ["weekday", "start_time"]
        indexes = [
            # lessons_for_groups(): a group's weekly timetable.
            models.Index(fields=["group", "weekday"], name="lesson_group_weekday"),
            # lessons_for_teacher(): a teacher's lessons on a weekday.
            models.Index(fields=["teacher", "weekday"], name="lesson_teacher_weekday"),
        ]

    def __str__(self):
        return f"{self.subject} {self.get_weekday_display()} {self.start_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("Lektionen måste sluta efter att den börjar.")})

    @property
    def minutes(self) -> int:
        return (self.end_time.hour * 60 + self.end_time.minute) - (self.start_time.hour * 60 + self.start_time.minute)


# Plannings, weekly plans, assignments and eTest live in their own module (issue 13).
from school.teaching_models import (  # noqa: E402, F401
    Answer,
    Assignment,
    AssignmentAttachment,
    AssignmentComment,
    Attempt,
    Choice,
    ETest,
    Planning,
    PlanningAttachment,
    Question,
    Submission,
    SubmissionFile,
    WeeklyItem,
    WeeklyPlan,
)
