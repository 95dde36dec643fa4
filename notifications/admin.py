from django.contrib import admin, messages
from django.db import connections
from django.db.models import BooleanField, CharField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
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

    def get_queryset(self, request):
        """A superuser sees every message. Other staff with admin access see only messages to
        the people of their own units (roster.admin's rule: staff there, guardians of children
        placed there, those children's own accounts), and only when *every* recipient is one of
        them: a message to anyone else, or to an address that is nobody's account, cannot be
        tied to their units and is left out (its page answers "does not exist")."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        from roster.admin import admin_people_ids

        return _every_recipient_in(queryset, User.objects.filter(pk__in=admin_people_ids(request)))

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


def _every_recipient_in(queryset, people):
    """The messages whose recipients (`to`: e-mail addresses, or the user id of a web push) are
    all among `people`, a User queryset. Runs in the database (a JSON array cannot be searched
    through the ORM on both of our databases): SQLite's json_each, PostgreSQL's
    jsonb_array_elements_text."""
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    column = f"{quote(OutboxMessage._meta.db_table)}.{quote('to')}"
    emails, email_params = people.values("email").query.sql_with_params()
    ids, id_params = people.annotate(id_text=Cast("pk", CharField())).values("id_text").query.sql_with_params()
    if connection.vendor == "postgresql":
        elements, length = f"jsonb_array_elements_text({column}) AS r(value)", f"jsonb_array_length({column})"
    elif connection.vendor == "sqlite":
        elements, length = f"json_each({column}) AS r", f"json_array_length({column})"
    else:  # no other database is supported: show nothing rather than too much
        return queryset.none()
    # Only quoted identifiers and the ORM's own compiled SQL are joined here; values are parameters.
    outsider = f"SELECT 1 FROM {elements} WHERE r.value NOT IN ({emails}) AND r.value NOT IN ({ids})"  # noqa: S608
    condition = RawSQL(  # noqa: S611
        f"({length} > 0 AND NOT EXISTS ({outsider}))", (*email_params, *id_params), output_field=BooleanField()
    )
    return queryset.filter(condition)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient", "child"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        """Other staff than a superuser: only notifications to the people of their own units."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        from roster.admin import admin_people_ids

        return queryset.filter(recipient_id__in=admin_people_ids(request))
