from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel


class HolidaySurvey(TimeStampedModel):
    """A holiday-care survey (lovanmälan): before a lov the principal asks the guardians of
    a fritidshem (or, for the summer, a förskola) which days each child needs care."""

    unit = models.ForeignKey("roster.Unit", verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="+")
    lov_kind = models.CharField(_("lov"), max_length=20)
    title = models.CharField(_("rubrik"), max_length=200)
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"))
    deadline = models.DateField(_("svara senast"))
    opened_by = models.ForeignKey(
        "accounts.User", verbose_name=_("öppnad av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lovanmälan")
        verbose_name_plural = _("lovanmälningar")
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "start_date", "end_date"], name="one_survey_per_unit_and_lov"),
        ]
        indexes = [
            # Open surveys for the units of a family's children (the Hub box).
            models.Index(fields=["unit", "deadline"], name="survey_unit_deadline"),
        ]

    def __str__(self):
        return self.title


class SurveyAnswer(TimeStampedModel):
    """One child's answer for one day of the lov: care (with times) or ledig."""

    survey = models.ForeignKey(HolidaySurvey, on_delete=models.CASCADE, related_name="answers")
    child = models.ForeignKey("roster.Child", verbose_name=_("barn"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("dag"))
    needs_care = models.BooleanField(_("behöver omsorg"))
    start_time = models.TimeField(_("lämnas"), null=True, blank=True)
    end_time = models.TimeField(_("hämtas"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", verbose_name=_("svar av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("svar på lovanmälan")
        verbose_name_plural = _("svar på lovanmälan")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "child", "day"], name="one_answer_per_child_and_day"),
        ]

    def __str__(self):
        return f"{self.child_id} {self.day}"
