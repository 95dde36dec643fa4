from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_activation_request
from roster import personnummer
from roster.models import Child, Group, Guardianship, Placement, Unit
from roster.validators import validate_plain_name


def child_create(
    *,
    given_name: str,
    family_name: str,
    personnummer_value: str,
    protected_identity: bool = False,
    photo_consent: bool = False,
) -> Child:
    parsed = personnummer.parse(personnummer_value)
    if Child.objects.filter(personnummer=parsed.normalized).exists():
        raise ValidationError({"personnummer": _("Det finns redan ett barn med det personnumret.")})
    if not given_name.strip() or not family_name.strip():
        raise ValidationError(_("Förnamn och efternamn krävs."))
    errors = {}
    for field, value in (("given_name", given_name), ("family_name", family_name)):
        try:
            validate_plain_name(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    return Child.objects.create(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        personnummer=parsed.normalized,
        date_of_birth=parsed.birth_date,
        protected_identity=protected_identity,
        photo_consent=photo_consent,
    )


def _check_dates(start_date: date, end_date: date | None) -> None:
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})


def placement_create(
    *, child: Child, unit: Unit, group: Group | None, start_date: date, end_date: date | None = None
) -> Placement:
    _check_dates(start_date, end_date)
    if group is not None and group.unit_id != unit.pk:
        raise ValidationError({"group": _("Gruppen hör inte till den valda enheten.")})
    return Placement.objects.create(child=child, unit=unit, group=group, start_date=start_date, end_date=end_date)


@transaction.atomic
def guardianship_create(
    *, guardian: User, child: Child, start_date: date, end_date: date | None = None
) -> Guardianship:
    """Link a guardian to a child. A guardian without a password is sent an activation
    e-mail once the transaction commits."""
    _check_dates(start_date, end_date)
    guardianship = Guardianship.objects.create(guardian=guardian, child=child, start_date=start_date, end_date=end_date)
    user_activation_request(user=guardian)
    return guardianship
