import operator
from functools import reduce

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import AuditEvent, RetentionRule, User
from accounts.permissions import permission_label
from accounts.services import user_activation_request


class TranslatedPermissionsMixin:
    """The permission pickers show each permission's name in the viewer's language
    ("Kan lägga till barn/elev"), not the English stored in the table (accounts/permissions.py)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(TranslatedPermissionsMixin, BaseGroupAdmin):
    pass


class UserAddForm(forms.ModelForm):
    """An administrator adds a person without a password; they set one from the activation e-mail."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


def _personnummer_digits(word: str) -> str:
    """'19850412-1234' → '198504121234'; '' for a word that is not (part of) a personnummer."""
    digits = word.replace("-", "").replace("+", "")
    return digits if len(digits) >= 4 and digits.isdigit() else ""


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, BaseUserAdmin):
    add_form = UserAddForm
    ordering = ["email"]
    # Plain multiple selects: the two-pane widget's icons carry ARIA attributes axe refuses.
    filter_horizontal = ()
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "has_password"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    search_help_text = _("Sök på namn, e-postadress eller personnummer.")
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personuppgifter"), {"fields": ["first_name", "last_name", "phone_mobile", "phone_home", "phone_work"]}),
        (_("Synlighet"), {"fields": ["share_email", "share_phone"]}),
        (_("Behörigheter"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Datum"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name"]})]
    actions = ["send_activation", "register_extract"]

    def get_queryset(self, request):
        """A superuser sees everyone; other staff with admin access only the people of their own
        units: staff with a duty there, guardians of children placed there, those children's own
        accounts (roster.admin has the same rule for children and placements)."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        from roster.admin import admin_people_ids

        return queryset.filter(pk__in=admin_people_ids(request))

    def get_search_results(self, request, queryset, search_term):
        """Name and e-mail as search_fields says; a word of digits (a hyphen or plus allowed:
        19850412-1234, 850412, 1985) also matches the personnummer – but not that of a person
        whose personnummer would reveal a protected identity, unless the admin user may see
        those (roster.view_protected_identity). The list and the autocomplete fields both
        search this way."""
        from django.db.models import Q
        from django.utils.text import smart_split, unescape_string_literal

        from roster.admin import may_see_protected
        from roster.policy import protected_people_q

        words = [
            unescape_string_literal(w) if w[:1] in {'"', "'"} and w[-1:] == w[:1] else w
            for w in smart_split(search_term)
        ]
        if not any(_personnummer_digits(w) for w in words):
            return super().get_search_results(request, queryset, search_term)
        hidden = None if may_see_protected(request) else protected_people_q()
        for word in words:
            matches = Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            digits = _personnummer_digits(word)
            if digits:
                by_number = Q(personnummer__contains=digits)
                matches |= by_number if hidden is None else by_number & ~hidden
            queryset = queryset.filter(matches)
        return queryset, False

    def autocomplete_labels(self, request, objects):
        from roster.admin import person_labels

        return person_labels(request, objects)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Only a superuser hands out admin access and permissions (no one raises their own).
        return [(name, options) for name, options in fieldsets if name != _("Behörigheter")] + [
            (_("Behörigheter"), {"fields": ["is_active"]})
        ]

    @admin.display(boolean=True, description=_("har lösenord"))
    def has_password(self, obj):
        return obj.has_usable_password()

    @admin.action(description=_("Ta fram registerutdrag (en person)"), permissions=["view"])
    def register_extract(self, request, queryset):
        """GDPR art. 15 on request from the administration: the same extract the person
        downloads with e-ID, for exactly one selected person, audited."""
        import json

        from django.http import HttpResponse

        from accounts.extract import register_extract_build
        from accounts.services import audit_record

        people = list(queryset[:2])
        if len(people) != 1:
            self.message_user(request, _("Välj exakt en person för ett registerutdrag."), messages.ERROR)
            return None
        person = people[0]
        extract = register_extract_build(user=person)
        audit_record(request=request, action="read", obj=person, details={"register_extract": "admin"})
        response = HttpResponse(
            json.dumps(extract, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="registerutdrag-{person.pk}.json"'
        return response

    @admin.action(description=_("Skicka aktiveringsmejl"))
    def send_activation(self, request, queryset):
        sent = sum(1 for user in queryset if user_activation_request(user=user))
        skipped = queryset.count() - sent
        self.message_user(
            request,
            ngettext(
                "Aktiveringsmejl skickas till %(n)d användare.", "Aktiveringsmejl skickas till %(n)d användare.", sent
            )
            % {"n": sent},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _("%(n)d användare har redan ett lösenord och fick inget mejl.") % {"n": skipped},
                messages.WARNING,
            )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the services, never edited."""

    list_display = ["at", "actor_label", "assurance", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type", "assurance"]
    search_fields = ["actor_label", "object_label", "object_id"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        """A superuser reads the whole log. Other staff with admin access read only the rows
        about their own units (roster.admin's rule): about a child placed there, or about a
        unit, a group or another object that belongs to one of their units (a closed day, a
        lesson). A row that cannot be tied to one of their units (a login, an account change,
        an object since deleted) is not theirs to read: it is left out, and its page answers
        "does not exist" like the rest of the admin."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        from roster.admin import admin_child_ids, admin_unit_ids

        return queryset.filter(
            Q(child_id__in=admin_child_ids(request)) | _about_objects_of_units(admin_unit_ids(request))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _as_text(queryset):
    """The primary keys as text, to compare with AuditEvent.object_id."""
    return queryset.annotate(id_text=Cast("pk", CharField())).values("id_text")


def _about_objects_of_units(units) -> Q:
    """Audit rows about a unit in `units` (a subquery of unit ids) or about an object of any
    installed model with a foreign key to a unit or a group of those units. Found by looking at
    the models, so a new app's objects are covered without a list to edit."""
    from django.apps import apps

    from roster.models import Group, Unit

    groups = Group.objects.filter(unit_id__in=units).values("pk")
    about = Q(object_type=Unit._meta.label_lower, object_id__in=_as_text(Unit.objects.filter(pk__in=units)))
    for model in apps.get_models():
        if model is Unit:
            continue  # a unit belongs to itself, not to the school it is attached to
        belongs = [
            Q(**{f"{field.name}__in": units if field.related_model is Unit else groups})
            for field in model._meta.get_fields()
            if field.concrete and field.many_to_one and field.related_model in (Unit, Group)
        ]
        if belongs:
            objects = model._base_manager.filter(reduce(operator.or_, belongs))
            about |= Q(object_type=model._meta.label_lower, object_id__in=_as_text(objects))
    return about


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "keep_months", "note", "updated_at"]
    actions = ["dry_run"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            from django import forms

            from accounts.personal_data import retention_kinds

            choices = [(k, f"{k} – {label}") for k, label in retention_kinds()]
            # A stored rule whose kind no installed app registers any more stays editable.
            stored = set(RetentionRule.objects.values_list("kind", flat=True))
            choices += [(k, k) for k in sorted(stored - {k for k, _l in choices})]
            return forms.ChoiceField(choices=choices, label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.action(description=_("Provkör gallringen (visar vad som skulle tas bort nu)"))
    def dry_run(self, request, queryset):
        from accounts.retention import retention_run

        for line in retention_run(dry_run=True):
            self.message_user(
                request,
                _("%(model)s: %(count)d poster äldre än %(cutoff)s skulle gallras.")
                % {"model": line.model, "count": line.count, "cutoff": line.cutoff.isoformat()},
            )


# --- Third-party apps' admins under the same unit scope -----------------------------------------
#
# axes' login attempts and logs hold usernames and IP addresses that cannot be tied to a unit:
# superuser-only (others get an empty list). allauth's sign-in addresses reach a person: staff
# who are not superusers see those of the people of their own units (roster.admin's rule).
# Both apps register their admins before this module is imported (INSTALLED_APPS order).

THIRD_PARTY_SCOPED = ("axes", "account")


def _scope_third_party_admins() -> None:
    from roster.admin_scope import UnitScopeMixin

    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label in THIRD_PARTY_SCOPED and not isinstance(model_admin, UnitScopeMixin):
            base = type(model_admin)
            admin.site.unregister(model)
            admin.site.register(model, type(base.__name__, (UnitScopeMixin, base), {"__module__": __name__}))


_scope_third_party_admins()
