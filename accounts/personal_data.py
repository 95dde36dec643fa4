"""What Skolhubb holds about a person: every model with personal data registers itself here,
from its app's own `personal_data.py` (`REGISTRATIONS = [Registration(...)]`, found by
config.plugins). The register extract (GDPR art. 15) and retention (gallring) read this
registry, so a new app cannot forget either: a test fails when a model with a foreign key
to a person or a child is not registered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db.models import Model, Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Registration:
    model: str  # "app_label.ModelName"
    description: object  # what it is, in Swedish (lazy): "Frånvaroanmälningar"
    # ORM paths from the model to a roster.Child (its rows are about that child) …
    child_paths: tuple[str, ...] = ()
    # … and to an accounts.User (its rows are about, or written by, that person).
    person_paths: tuple[str, ...] = ()
    # Fields left out of the extract (secrets, internal keys).
    exclude_fields: tuple[str, ...] = ()
    # Retention: the record kind an administrator sets a rule for (None: not culled by
    # Skolhubb — kept, or removed with its parent), and the date its age is counted from.
    retention_kind: str | None = None
    retention_date_field: str = "created_at"
    # Fields to blank instead of deleting the row (anonymise), when deleting would break
    # statistics the municipality must keep; empty means delete.
    anonymise_fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def rows_q(self, *, user=None, child_ids=()) -> Q | None:
        q = Q(pk__in=[])
        if user is not None:
            for path in self.person_paths:
                q |= Q(**{path: user.pk})
        if child_ids:
            for path in self.child_paths:
                q |= Q(**{f"{path}__in": list(child_ids)})
        return q


@cache
def registrations() -> tuple[Registration, ...]:
    from config.plugins import app_modules

    found: dict[str, Registration] = {}
    for module in app_modules("personal_data"):
        for registration in getattr(module, "REGISTRATIONS", []):
            if registration.model in found:
                raise ValueError(f"{registration.model} is registered twice as personal data")
            found[registration.model] = registration
    return tuple(found.values())


def registration_for(model_label: str) -> Registration | None:
    return next((r for r in registrations() if r.model == model_label), None)


def retention_kinds() -> list[tuple[str, str]]:
    kinds: dict[str, str] = {}
    for registration in registrations():
        if registration.retention_kind:
            kinds.setdefault(registration.retention_kind, str(registration.description))
    return sorted(kinds.items())


# accounts' own models, and the third-party models that hold a person.
REGISTRATIONS = [
    Registration(
        model="accounts.User",
        description=_("Användarkonto och kontaktuppgifter"),
        person_paths=("pk",),
        exclude_fields=("password",),
    ),
    Registration(
        model="accounts.AuditEvent",
        description=_("Logg över läsningar och ändringar"),
        person_paths=("actor",),
    ),
    Registration(
        model="accounts.Device",
        description=_("Kopplade appar"),
        person_paths=("user",),
        exclude_fields=("token_hash", "password_fingerprint"),
    ),
    Registration(
        model="accounts.PairingCode",
        description=_("Kopplingskoder för appar"),
        person_paths=("user",),
        exclude_fields=("code_hash",),
    ),
    Registration(model="account.EmailAddress", description=_("E-postadresser för inloggning"), person_paths=("user",)),
    Registration(model="admin.LogEntry", description=_("Ändringar i förvaltningen"), person_paths=("user",)),
]


def holds_a_person(model: type[Model]) -> list[str]:
    """The fields of `model` that point at a person or a child."""
    from django.conf import settings

    targets = {settings.AUTH_USER_MODEL.lower(), "roster.child"}
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and f.related_model is not None and f.related_model._meta.label_lower in targets
    ]


def unregistered_models(models=None) -> list[str]:
    """Models with a foreign key to a person or a child that no app registered."""
    registered = {r.model.lower() for r in registrations()}
    models = apps.get_models() if models is None else models
    return sorted(
        f"{m._meta.label} ({', '.join(holds_a_person(m))})"
        for m in models
        if holds_a_person(m) and m._meta.label_lower not in registered
    )
