from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster.models import Child, Group


class Round(TimeStampedModel):
    """One round of development talks for a group (e.g. "Utvecklingssamtal HT 2026"):
    the mentor's published slots and the deadline for booking, changing and cancelling."""

    group = models.ForeignKey(Group, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="talk_rounds")
    title = models.CharField(_("rubrik"), max_length=200)
    deadline = models.DateTimeField(_("boka, ändra och avboka senast"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mentor"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("samtalsomgång")
        verbose_name_plural = _("samtalsomgångar")
        ordering = ["-deadline"]

    def __str__(self):
        return f"{self.title} ({self.group.name})"


class Slot(TimeStampedModel):
    round = models.ForeignKey(Round, verbose_name=_("omgång"), on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("börjar"))
    minutes = models.PositiveSmallIntegerField(_("längd (minuter)"), default=20)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    video_url = models.URLField(_("videolänk"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("samtalstid")
        verbose_name_plural = _("samtalstider")
        ordering = ["starts_at", "id"]
        indexes = [
            # bookable slots from now on (Hub box, booking page, reminders)
            models.Index(fields=["starts_at"], name="talkslot_starts"),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.minutes)


class Booking(TimeStampedModel):
    """A slot booked for a child. One booking per slot (never double-booked) and one per
    child and round: both are database constraints, and the service locks the slot row."""

    slot = models.OneToOneField(Slot, verbose_name=_("tid"), on_delete=models.CASCADE, related_name="booking")
    round = models.ForeignKey(Round, verbose_name=_("omgång"), on_delete=models.CASCADE, related_name="bookings")
    child = models.ForeignKey(Child, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="talk_bookings")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bokad av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(_("påminnelse skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("bokning")
        verbose_name_plural = _("bokningar")
        constraints = [
            models.UniqueConstraint(fields=["round", "child"], name="talkbooking_one_per_child_and_round"),
        ]

    def __str__(self):
        return f"{self.child} – {self.slot}"
