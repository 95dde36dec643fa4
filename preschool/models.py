from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel


class FeeRule(TimeStampedModel):
    """The maxtaxa as versioned data: the rule with the latest `valid_from` on or before a
    month applies to it. An administrator adds next year's rule in the admin."""

    valid_from = models.DateField(_("gäller från"), unique=True)
    income_ceiling = models.PositiveIntegerField(_("tak för avgiftsgrundande inkomst (kr/mån)"))
    deduction = models.PositiveIntegerField(
        _("avdrag före procentsatsen (kr/mån)"), default=0, help_text=_("Från 1 juli 2026: 10 000 kr.")
    )
    # Percent of the fee base per child rank (1 = the youngest), per kind of care. A rank
    # beyond the list pays nothing (the fourth child is free).
    forskola_percent = models.JSONField(_("förskola, procent per barn"), default=list)
    fritidshem_percent = models.JSONField(_("fritidshem, procent per barn"), default=list)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("avgiftsregel (maxtaxa)")
        verbose_name_plural = _("avgiftsregler (maxtaxa)")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"Maxtaxa från {self.valid_from:%Y-%m-%d}"


class IncomeReport(TimeStampedModel):
    """A household's monthly income before tax (inkomstuppgift), or "högsta avgift". A newer
    report replaces an older one from its `valid_from` month; history is kept."""

    reported_by = models.ForeignKey(
        "accounts.User", verbose_name=_("lämnad av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    guardians = models.ManyToManyField("accounts.User", verbose_name=_("vuxna i hushållet"), related_name="+")
    other_adults = models.CharField(_("andra vuxna i hushållet"), max_length=200, blank=True)
    children = models.ManyToManyField("roster.Child", verbose_name=_("barn"), related_name="income_reports")
    monthly_income = models.PositiveIntegerField(_("hushållets inkomst per månad före skatt"), null=True, blank=True)
    highest_fee = models.BooleanField(_("jag väljer högsta avgift"), default=False)
    valid_from = models.DateField(_("gäller från månad"))

    class Meta:
        verbose_name = _("inkomstuppgift")
        verbose_name_plural = _("inkomstuppgifter")
        ordering = ["-valid_from", "-created_at"]
        indexes = [
            # The fee list: reports in effect for a month (latest valid_from on or before it).
            models.Index(fields=["valid_from"], name="income_report_valid_from"),
        ]

    def __str__(self):
        return f"Inkomstuppgift från {self.valid_from:%Y-%m}"


class UnitNoticePeriod(TimeStampedModel):
    """How long notice a guardian gives to end a placement at this unit (uppsägningstid)."""

    unit = models.OneToOneField("roster.Unit", verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="+")
    months = models.PositiveSmallIntegerField(_("uppsägningstid (månader)"), default=2)

    class Meta:
        verbose_name = _("uppsägningstid")
        verbose_name_plural = _("uppsägningstider")

    def __str__(self):
        return f"{self.unit}: {self.months} mån"


class PlacementNotice(TimeStampedModel):
    """A guardian's notice to end a placement (uppsägning), confirmed by the principal."""

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar på rektor")
        CONFIRMED = "confirmed", _("Bekräftad")
        WITHDRAWN = "withdrawn", _("Återkallad")

    placement = models.ForeignKey(
        "roster.Placement", verbose_name=_("placering"), on_delete=models.CASCADE, related_name="notices"
    )
    given_by = models.ForeignKey(
        "accounts.User", verbose_name=_("uppsagd av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_last_day = models.DateField(_("önskad sista dag"))
    last_day = models.DateField(_("sista dag"))
    notice_months = models.PositiveSmallIntegerField(_("uppsägningstid (månader)"))
    state = models.CharField(_("läge"), max_length=16, choices=State.choices, default=State.PENDING)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("bekräftad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        verbose_name = _("uppsägning av plats")
        verbose_name_plural = _("uppsägningar av plats")
        ordering = ["-created_at"]
        constraints = [
            # One open notice per placement: a double-clicked submit cannot create two.
            models.UniqueConstraint(
                fields=["placement"], condition=models.Q(state="pending"), name="one_pending_notice_per_placement"
            )
        ]

    def __str__(self):
        return f"Uppsägning {self.placement} – {self.last_day:%Y-%m-%d}"
