from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services
from notifications.models import Notification, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Undelivered mail is found here: filter on "Väntar" or "Gav upp"."""

    list_display = ["subject", "recipients", "state", "attempts", "next_attempt_at", "sent_at", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["subject", "dedupe_key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    @admin.display(description=_("mottagare"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.action(description=_("Försök skicka igen"))
    def retry(self, request, queryset):
        count = services.outbox_retry(message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request, ngettext("%(n)d meddelande köat igen.", "%(n)d meddelanden köade igen.", count) % {"n": count}
        )
        messages.info(request, _("De skickas inom en minut."))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient", "child"]
    date_hierarchy = "created_at"
