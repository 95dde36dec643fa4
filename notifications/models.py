from datetime import time

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
        PUSH = "push", _("Webbpush")

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
    # E-mail attachments as [{"name", "content" (text), "mimetype"}], e.g. a booking's .ics.
    attachments = models.JSONField(_("bilagor"), default=list, blank=True)

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


class Notification(TimeStampedModel):
    """One table for everything Skolhubb tells a person, across apps: what happened (kind,
    title), the object it points to, the child it concerns, and whether it was read."""

    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("mottagare")
    )
    kind = models.CharField(_("slag"), max_length=64)  # "<app>.<event>", e.g. "absence.leave_decided"
    title = models.CharField(_("rubrik"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("länk"), max_length=500, blank=True)
    child = models.ForeignKey(
        "roster.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("barn")
    )
    # The object it points to, as "app_label.model" and its primary key.
    source_type = models.CharField(_("objekttyp"), max_length=100, blank=True)
    source_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    dedupe_key = models.CharField(_("unik nyckel"), max_length=200, unique=True, null=True, blank=True)
    # Delivery beyond the list: set when the row was routed (push enqueued, e-mail marked).
    dispatched_at = models.DateTimeField(_("fördelad"), null=True, blank=True)
    # Waits for the next e-mail batch (one mail per person, not one per event).
    email_due = models.BooleanField(_("väntar på e-post"), default=False)

    class Meta:
        verbose_name = _("notis")
        verbose_name_plural = _("notiser")
        ordering = ["-created_at"]
        indexes = [
            # The bell: a person's unread notifications, newest first.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
            # The dispatcher's retry: rows not yet routed to e-mail/push.
            models.Index(fields=["dispatched_at"], name="notification_undispatched_idx"),
            # The e-mail batch: rows waiting for their person's next mail.
            models.Index(fields=["email_due", "recipient"], name="notification_email_due_idx"),
        ]

    def __str__(self):
        return self.title


CHANNELS = ("app", "email", "push")


class NotificationSettings(models.Model):
    """A person's delivery choices. Every channel is on unless switched off here, per kind
    ("kind:channel" in `off`); the evening digest is opt-in."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, primary_key=True, related_name="notification_settings"
    )
    off = models.JSONField(_("avstängda"), default=list, blank=True)
    digest_enabled = models.BooleanField(_("kvällsbrev"), default=False)
    digest_time = models.TimeField(_("kvällsbrevets tid"), default=time(18, 0))
    digest_last_date = models.DateField(_("senaste kvällsbrev gällde"), null=True, blank=True)

    class Meta:
        verbose_name = _("notisinställning")
        verbose_name_plural = _("notisinställningar")
        indexes = [
            # The digest run: people who opted in.
            models.Index(fields=["digest_enabled", "digest_time"], name="notifsettings_digest_idx"),
        ]

    def __str__(self):
        return str(self.user_id)

    def wants(self, kind: str, channel: str) -> bool:
        return f"{kind}:{channel}" not in set(self.off)


class PushSubscription(TimeStampedModel):
    """One browser or phone that accepted web push for a person (its push-service endpoint
    and keys). A gone endpoint (404/410) is deleted on the next send."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(_("adress"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(_("enhet"), max_length=300, blank=True)
    last_success_at = models.DateTimeField(_("senast levererad"), null=True, blank=True)

    class Meta:
        verbose_name = _("push-prenumeration")
        verbose_name_plural = _("push-prenumerationer")
        indexes = [models.Index(fields=["user"], name="pushsub_user_idx")]  # a person's devices

    def __str__(self):
        return f"{self.user_id}: {self.user_agent[:40]}"
