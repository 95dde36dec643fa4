from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hub.models import Event, NewsAttachment, NewsItem, NewsLink, UnitBoxes
from hub.registry import registry
from roster.admin_scope import ScopedChoicesInlineMixin, UnitScopeMixin


class NewsLinkInline(ScopedChoicesInlineMixin, admin.TabularInline):
    model = NewsLink
    extra = 0


class NewsAttachmentInline(ScopedChoicesInlineMixin, admin.TabularInline):
    model = NewsAttachment
    extra = 0
    fields = ["name", "file", "size"]
    readonly_fields = ["size"]


@admin.register(NewsItem)
class NewsItemAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "group", "publish_at", "expires_at", "author"]
    list_filter = ["unit"]
    search_fields = ["title", "body"]
    date_hierarchy = "publish_at"
    list_select_related = ["unit", "group", "author"]
    autocomplete_fields = ["group"]
    inlines = [NewsLinkInline, NewsAttachmentInline]


@admin.register(Event)
class EventAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["title", "event_type", "start_date", "end_date", "unit", "group"]
    list_filter = ["event_type", "unit"]
    search_fields = ["title", "description"]
    date_hierarchy = "start_date"
    list_select_related = ["unit", "group"]
    autocomplete_fields = ["group"]


class UnitBoxesForm(forms.ModelForm):
    enabled = forms.MultipleChoiceField(
        label=_("Aktiva rutor"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Rutorna som barnens och personalens hubb visar för enheten."),
    )

    class Meta:
        model = UnitBoxes
        fields = ["unit", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled"].choices = registry.choices()
        if not self.instance.pk:
            self.initial.setdefault("enabled", [key for key, _label in registry.choices()])


@admin.register(UnitBoxes)
class UnitBoxesAdmin(UnitScopeMixin, admin.ModelAdmin):
    form = UnitBoxesForm
    list_display = ["unit", "enabled_titles"]
    list_select_related = ["unit"]

    @admin.display(description=_("aktiva rutor"))
    def enabled_titles(self, obj):
        titles = dict(registry.choices())
        return ", ".join(titles.get(key, key) for key in obj.enabled) or "–"
