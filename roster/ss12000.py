"""Import from SS 12000 (SIS 2020, the Swedish school data standard).

The input is one JSON object with the keys `organisations`, `persons`, `groups`,
`placements` and `duties`, each a list of entities as an SS 12000 API returns them in each
endpoint's `data` array — or the base URL of such an API, read page by page with its
`pageToken`. Rows are matched by their SS 12000 `id` (kept in `ExternalId`), then by
personnummer; they are created, changed or ended so that a second import of the same data
changes nothing. Bad rows are refused one by one with the reason; each entity kind is one
transaction. A dry run goes through the same steps and rolls everything back, so it prints
the same report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode, urljoin
from urllib.request import Request, urlopen

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from roster import personnummer
from roster.models import Child, ExternalId, Group, Guardianship, Placement, StaffDuty, Unit

KINDS = ("organisations", "persons", "groups", "placements", "duties")
SCHOOL_TYPES = {"FS": Unit.Kind.FORSKOLA, "GR": Unit.Kind.GRUNDSKOLA, "FTH": Unit.Kind.FRITIDSHEM}
GROUP_TYPES = {
    "Klass": Group.Kind.KLASS,
    "Avdelning": Group.Kind.AVDELNING,
    "Undervisning": Group.Kind.UNDERVISNINGSGRUPP,
}
PROTECTED_MARKINGS = {"Skyddad folkbokföring", "Sekretessmarkering"}
GUARDIAN_RELATION = "Vårdnadshavare"
DUTY_ROLES = {"Rektor": StaffDuty.Role.REKTOR, "Administratör": StaffDuty.Role.ADMINISTRATOR}


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    new_guardians: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Skapade: {len(self.created)}, ändrade: {len(self.changed)}, avslutade: {len(self.ended)}, "
            f"avvisade: {len(self.refused)}"
        ]
        for title, rows in (
            ("Skapad", self.created),
            ("Ändrad", self.changed),
            ("Avslutad", self.ended),
            ("Avvisad", self.refused),
        ):
            out += [f"  {title}: {row}" for row in rows]
        return out


# --- Reading ------------------------------------------------------------------------------


def read_source(source: str, *, token: str | None = None, timeout: int = 30) -> dict[str, list]:
    """A file path, or the base URL of an SS 12000 API (each endpoint read page by page)."""
    if source.startswith(("http://", "https://")):
        return {kind: list(_read_pages(source, kind, token=token, timeout=timeout)) for kind in KINDS}
    with open(source, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValidationError("Filen ska innehålla ett JSON-objekt med nycklarna " + ", ".join(KINDS))
    return {kind: list(data.get(kind) or []) for kind in KINDS}


def _read_pages(base: str, kind: str, *, token: str | None, timeout: int):
    page_token = None
    for _page in range(10_000):  # a bound, not a limit anyone reaches
        query = {"pageToken": page_token} if page_token else {}
        url = urljoin(base.rstrip("/") + "/", kind) + (f"?{urlencode(query)}" if query else "")
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        with urlopen(Request(url, headers=headers), timeout=timeout) as response:  # noqa: S310 (configured URL)
            body = json.load(response)
        yield from body.get("data") or []
        page_token = body.get("pageToken")
        if not page_token:
            return


# --- Helpers ------------------------------------------------------------------------------


def _ref(value) -> str | None:
    return value.get("id") if isinstance(value, dict) else None


def _date(value, default=None) -> date | None:
    if not value:
        return default
    return date.fromisoformat(str(value)[:10])


class _Ids:
    """ExternalId lookups, loaded once per kind (one query each)."""

    def __init__(self):
        self._maps: dict[str, dict[str, int]] = {}
        self.seen: dict[str, set[str]] = {}

    def map(self, kind: str) -> dict[str, int]:
        if kind not in self._maps:
            self._maps[kind] = dict(
                ExternalId.objects.filter(source="ss12000", kind=kind).values_list("external_id", "local_id")
            )
        return self._maps[kind]

    def get(self, kind: str, external_id: str | None) -> int | None:
        return self.map(kind).get(external_id) if external_id else None

    def set(self, kind: str, external_id: str, local_id: int) -> None:
        ExternalId.objects.update_or_create(
            source="ss12000", kind=kind, external_id=external_id, defaults={"local_id": local_id}
        )
        self.map(kind)[external_id] = local_id
        self.seen.setdefault(kind, set()).add(external_id)

    def unseen_local_ids(self, kind: str) -> list[int]:
        seen = self.seen.get(kind, set())
        return [local for ext, local in self.map(kind).items() if ext not in seen]


def _apply(obj, values: dict, label: str, report: ImportReport, *, created: bool) -> None:
    """Set the fields that differ; report what changed, field by field."""
    changes = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            changes.append(f"{name}: {getattr(obj, name)!r} → {value!r}")
            setattr(obj, name, value)
    if created:
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        report.created.append(label)
    elif changes:
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        report.changed.append(f"{label} ({'; '.join(changes)})")


# --- The import -------------------------------------------------------------------------


def ss12000_import(data: dict[str, list], *, dry_run: bool = False, today: date | None = None) -> ImportReport:
    today = today or timezone.localdate()
    report = ImportReport()
    ids = _Ids()
    with transaction.atomic():
        for kind, step in (
            ("organisations", _organisations),
            ("persons", _persons),
            ("groups", _groups),
            ("placements", _placements),
            ("duties", _duties),
        ):
            with transaction.atomic():  # one transaction per entity kind
                step(data.get(kind) or [], ids=ids, report=report, today=today, data=data)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        from accounts.services import user_activation_request

        for user in User.objects.filter(pk__in=report.new_guardians):
            user_activation_request(user=user)
    return report


def _organisations(rows, *, ids, report, today, data):
    for row in rows:
        ext = row.get("id")
        name = (row.get("displayName") or "").strip()
        types = row.get("schoolTypes") or []
        kind = next((SCHOOL_TYPES[t] for t in types if t in SCHOOL_TYPES), None)
        if not ext or not name:
            report.refused.append(f"organisation {ext or '?'}: saknar id eller namn")
            continue
        if kind is None:
            continue  # a huvudman or förvaltning: not a unit of its own here
        local = ids.get("unit", ext)
        unit = Unit.objects.filter(pk=local).first() if local else None
        code = row.get("schoolUnitCode") or row.get("organisationCode") or ""
        if unit is None and code:
            unit = Unit.objects.filter(code=code).first()
        created = unit is None
        unit = unit or Unit()
        try:
            _apply(
                unit, {"name": name[:120], "kind": kind, "code": code[:40]}, f"enhet {name}", report, created=created
            )
        except ValidationError as exc:
            report.refused.append(f"organisation {ext} ({name}): {'; '.join(exc.messages)}")
            continue
        ids.set("unit", ext, unit.pk)


def _civic_no(row) -> str | None:
    raw = (row.get("civicNo") or {}).get("value")
    if not raw:
        return None
    return personnummer.parse(raw).normalized


def _persons(rows, *, ids, report, today, data):
    guardian_ids = {
        _ref(r.get("person"))
        for person in rows
        for r in person.get("responsibles") or []
        if r.get("relationType") == GUARDIAN_RELATION
    }
    staff_ids = {_ref(d.get("person")) for d in data.get("duties") or []}
    persons_by_id = {}
    for row in rows:
        ext = row.get("id")
        if not ext:
            report.refused.append("person utan id")
            continue
        try:
            pnr = _civic_no(row)
        except ValidationError as exc:
            report.refused.append(f"person {ext}: ogiltigt personnummer ({'; '.join(exc.messages)})")
            continue
        persons_by_id[ext] = (row, pnr)
        is_child = bool(row.get("enrolments")) or any(ext == _ref(p.get("child")) for p in data.get("placements") or [])
        if is_child:
            _child(row, ext, pnr, ids=ids, report=report)
        if ext in guardian_ids or ext in staff_ids:
            _user(row, ext, pnr, ids=ids, report=report, guardian=ext in guardian_ids)
    # Guardianships, from each child's responsibles.
    wanted: set[tuple[int, int]] = set()
    existing = {
        (g.guardian_id, g.child_id): g
        for g in Guardianship.objects.filter(child_id__in=list(ids.map("child").values()), end_date__isnull=True)
    }
    for ext, (row, _pnr) in persons_by_id.items():
        child_id = ids.get("child", ext)
        if child_id is None:
            continue
        for responsible in row.get("responsibles") or []:
            if responsible.get("relationType") != GUARDIAN_RELATION:
                continue
            guardian_id = ids.get("user", _ref(responsible.get("person")))
            if guardian_id is None:
                report.refused.append(f"vårdnad för {ext}: okänd vårdnadshavare {_ref(responsible.get('person'))}")
                continue
            wanted.add((guardian_id, child_id))
            if (guardian_id, child_id) not in existing:
                Guardianship.objects.create(guardian_id=guardian_id, child_id=child_id, start_date=today)
                report.created.append(f"vårdnad {_ref(responsible.get('person'))} → barn {ext}")
    children_in_file = {ids.get("child", e) for e in persons_by_id} - {None}
    for key, guardianship in existing.items():
        # The source is authoritative for custody of the children it lists.
        if key not in wanted and guardianship.child_id in children_in_file:
            guardianship.end_date = today - timedelta(days=1)
            guardianship.save(update_fields=["end_date", "updated_at"])
            report.ended.append(f"vårdnad (person {key[0]}) → barn (id {key[1]})")


def _child(row, ext, pnr, *, ids, report):
    local = ids.get("child", ext)
    child = Child.objects.filter(pk=local).first() if local else None
    if child is None and pnr:
        child = Child.objects.filter(personnummer=pnr).first()
    created = child is None
    child = child or Child()
    born = _date(row.get("birthDate")) or (personnummer.parse(pnr).birth_date if pnr else None)
    values = {
        "given_name": (row.get("givenName") or "").strip()[:80],
        "family_name": (row.get("familyName") or "").strip()[:80],
        "personnummer": pnr or "",
        "date_of_birth": born,
        "protected_identity": row.get("securityMarking") in PROTECTED_MARKINGS,
    }
    if not values["given_name"] or born is None or not pnr:
        report.refused.append(f"barn {ext}: saknar namn, födelsedatum eller personnummer")
        return
    try:
        _apply(child, values, f"barn {values['given_name']} {values['family_name']}", report, created=created)
    except ValidationError as exc:
        report.refused.append(f"barn {ext}: {'; '.join(exc.messages)}")
        return
    ids.set("child", ext, child.pk)


def _user(row, ext, pnr, *, ids, report, guardian):
    local = ids.get("user", ext)
    user = User.objects.filter(pk=local).first() if local else None
    if user is None and pnr:
        user = User.objects.filter(personnummer=pnr).first()
    emails = [e.get("value") for e in row.get("emails") or [] if e.get("value")]
    if user is None and emails:
        user = User.objects.filter(email__iexact=emails[0]).first()
    created = user is None
    if created and not emails:
        report.refused.append(f"person {ext}: saknar e-postadress (behövs för inloggning med lösenord)")
        return
    user = user or User(email=emails[0].lower())
    values = {
        "first_name": (row.get("givenName") or "").strip()[:150],
        "last_name": (row.get("familyName") or "").strip()[:150],
        "personnummer": pnr,
    }
    if created:
        user.set_unusable_password()
    try:
        _apply(user, values, f"person {values['first_name']} {values['last_name']}", report, created=created)
    except ValidationError as exc:
        report.refused.append(f"person {ext}: {'; '.join(exc.messages)}")
        return
    ids.set("user", ext, user.pk)
    if created and guardian:
        report.new_guardians.append(user.pk)


def _groups(rows, *, ids, report, today, data):
    for row in rows:
        ext = row.get("id")
        kind = GROUP_TYPES.get(row.get("groupType"))
        unit_id = ids.get("unit", _ref(row.get("organisation")))
        name = (row.get("displayName") or "").strip()
        if kind is None:
            continue  # mentor, schema and other group types are not used here
        if not ext or not name:
            report.refused.append(f"grupp {ext or '?'}: saknar id eller namn")
            continue
        if unit_id is None:
            report.refused.append(f"grupp {ext} ({name}): okänd organisation {_ref(row.get('organisation'))}")
            continue
        local = ids.get("group", ext)
        group = Group.objects.filter(pk=local).first() if local else None
        if group is None:
            group = Group.objects.filter(unit_id=unit_id, name=name[:80]).first()
        created = group is None
        group = group or Group()
        try:
            _apply(
                group, {"unit_id": unit_id, "name": name[:80], "kind": kind}, f"grupp {name}", report, created=created
            )
        except ValidationError as exc:
            report.refused.append(f"grupp {ext}: {'; '.join(exc.messages)}")
            continue
        ids.set("group", ext, group.pk)
        # Class memberships are the pupils' placements.
        for membership in row.get("groupMemberships") or []:
            child_id = ids.get("child", _ref(membership.get("person")))
            if child_id is None:
                continue
            _placement(
                f"{ext}:{_ref(membership.get('person'))}",
                child_id=child_id,
                unit_id=unit_id,
                group_id=group.pk,
                start=_date(membership.get("startDate"), today),
                end=_date(membership.get("endDate")),
                ids=ids,
                report=report,
            )


def _placement(ext, *, child_id, unit_id, group_id, start, end, ids, report):
    local = ids.get("placement", ext)
    placement = Placement.objects.filter(pk=local).first() if local else None
    created = placement is None
    placement = placement or Placement()
    values = {"child_id": child_id, "unit_id": unit_id, "group_id": group_id, "start_date": start, "end_date": end}
    # Labels name the source's ids, not ours: a dry run (rolled back) prints the same report.
    _apply(placement, values, f"placering {ext}", report, created=created)
    ids.set("placement", ext, placement.pk)


def _end_missing(kind: str, model, label: str, *, ids, report, today):
    """Rows imported before but missing from this import end yesterday."""
    from django.db.models import Q

    yesterday = today - timedelta(days=1)
    for row in model.objects.filter(pk__in=ids.unseen_local_ids(kind)).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=yesterday)
    ):
        row.end_date = yesterday
        row.save(update_fields=["end_date", "updated_at"])
        report.ended.append(f"{label} {row.pk}")


def _placements(rows, *, ids, report, today, data):
    for row in rows:
        ext = row.get("id")
        child_id = ids.get("child", _ref(row.get("child")))
        unit_id = ids.get("unit", _ref(row.get("placedAt")))
        if not ext or child_id is None or unit_id is None:
            report.refused.append(f"placering {ext or '?'}: okänt barn eller okänd enhet")
            continue
        _placement(
            ext,
            child_id=child_id,
            unit_id=unit_id,
            group_id=ids.get("group", _ref(row.get("group"))),
            start=_date(row.get("startDate"), today),
            end=_date(row.get("endDate")),
            ids=ids,
            report=report,
        )
    if rows or data.get("groups"):
        _end_missing("placement", Placement, "placering", ids=ids, report=report, today=today)


def _duties(rows, *, ids, report, today, data):
    for row in rows:
        ext = row.get("id")
        user_id = ids.get("user", _ref(row.get("person")))
        unit_id = ids.get("unit", _ref(row.get("dutyAt")))
        if not ext or user_id is None or unit_id is None:
            report.refused.append(f"tjänstgöring {ext or '?'}: okänd person eller okänd organisation")
            continue
        local = ids.get("duty", ext)
        duty = StaffDuty.objects.filter(pk=local).first() if local else None
        created = duty is None
        duty = duty or StaffDuty()
        values = {
            "user_id": user_id,
            "unit_id": unit_id,
            "role": DUTY_ROLES.get(row.get("dutyRole"), StaffDuty.Role.PEDAGOG),
            "start_date": _date(row.get("startDate"), today),
            "end_date": _date(row.get("endDate")),
        }
        _apply(
            duty,
            values,
            f"tjänstgöring {row.get('dutyRole', '')} {ext}",
            report,
            created=created,
        )
        ids.set("duty", ext, duty.pk)
    if rows:
        _end_missing("duty", StaffDuty, "tjänstgöring", ids=ids, report=report, today=today)
