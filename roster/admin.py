from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent
from accounts.services import audit_record, user_activation_request
from roster import personnummer
from roster.forms import ChildAdminForm
from roster.models import (
    Child,
    Group,
    GroupStaff,
    Guardianship,
    Placement,
    SchoolYear,
    StaffDuty,
    Term,
    Unit,
    active_q,
)
from roster.policy import protected_people_q, staff_unit_ids_q

# --- The site's access policy in the admin ----------------------------------------------------
#
# A superuser administers the municipality. Anyone else with admin access (is_staff and model
# permissions, e.g. a unit's administrator) sees and edits only their own units – those where
# they have an active duty – and the children placed there, their placements and guardians. An
# object outside that answers "does not exist" (the admin's 404-ish redirect), as on the site.
# Personnummer and address of a child with protected identity are shown to nobody without the
# explicit permission roster.view_protected_identity.

PROTECTED_FIELDS = ("personnummer", "street_address", "postal_code", "city")


def admin_unit_ids(request):
    """None for a superuser (everything); else a subquery of the user's own units."""
    if request.user.is_superuser:
        return None
    return staff_unit_ids_q(request.user)


def admin_child_ids(request):
    units = admin_unit_ids(request)
    if units is None:
        return None
    return Placement.objects.filter(active_q(on=timezone.localdate()), unit_id__in=units).values("child_id")


def admin_people_ids(request):
    """None for a superuser; else a subquery of the ids of the people of the user's own units:
    staff with a duty there, guardians of children placed there, those children's own accounts."""
    from django.db.models import Q

    from accounts.models import User

    units = admin_unit_ids(request)
    if units is None:
        return None
    children = admin_child_ids(request)
    return User.objects.filter(
        Q(pk__in=StaffDuty.objects.filter(active_q(), unit_id__in=units).values("user_id"))
        | Q(pk__in=Guardianship.objects.filter(active_q(), child_id__in=children).values("guardian_id"))
        | Q(child_record__in=children)
    ).values("pk")


def may_see_protected(request) -> bool:
    return request.user.has_perm("roster.view_protected_identity")


# --- Telling namesakes apart in the autocomplete fields (config/admin_site.py) ---------------


def birth_date_of(number: str | None):
    """The birth date in a personnummer or samordningsnummer, or None."""
    if not number:
        return None
    try:
        return personnummer.parse(number).birth_date
    except ValidationError:
        return None


def _born(day) -> str:
    return _("f. %(date)s") % {"date": day.isoformat()}


def person_labels(request, users) -> dict[int, str]:
    """Labels like "Anna Andersson · anna@example.se · f. 1985-04-12", one per user. The birth date is left
    out for a person whose details would reveal a protected identity (roster.policy), unless the
    admin user has roster.view_protected_identity. One query (none with the permission)."""
    from accounts.models import User

    hidden: set[int] = set()
    if not may_see_protected(request):
        hidden = set(
            User.objects.filter(protected_people_q(), pk__in=[u.pk for u in users]).values_list("pk", flat=True)
        )
    labels = {}
    for user in users:
        name = user.get_full_name()
        parts = [name, user.email] if name else [user.email]
        born = None if user.pk in hidden else birth_date_of(user.personnummer)
        if born:
            parts.append(_born(born))
        labels[user.pk] = " · ".join(str(p) for p in parts)
    return labels


def child_labels(request, children) -> dict[int, str]:
    """Labels like "Alva Andersson · f. 2022-03-01"; no birth date for a child with protected identity
    unless the admin user has the permission. No query."""
    see_protected = may_see_protected(request)
    labels = {}
    for child in children:
        parts = [child.full_name]
        if child.date_of_birth and (see_protected or not child.protected_identity):
            parts.append(_born(child.date_of_birth))
        labels[child.pk] = " · ".join(str(p) for p in parts)
    return labels


class UnitScopedAdmin(admin.ModelAdmin):
    """ModelAdmin limited to the user's own units: `scope(request, queryset)` filters the list
    and every object lookup (change, delete, history), and foreign-key choices are limited too."""

    def scope(self, request, queryset):
        raise NotImplementedError

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else self.scope(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        _limit_choices(field, db_field.related_model, request)
        return field


def _limit_choices(field, model, request) -> None:
    if field is None or request.user.is_superuser:
        return
    units = admin_unit_ids(request)
    if model is Unit:
        field.queryset = field.queryset.filter(pk__in=units)
    elif model is Group:
        field.queryset = field.queryset.filter(unit_id__in=units)
    elif model is Child:
        field.queryset = field.queryset.filter(pk__in=admin_child_ids(request))


class ScopedInlineMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        _limit_choices(field, db_field.related_model, request)
        return field


class ProtectedChildAdminForm(ChildAdminForm):
    """The admin form of a child with protected identity for someone without the permission:
    no personnummer, no address (neither shown nor changeable)."""

    personnummer = None

    class Meta(ChildAdminForm.Meta):
        fields = [f for f in ChildAdminForm.Meta.fields if f not in PROTECTED_FIELDS]


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


class GroupInline(ScopedInlineMixin, admin.StackedInline):
    model = Group
    extra = 0
    fields = ["name", "kind", "grade"]
    show_change_link = True


class StaffDutyInline(ScopedInlineMixin, admin.StackedInline):
    model = StaffDuty
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(UnitScopedAdmin):
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

    def scope(self, request, queryset):
        return queryset.filter(pk__in=admin_unit_ids(request))

    def has_add_permission(self, request):
        # New units are the municipality's decision.
        return request.user.is_superuser and super().has_add_permission(request)


class TermInline(admin.StackedInline):
    model = Term
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]
    inlines = [TermInline]


class GroupStaffInline(ScopedInlineMixin, admin.StackedInline):
    model = GroupStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Group)
class GroupAdmin(UnitScopedAdmin):
    list_display = ["name", "unit", "kind", "grade"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    inlines = [GroupStaffInline]

    def get_queryset(self, request):
        # str(group) names its unit: the autocomplete's results read it without a query each.
        return super().get_queryset(request).select_related("unit")

    def scope(self, request, queryset):
        return queryset.filter(unit_id__in=admin_unit_ids(request))


class GuardianshipInline(ScopedInlineMixin, admin.StackedInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ["guardian"]
    verbose_name = _("vårdnadshavare")
    verbose_name_plural = _("vårdnadshavare")


class PlacementInline(ScopedInlineMixin, admin.StackedInline):
    model = Placement
    extra = 0
    autocomplete_fields = ["group"]
    fields = ["unit", "group", "start_date", "end_date"]

    def get_queryset(self, request):
        # A child placed in two units: each unit's administrator sees and edits their own placement.
        queryset = super().get_queryset(request)
        units = admin_unit_ids(request)
        return queryset if units is None else queryset.filter(unit_id__in=units)


@admin.register(Child)
class ChildAdmin(UnitScopedAdmin):
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

    def scope(self, request, queryset):
        return queryset.filter(pk__in=admin_child_ids(request))

    def autocomplete_labels(self, request, objects):
        return child_labels(request, objects)

    def _hides_protected(self, request, obj) -> bool:
        return obj is not None and obj.protected_identity and not may_see_protected(request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._hides_protected(request, obj):
            return fieldsets
        hidden = []
        for name, options in fieldsets:
            fields = [f for f in options["fields"] if f not in PROTECTED_FIELDS]
            if fields:
                hidden.append((name, {**options, "fields": fields}))
        return hidden

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._hides_protected(request, obj):
            # The declared personnummer field would otherwise stay in the form (and be required).
            kwargs["form"] = ProtectedChildAdminForm
            kwargs["exclude"] = [*(kwargs.get("exclude") or []), *PROTECTED_FIELDS]
        return super().get_form(request, obj, change, **kwargs)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        # Searching by personnummer would tell who has protected identity.
        return fields if may_see_protected(request) else [f for f in fields if f != "personnummer"]

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if may_see_protected(request):
            return columns
        return ["personnummer_unless_protected" if c == "masked_personnummer" else c for c in columns]

    @admin.display(description=_("personnummer"), ordering="personnummer")
    def masked_personnummer(self, obj):
        return obj.personnummer_masked

    @admin.display(description=_("personnummer"))
    def personnummer_unless_protected(self, obj):
        return _("skyddad") if obj.protected_identity else obj.personnummer_masked

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
class GuardianshipAdmin(UnitScopedAdmin):
    list_display = ["guardian", "child", "start_date", "end_date"]
    list_filter = [ActiveFilter]
    search_fields = ["guardian__email", "guardian__last_name", "child__given_name", "child__family_name"]
    autocomplete_fields = ["guardian", "child"]
    list_select_related = ["guardian", "child"]

    def scope(self, request, queryset):
        return queryset.filter(child_id__in=admin_child_ids(request))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            user_activation_request(user=obj.guardian)


@admin.register(StaffDuty)
class StaffDutyAdmin(UnitScopedAdmin):
    list_display = ["user", "unit", "role", "start_date", "end_date"]
    list_filter = ["role", "unit", ActiveFilter]
    search_fields = ["user__email", "user__last_name", "unit__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "unit"]

    def scope(self, request, queryset):
        return queryset.filter(unit_id__in=admin_unit_ids(request))


@admin.register(Placement)
class PlacementAdmin(UnitScopedAdmin):
    list_display = ["child", "unit", "group", "start_date", "end_date"]
    list_filter = ["unit", ActiveFilter]
    search_fields = ["child__given_name", "child__family_name"]
    autocomplete_fields = ["child", "group"]
    list_select_related = ["child", "unit", "group"]

    def scope(self, request, queryset):
        return queryset.filter(unit_id__in=admin_unit_ids(request))
