from django.contrib import admin

from messaging.models import Conversation, Participant
from roster.admin_scope import ScopedChoicesInlineMixin, UnitScopeMixin


class ParticipantInline(ScopedChoicesInlineMixin, admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Conversation)
class ConversationAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["subject", "kind", "child", "group", "last_message_at"]
    list_filter = ["kind"]
    raw_id_fields = ["child", "group", "started_by"]
    inlines = [ParticipantInline]
