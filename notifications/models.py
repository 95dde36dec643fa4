from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel


class OutboxMessage(TimeStampedModel):
    """A message a service decided to send, stored in the same transaction as the change
    that caused it and delivered afterwards by Celery. Nothing is lost when the broker or
    the mail server is down: the periodic retry picks up what is still pending."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-post")

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar")
        SENT = "sent", _("Skickat")
        FAILED = "failed", _("Gav upp")

    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.EMAIL)
    state = models.CharField(_("läge"), max_length=16, choices=State.choices, default=State.PENDING)
    to = models.JSONField(_("mottagare"), default=list)
    subject = models.CharField(_("ämne"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # One message per key: a retried service or a crashed batch cannot send the same thing twice.
    dedupe_key = models.CharField(_("unik nyckel"), max_length=200, unique=True, null=True, blank=True)
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)

    class Meta:
        verbose_name = _("utgående meddelande")
        verbose_name_plural = _("utgående meddelanden")
        ordering = ["-created_at"]
        indexes = [
            # The periodic retry: pending messages whose next attempt is due.
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
