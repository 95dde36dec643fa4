from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent
from accounts.services import audit_record, user_activation_request
from roster.forms import ChildAdminForm
from roster.models import Child, Group, GroupStaff, Guardianship, Placement, SchoolYear, StaffDuty, Term, Unit


class ActiveFilter(admin.SimpleListFilter):
    title = _("aktiv idag")
    parameter_name = "aktiv"

    def lookups(self, request, model_admin):
        return [("ja", _("Ja")), ("nej", _("Nej"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.active()
        if self.value() == "nej":
            return queryset.exclude(pk__in=queryset.active().values("pk"))
        return queryset


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0
    fields = ["name", "kind", "grade"]
    show_change_link = True


class StaffDutyInline(admin.TabularInline):
    model = StaffDuty
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "school", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inlines = [GroupInline, StaffDutyInline]
    change_list_template = "admin/roster/unit/change_list.html"

    def get_urls(self):
        from django.urls import path

        return [
            path("import-ss12000/", self.admin_site.admin_view(self.import_ss12000), name="roster_unit_import_ss12000"),
            *super().get_urls(),
        ]

    def import_ss12000(self, request):
        """Upload an SS 12000 file; a dry run shows the report first, nothing changed."""
        import json

        from django import forms
        from django.core.exceptions import PermissionDenied, ValidationError
        from django.template.response import TemplateResponse

        from roster.ss12000 import KINDS, ss12000_import

        if not request.user.has_perm("roster.add_unit") or not request.user.has_perm("roster.add_child"):
            raise PermissionDenied

        class ImportForm(forms.Form):
            file = forms.FileField(label=_("SS 12000-fil (JSON)"))
            dry_run = forms.BooleanField(label=_("Provkörning (ändra inget)"), required=False, initial=True)

        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                raw = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
                if not isinstance(raw, dict):
                    raise ValueError
                data = {kind: list(raw.get(kind) or []) for kind in KINDS}
                report = ss12000_import(data, dry_run=form.cleaned_data["dry_run"])
            except (ValueError, UnicodeDecodeError):
                form.add_error(
                    "file",
                    _(
                        "Filen är inte ett JSON-objekt med nycklarna organisations, persons, groups, placements och duties."
                    ),
                )
            except ValidationError as exc:
                form.add_error("file", exc)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importera från SS 12000"),
            "form": form,
            "report": report,
            "dry_run": form.cleaned_data.get("dry_run") if form.is_bound and form.is_valid() else None,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/roster/unit/import_ss12000.html", context)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]
    inlines = [TermInline]


class GroupStaffInline(admin.TabularInline):
    model = GroupStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "grade"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    inlines = [GroupStaffInline]


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ["guardian"]
    verbose_name = _("vårdnadshavare")
    verbose_name_plural = _("vårdnadshavare")


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    autocomplete_fields = ["group"]
    fields = ["unit", "group", "start_date", "end_date"]


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    form = ChildAdminForm
    list_display = ["full_name", "masked_personnummer", "protected_identity", "photo_consent"]
    list_filter = ["protected_identity", "photo_consent", "placements__unit"]
    search_fields = ["given_name", "family_name", "personnummer"]
    inlines = [GuardianshipInline, PlacementInline]
    autocomplete_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["given_name", "family_name", "personnummer", "user"]}),
        (_("Skydd och samtycke"), {"fields": ["protected_identity", "photo_consent"]}),
        (_("Adress"), {"fields": ["street_address", "postal_code", "city"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("personnummer"), ordering="personnummer")
    def masked_personnummer(self, obj):
        return obj.personnummer_masked

    @admin.display(description=_("namn"), ordering="given_name")
    def full_name(self, obj):
        return obj.full_name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # The change page shows personnummer and address: a read of a sensitive record.
        if request.method == "GET" and getattr(response, "status_code", 200) == 200:
            child = Child.objects.filter(pk=object_id).first()
            if child is not None:
                audit_record(request=request, action=AuditEvent.Action.READ, obj=child, child_id=child.pk)
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = AuditEvent.Action.CHANGE if change else AuditEvent.Action.CREATE
        audit_record(request=request, action=action, obj=obj, child_id=obj.pk, details={"fields": form.changed_data})

    def delete_model(self, request, obj):
        audit_record(request=request, action=AuditEvent.Action.DELETE, obj=obj, child_id=obj.pk)
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        created = formset.save()
        if formset.model is Guardianship:
            # A new guardian without a password gets the activation e-mail after commit.
            for guardianship in created:
                user_activation_request(user=guardianship.guardian)
        return created


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ["guardian", "child", "start_date", "end_date"]
    list_filter = [ActiveFilter]
    search_fields = ["guardian__email", "guardian__last_name", "child__given_name", "child__family_name"]
    autocomplete_fields = ["guardian", "child"]
    list_select_related = ["guardian", "child"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            user_activation_request(user=obj.guardian)


@admin.register(StaffDuty)
class StaffDutyAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "start_date", "end_date"]
    list_filter = ["role", "unit", ActiveFilter]
    search_fields = ["user__email", "user__last_name", "unit__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "unit"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["child", "unit", "group", "start_date", "end_date"]
    list_filter = ["unit", ActiveFilter]
    search_fields = ["child__given_name", "child__family_name"]
    autocomplete_fields = ["child", "group"]
    list_select_related = ["child", "unit", "group"]
