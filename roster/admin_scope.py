"""The admin's unit scope for every app's models, derived from the models themselves.

A superuser administers the municipality. Any other admin user (is_staff with model
permissions, e.g. a unit's administrator) sees and edits only what belongs to their own units
(roster.admin's rule: units where they have an active duty today, the children with an active
placement there today). `UnitScopeMixin` applies that rule to a ModelAdmin without a
hand-written filter: how a model reaches a unit is read from the model.

- Unit paths: the foreign keys from the model to roster.Unit, directly or through a few
  other foreign keys (a group's unit, a blog's unit, a booking's round's group's unit …);
  never through a person or a child, and never from a unit on to its school.
- Child paths: the app's personal_data registration (accounts.personal_data) says how its
  rows reach the child they are about.
- Person paths (only for a model with neither): the rows of the people of the admin's units.

A row is the admin's when one of its unit paths reaches one of their units; a row that no
unit path reaches at all (all empty) but that is about a child is theirs when the child is
placed in one of their units. A model with no path is superuser-only: others get an empty
list and no add. Each list stays one query: the rule is subqueries of that query, not a loop
over the rows.

An object outside answers "does not exist" (the admin redirects with a message), as in
roster.admin. Foreign-key choices are limited to the admin's units too, and a save that would
move a row outside them is refused (the whole change is rolled back).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import cache, reduce

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

MAX_HOPS = 3


@dataclass(frozen=True)
class ScopeRule:
    unit_paths: tuple[str, ...] = ()
    child_paths: tuple[str, ...] = ()
    person_paths: tuple[str, ...] = ()

    @property
    def tied(self) -> bool:
        return bool(self.unit_paths or self.child_paths or self.person_paths)


def _is_person_or_child(model) -> bool:
    return model._meta.label_lower in {settings.AUTH_USER_MODEL.lower(), "roster.child"}


def unit_paths(model: type[Model], hops: int = MAX_HOPS) -> tuple[str, ...]:
    """ORM paths from `model` to a roster.Unit through foreign keys (at most `hops` of them)."""
    from roster.models import Unit

    if model is Unit:
        return ("pk",)
    paths: list[str] = []
    for field in model._meta.get_fields():
        if not (field.concrete and (field.many_to_one or field.one_to_one) and field.related_model):
            continue
        target = field.related_model
        if target is Unit:
            paths.append(field.name)
        elif hops > 1 and target is not model and not _is_person_or_child(target):
            paths += [f"{field.name}__{p}" for p in unit_paths(target, hops - 1)]
    return tuple(paths)


@cache
def scope_rule(model: type[Model]) -> ScopeRule:
    from accounts.personal_data import registration_for

    registration = registration_for(model._meta.label)
    units = unit_paths(model)
    children = tuple(registration.child_paths) if registration else ()
    people = tuple(registration.person_paths) if registration and not (units or children) else ()
    return ScopeRule(unit_paths=units, child_paths=children, person_paths=people)


def _any(conditions) -> Q:
    return reduce(operator.or_, conditions, Q(pk__in=[]))


def scope_q(model: type[Model], request) -> Q | None:
    """The condition (subqueries only) for the rows of `model` that are the admin user's, None
    for a superuser (everything)."""
    from roster.admin import admin_child_ids, admin_people_ids, admin_unit_ids

    units = admin_unit_ids(request)
    if units is None:
        return None
    rule = scope_rule(model)
    if not rule.tied:
        return Q(pk__in=[])
    condition = _any(Q(**{f"{p}__in": units}) for p in rule.unit_paths)
    if rule.child_paths:
        about_child = _any(Q(**{f"{p}__in": admin_child_ids(request)}) for p in rule.child_paths)
        no_unit = reduce(operator.and_, (Q(**{f"{p}__isnull": True}) for p in rule.unit_paths), Q())
        condition |= no_unit & about_child
    if rule.person_paths:
        condition |= _any(Q(**{f"{p}__in": admin_people_ids(request)}) for p in rule.person_paths)
    return condition


def _crosses_many(model: type[Model], path: str) -> bool:
    """Whether an ORM path goes through a many-to-many or reverse relation (rows repeat)."""
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def scope_queryset(model: type[Model], request, queryset: QuerySet) -> QuerySet:
    condition = scope_q(model, request)
    if condition is None:
        return queryset
    rule = scope_rule(model)
    if any(_crosses_many(model, p) for p in (*rule.unit_paths, *rule.child_paths, *rule.person_paths)):
        # Through a many-to-many field (an entry's children): a subquery of ids, no duplicates.
        return queryset.filter(pk__in=model._base_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def limit_choices(field, model: type[Model], request) -> None:
    """Limit a form field's choices (a foreign key or many-to-many to `model`) to the admin
    user's own units. People, and models not tied to a unit (subjects, school years), are left."""
    if field is None or request.user.is_superuser or not hasattr(field, "queryset"):
        return
    if _is_person_or_child(model) and model._meta.label_lower != "roster.child":
        return
    rule = scope_rule(model)
    if rule.unit_paths or rule.child_paths:
        field.queryset = scope_queryset(model, request, field.queryset)


def _keep_current_many(form, obj):
    """A many-to-many choice limited to the admin's units still offers what the row already
    holds: a household's income report names children of two units, and either unit's
    administrator saving it must not drop the other's child."""
    if obj is None or obj.pk is None:
        return form
    for relation in obj._meta.many_to_many:
        field = form.base_fields.get(relation.name)
        if field is not None and hasattr(field, "queryset"):
            current = getattr(obj, relation.name).values("pk")
            field.queryset = relation.related_model._default_manager.filter(
                Q(pk__in=field.queryset.values("pk")) | Q(pk__in=current)
            )
    return form


def _related_only(model, entry):
    from django.contrib.admin import RelatedOnlyFieldListFilter
    from django.contrib.admin.utils import get_fields_from_path

    if not isinstance(entry, str):
        return entry
    field = get_fields_from_path(model, entry)[-1]
    return (entry, RelatedOnlyFieldListFilter) if field.is_relation else entry


def _own_unit_fields(model: type[Model]) -> list[str]:
    """The model's own unit and group keys when all of them may be empty and nothing else ties
    its row to a unit (no child): a row with them all empty is no unit's."""
    from roster.models import Group, Unit

    if scope_rule(model).child_paths:
        return []
    fields = [f for f in model._meta.fields if (f.many_to_one or f.one_to_one) and f.related_model in (Unit, Group)]
    return [f.name for f in fields] if fields and all(f.null for f in fields) else []


class UnitScopeMixin:
    """For a ModelAdmin (and its inlines' choices): non-superusers see, open, change and
    delete only the rows of their own units; see the module's docstring for the rule."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scope_queryset(self.model, request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        limit_choices(field, db_field.related_model, request)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        limit_choices(field, db_field.related_model, request)
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if request.user.is_superuser:
            return form
        fields = _own_unit_fields(self.model)
        if not fields:
            return _keep_current_many(form, obj)

        class OwnUnitForm(form):
            def clean(self):
                # Both empty would address the whole municipality (news, events): not a
                # unit administrator's to write. A clear message instead of a refused save.
                data = super().clean()
                shown = [name for name in fields if name in self.fields]
                if len(shown) == len(fields) and not any(data.get(name) for name in shown):
                    raise ValidationError(_("Välj en av dina enheter eller grupper."), code="own_unit")
                return data

        OwnUnitForm.__name__ = form.__name__
        return _keep_current_many(OwnUnitForm, obj)

    def get_list_filter(self, request):
        """A filter by unit, group or child offers only those in the admin's own rows (another
        unit's name is not theirs to list either)."""
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [_related_only(self.model, entry) for entry in filters]

    def has_add_permission(self, request, *args):
        if not request.user.is_superuser and not scope_rule(self.model).tied:
            return False
        return super().has_add_permission(request, *args)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A row saved outside the admin's units (a unit emptied, a child of another unit) is
        # refused; the admin's change view runs in a transaction, so nothing is kept.
        if not request.user.is_superuser:
            obj = form.instance
            if not self.get_queryset(request).filter(pk=obj.pk).exists():
                raise PermissionDenied


class ScopedChoicesInlineMixin:
    """For an inline: foreign-key choices limited like UnitScopeMixin's (its rows belong to
    the parent, which the parent's admin scopes)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        limit_choices(field, db_field.related_model, request)
        return field
