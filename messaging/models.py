from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster.models import Child, Group


class Conversation(TimeStampedModel):
    """A thread between home and school. Who may read it is exactly its participants: the
    recipient list is decided once, when it is started (see messaging.services)."""

    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("Konversation")
        BROADCAST = "broadcast", _("Utskick utan svar")

    subject = models.CharField(_("ämne"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.CONVERSATION)
    child = models.ForeignKey(
        Child, verbose_name=_("gäller barn"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("grupp"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("startad av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    only_this_guardian = models.BooleanField(_("bara till den här vårdnadshavaren"), default=False)
    last_message_at = models.DateTimeField(_("senaste meddelande"), default=timezone.now)

    class Meta:
        verbose_name = _("konversation")
        verbose_name_plural = _("konversationer")
        ordering = ["-last_message_at", "-id"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("messaging:detail", args=[self.pk])

    @property
    def allows_replies(self) -> bool:
        return self.kind == self.Kind.CONVERSATION


class Participant(models.Model):
    class Side(models.TextChoices):
        STAFF = "staff", _("Personal")
        FAMILY = "family", _("Familj")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_roles")
    side = models.CharField(_("sida"), max_length=10, choices=Side.choices)
    last_read_at = models.DateTimeField(_("senast läst"), null=True, blank=True)

    class Meta:
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="participant_unique_per_conversation"),
        ]
        indexes = [
            # the inbox: a user's conversations, newest first
            models.Index(fields=["user", "conversation"], name="participant_user_conv"),
        ]

    def __str__(self):
        return f"{self.user} – {self.conversation}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("avsändare"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("meddelande"))
    created_at = models.DateTimeField(_("skickat"), default=timezone.now)

    class Meta:
        verbose_name = _("meddelande")
        verbose_name_plural = _("meddelanden")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]


def attachment_path(instance, filename):
    # The stored name carries no personal data; the shown name is kept in `name`.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"messages/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
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
