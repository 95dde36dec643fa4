from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster.models import Group, Unit


def addressed_to(unit_ids, group_ids) -> list[int]:
    """The `AudienceModel.addressed_to` values of what reaches someone in these units and
    groups: the whole municipality (0), these units as a whole (−id), these groups (id)."""
    return [0, *sorted(-u for u in unit_ids), *sorted(group_ids)]


def reaching(unit_ids, group_ids) -> Q:
    """Addressed to the municipality, to one of these units as a whole, or to one of these
    groups (`AudienceModel.reaches` in SQL): one indexed column, whatever the municipality's
    size."""
    return Q(addressed_to__in=addressed_to(unit_ids, group_ids))


class AudienceQuerySet(models.QuerySet):
    def for_viewer(self, viewer):
        """Content addressed to the viewer: the whole municipality, the units and groups of
        their children (or their own as a student), and everything in units they work at."""
        if viewer.is_superuser:
            return self
        return self.filter(
            reaching(viewer.family_unit_ids, viewer.family_group_ids) | Q(unit_id__in=viewer.staff_unit_ids)
        )


class AudienceModel(TimeStampedModel):
    """Addressed to a unit, to one group in it, or (both empty) to the whole municipality."""

    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), null=True, blank=True, on_delete=models.CASCADE)
    group = models.ForeignKey(Group, verbose_name=_("grupp"), null=True, blank=True, on_delete=models.CASCADE)
    # Who it is addressed to as one value, kept by the database: 0 the whole municipality,
    # −unit id a unit as a whole, group id one group. A family's items are then one indexed
    # lookup (`reaching`) instead of three OR-ed conditions, which PostgreSQL answered by
    # reading every item of the municipality in the date range.
    addressed_to = models.GeneratedField(
        expression=Case(
            When(unit__isnull=True, then=Value(0)),
            When(group__isnull=False, then=F("group")),
            default=F("unit") * -1,
            output_field=models.BigIntegerField(),
        ),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )

    class Meta:
        abstract = True

    @property
    def audience_label(self) -> str:
        if self.group_id:
            return f"{self.group.name}, {self.unit.name}"
        if self.unit_id:
            return self.unit.name
        return settings.SKOLHUBB_MUNICIPALITY

    def reaches(self, unit_ids: set[int], group_ids: set[int]) -> bool:
        """Whether this item is addressed to someone in these units/groups (no query)."""
        if self.unit_id is None:
            return True
        if self.group_id is not None:
            return self.group_id in group_ids
        return self.unit_id in unit_ids


class NewsQuerySet(AudienceQuerySet):
    def published(self, now=None):
        now = now or timezone.now()
        return self.filter(publish_at__lte=now).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class NewsItem(AudienceModel):
    title = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skribent"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish_at = models.DateTimeField(_("publiceras"), default=timezone.now)
    expires_at = models.DateTimeField(_("visas till"), null=True, blank=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("nyhet")
        verbose_name_plural = _("nyheter")
        ordering = ["-publish_at", "-id"]
        indexes = [
            # news for the Hub box and list: an audience's newest published first; staff's
            # units through unit_id (hub.selectors._news_rows). Every reader asks by
            # audience: an index on the publish time alone made PostgreSQL read every item of
            # the municipality and filter them.
            models.Index(fields=["addressed_to", "-publish_at"], name="news_addressed_publish"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("hub:news-detail", args=[self.pk])


class NewsLink(models.Model):
    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("länktext"), max_length=200)
    url = models.URLField(_("adress"), max_length=500)

    class Meta:
        verbose_name = _("länk")
        verbose_name_plural = _("länkar")
        ordering = ["id"]

    def __str__(self):
        return self.title


def attachment_path(instance, filename):
    # The stored name carries no personal data; the shown name is kept in `name`.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"news/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class NewsAttachment(TimeStampedModel):
    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to=attachment_path)
    name = models.CharField(_("filnamn"), max_length=200)
    size = models.PositiveIntegerField(_("storlek"), default=0)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Event(AudienceModel):
    class Type(models.TextChoices):
        NATIONELLT_PROV = "nationellt_prov", _("Nationellt prov")
        UTVECKLINGSSAMTAL = "utvecklingssamtal", _("Utvecklingssamtal")
        FORALDRAMOTE = "foraldramote", _("Föräldramöte")
        UTFLYKT = "utflykt", _("Utflykt")
        OVRIGT = "ovrigt", _("Övrigt")

    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    event_type = models.CharField(_("typ"), max_length=30, choices=Type.choices, default=Type.OVRIGT)
    all_day = models.BooleanField(_("heldag"), default=True)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skapad av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AudienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("kalenderhändelse")
        verbose_name_plural = _("kalenderhändelser")
        ordering = ["start_date", "start_time", "id"]
        indexes = [
            # events addressed to someone overlapping a date range (box: coming weeks; page:
            # one month; the calendar feed, the digest); staff's units through unit_id. Every
            # reader asks by audience: an index on the dates alone made PostgreSQL read every
            # event of the municipality in the range and filter them.
            models.Index(fields=["addressed_to", "end_date"], name="event_addressed_end"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("hub:event-detail", args=[self.pk])


class UnitBoxes(models.Model):
    """Which Hub boxes a unit uses. A unit with no row uses every box that fits its kind."""

    unit = models.OneToOneField(Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="hub_boxes")
    enabled = models.JSONField(_("aktiva rutor"), default=list, blank=True)

    class Meta:
        verbose_name = _("rutor i hubben")
        verbose_name_plural = _("rutor i hubben per enhet")

    def __str__(self):
        return str(self.unit)


class FeedToken(TimeStampedModel):
    """A guardian's secret calendar-feed address (webcal://). Anyone holding the token reads
    the family's calendar, so it is long, random, revocable and regenerable."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="feed_token"
    )
    token = models.CharField(_("nyckel"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("kalenderprenumeration")
        verbose_name_plural = _("kalenderprenumerationer")

    def __str__(self):
        return str(self.user)
