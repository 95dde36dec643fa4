"""Writes: assessments, grades and the catalogue, IUP, åtgärdsprogram, extra adaptations,
notes. Each validates (Swedish ValidationError), writes inside a transaction, logs the
change (assessments.audit) and keeps the Hub's cached boxes fresh."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent
from assessments import access as acc
from assessments.audit import audit_events
from assessments.models import (
    ActionProgramme,
    Assessment,
    Criterion,
    ExtraAdaptation,
    Grade,
    GradeCatalogue,
    GradeValue,
    Iup,
    Level,
    Note,
    ProgrammeView,
    Status,
    WrittenAssessment,
)
from assessments.selectors import current_cells, grades_cache_invalidate, stage_for_grade
from roster.models import Guardianship, active_q

APPEAL_TEXT = _(
    "Beslutet om åtgärdsprogram kan överklagas hos Skolväsendets överklagandenämnd (29 kap. 16 § "
    "skollagen). Skicka överklagandet till skolan inom tre veckor från den dag du fick del av "
    "beslutet; skolan skickar det vidare till nämnden."
)


def _hub_bump(*, child_ids) -> None:
    """Invalidate the Hub's cached boxes of these children (the box-cache contract). The
    Hub's cache arrives with the scale branch; until it has, there is nothing to bump."""
    try:
        from hub.cache import bump
    except ImportError:
        return
    bump(child_ids=child_ids)


# --- Assessments --------------------------------------------------------------------------


def assessment_matrix_save(
    *, group_access, subject, cells: dict[tuple[int, int], tuple[str, str]], assessed_on: date, request
) -> int:
    """Save a whole matrix in one go: `cells` maps (child_id, criterion_id) to (level,
    comment); a blank level leaves the cell as it was. Only cells that change get a new
    row (the old one stays: history). Constant queries whatever the number of pupils:
    pupils, criteria, current cells, one INSERT, one audit INSERT (+ the Hub bump).
    Returns the number of new assessments."""
    from assessments.selectors import group_pupils

    group = group_access.group
    today = timezone.localdate()
    if assessed_on > today:
        raise ValidationError({"assessed_on": _("Datumet kan inte ligga i framtiden.")})
    stage = stage_for_grade(group.grade)
    pupil_ids = {p.pk for p in group_pupils(group)}
    criterion_ids = set(
        Criterion.objects.filter(subject=subject, stage=stage, is_active=True).values_list("pk", flat=True)
    )
    valid_levels = set(Level.values)
    for (child_id, criterion_id), (level, comment) in cells.items():
        if child_id not in pupil_ids or criterion_id not in criterion_ids:
            raise ValidationError(_("Matrisen innehåller en elev eller ett kriterium som inte hör hit."))
        if level and level not in valid_levels:
            raise ValidationError(_("Välj Inte ännu, På väg eller Uppnått."))
        if len(comment) > 2000:
            raise ValidationError(_("En kommentar får vara högst 2000 tecken."))
    current = current_cells(child_ids=pupil_ids, criterion_ids=criterion_ids)
    now = timezone.now()
    new = []
    for (child_id, criterion_id), (level, comment) in sorted(cells.items()):
        before = current.get((child_id, criterion_id))
        comment = comment.strip()
        if not level:
            # The form shows each cell's current comment: left as it was, nothing changes;
            # a new comment alone keeps the current level.
            if before is None and comment:
                raise ValidationError(_("En kommentar behöver en bedömning i samma ruta."))
            if before is None or comment == before.comment:
                continue
            level = before.level
        if before and before.level == level and before.comment == comment:
            continue
        new.append(
            Assessment(
                child_id=child_id,
                criterion_id=criterion_id,
                level=level,
                comment=comment,
                assessed_on=assessed_on,
                assessed_by=request.user,
                created_at=now,
            )
        )
    if not new:
        return 0
    with transaction.atomic():
        Assessment.objects.bulk_create(new)
        changed = sorted({a.child_id for a in new})
        audit_events(
            request=request,
            action=AuditEvent.Action.CREATE,
            kind="assessments.assessment",
            role=group_access.role,
            entries=[
                (
                    child_id,
                    child_id,
                    f"Bedömningar i {subject.name}",
                    {"cells": sum(a.child_id == child_id for a in new)},
                )
                for child_id in changed
            ],
        )
        _hub_bump(child_ids=changed)
    return len(new)


# --- Grades ----------------------------------------------------------------------------------


def _guardians(child_ids) -> dict[int, list]:
    """One query: the active guardians of these children, as users."""
    out: dict[int, list] = {}
    for guardianship in Guardianship.objects.filter(active_q(), child_id__in=child_ids).select_related("guardian"):
        out.setdefault(guardianship.child_id, []).append(guardianship.guardian)
    return out


def grade_sheet_save(*, sheet, group_access, entries: dict[int, tuple[str, str, str]], request) -> int:
    """Set the grades of a group in a subject for a term in one request. `entries` maps
    child_id to (value, note, reason); a blank value leaves the pupil as they were.

    Rules: "–" needs a note; once the catalogue is locked only the principal changes
    grades; after betygsdag a change also needs a reason, keeps the old grade (a new row)
    and notifies the guardians. Constant queries whatever the number of pupils."""
    from notifications.services import notify, outbox_email_enqueue

    now = timezone.now()
    catalogue = sheet.catalogue
    locked = catalogue is not None and catalogue.locked_at is not None
    published = catalogue is not None and catalogue.is_published(now)
    if int(sheet.group.grade or 0) < 6:
        raise ValidationError(_("Betyg sätts från årskurs 6."))
    pupil_ids = {p.pk for p in sheet.pupils}
    errors: dict[str, list[str]] = {}
    rows = []
    for child_id, (value, note, reason) in sorted(entries.items()):
        if child_id not in pupil_ids:
            raise ValidationError(_("Eleven hör inte till gruppen."))
        if not value:
            continue
        if value not in GradeValue.values:
            errors.setdefault(f"g-{child_id}", []).append(_("Välj A–F eller –."))
            continue
        before = sheet.current.get(child_id)
        if before and before.value == value and before.note == note.strip():
            continue
        if value == GradeValue.NONE and not note.strip():
            errors.setdefault(f"n-{child_id}", []).append(
                _("Skriv en anteckning när betyg inte kan sättas (–), t.ex. om underlag saknas.")
            )
            continue
        if (locked or published) and not group_access.is_principal:
            raise PermissionDenied
        if published and before is not None and not reason.strip():
            errors.setdefault(f"r-{child_id}", []).append(_("Ange skälet till ändringen av ett publicerat betyg."))
            continue
        rows.append(
            Grade(
                child_id=child_id,
                subject=sheet.subject,
                term=sheet.term,
                unit_id=sheet.group.unit_id,
                value=value,
                note=note.strip(),
                change_reason=reason.strip() if published and before is not None else "",
                set_by=request.user,
                created_at=now,
            )
        )
    if errors:
        raise ValidationError(errors)
    if not rows:
        return 0
    with transaction.atomic():
        Grade.objects.bulk_create(rows)
        audit_events(
            request=request,
            action=AuditEvent.Action.CHANGE if published else AuditEvent.Action.CREATE,
            kind="assessments.grade",
            role=group_access.role,
            entries=[
                (g.child_id, g.child_id, f"Betyg i {sheet.subject.name} {sheet.term}", {"value": g.value}) for g in rows
            ],
        )
        changed_after_publication = [g for g in rows if g.change_reason]
        if changed_after_publication:
            guardians = _guardians([g.child_id for g in changed_after_publication])
            names = {p.pk: p for p in sheet.pupils}
            for g in changed_after_publication:
                child = names[g.child_id]
                key = f"grade-changed:{g.child_id}:{g.subject_id}:{g.term_id}:{now.isoformat()}"
                # The message says that a grade changed, not the grade: reading it needs e-ID.
                notify(
                    recipients=guardians.get(g.child_id, []),
                    kind="assessments.grade_changed",
                    title=_("Ett betyg för %(name)s har ändrats") % {"name": child.given_name},
                    url=reverse("assessments:child-grades", args=[g.child_id]),
                    child=child,
                    source=g,
                    dedupe_key=key,
                )
                outbox_email_enqueue(
                    template="assessments/emails/grade_changed",
                    context={"child": child, "subject": sheet.subject.name, "term": str(sheet.term)},
                    to=[u.email for u in guardians.get(g.child_id, [])],
                    dedupe_key=key,
                )
        child_ids = sorted({g.child_id for g in rows})
        grades_cache_invalidate(child_ids=child_ids)
        transaction.on_commit(lambda: grades_cache_invalidate(child_ids=child_ids))
        _hub_bump(child_ids=child_ids)
    return len(rows)


def catalogue_update(*, unit, term, locked: bool, publish_at: datetime | None, request) -> GradeCatalogue:
    """The principal locks the catalogue and sets betygsdag. A catalogue that is already
    published keeps its betygsdag (a change of a published grade goes through the grade
    sheet, with a reason)."""
    now = timezone.now()
    catalogue, _created = GradeCatalogue.objects.get_or_create(unit=unit, term=term)
    if catalogue.is_published(now):
        if publish_at != catalogue.publish_at or not locked:
            raise ValidationError(_("Betygen är redan publicerade; betygsdagen och låset kan inte ändras."))
        return catalogue
    if publish_at is not None and not locked:
        raise ValidationError({"locked": _("Lås betygskatalogen innan du bestämmer betygsdag.")})
    if publish_at is not None and publish_at <= now:
        raise ValidationError({"publish_at": _("Betygsdagen måste ligga i framtiden.")})
    with transaction.atomic():
        catalogue.locked_at = catalogue.locked_at or now if locked else None
        catalogue.locked_by = (catalogue.locked_by or request.user) if locked else None
        catalogue.publish_at = publish_at
        catalogue.save()
        audit_events(
            request=request,
            action=AuditEvent.Action.CHANGE,
            kind="assessments.gradecatalogue",
            role=acc.PRINCIPAL,
            entries=[
                (
                    None,
                    catalogue.pk,
                    f"Betygskatalog {unit} {term}",
                    {"locked": locked, "publish_at": publish_at.isoformat() if publish_at else None},
                )
            ],
        )
        grades_cache_invalidate(everything=True)
        transaction.on_commit(lambda: grades_cache_invalidate(everything=True))
        _hub_bump(
            child_ids=list(Grade.objects.filter(unit=unit, term=term).values_list("child_id", flat=True).distinct())
        )
    return catalogue


# --- IUP ---------------------------------------------------------------------------------------


def iup_save(
    *,
    access,
    term,
    goals: str,
    school_does: str,
    student_does: str,
    home_does: str,
    written: dict[int, str],
    publish: bool,
    request,
) -> Iup:
    """The mentor drafts the term's IUP (years 1–5) and shares it by publishing. Earlier
    terms' IUPs are kept untouched."""
    if not access.may_write_iup:
        raise PermissionDenied
    years = access.grade_years
    if not years or not all(1 <= y <= 5 for y in years):
        raise ValidationError(_("IUP med skriftliga omdömen skrivs i årskurs 1–5."))
    if publish and not (goals.strip() and any(t.strip() for t in written.values())):
        raise ValidationError(_("Skriv mål och minst ett skriftligt omdöme innan IUP:n delas."))
    with transaction.atomic():
        iup, created = Iup.objects.get_or_create(child=access.child, term=term, defaults={"author": request.user})
        iup.goals, iup.school_does, iup.student_does, iup.home_does = (
            goals.strip(),
            school_does.strip(),
            student_does.strip(),
            home_does.strip(),
        )
        if publish and iup.status != Status.PUBLISHED:
            iup.status, iup.published_at = Status.PUBLISHED, timezone.now()
        iup.save()
        WrittenAssessment.objects.filter(iup=iup).delete()
        WrittenAssessment.objects.bulk_create(
            [WrittenAssessment(iup=iup, subject_id=s, text=t.strip()) for s, t in written.items() if t.strip()]
        )
        audit_events(
            request=request,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
            kind="assessments.iup",
            role=access.role,
            entries=[(access.child.pk, iup.pk, str(iup), {"status": iup.status})],
        )
        _hub_bump(child_ids=[access.child.pk])
    return iup


# --- Åtgärdsprogram and extra anpassningar --------------------------------------------------------


def programme_create(
    *, access, needs: str, measures: str, responsibilities: str, follow_up_on: date, evaluate_on: date, request
) -> ActionProgramme:
    acc.require_staff(access)
    if evaluate_on < follow_up_on:
        raise ValidationError({"evaluate_on": _("Utvärderingen kan inte ligga före uppföljningen.")})
    if follow_up_on < timezone.localdate():
        raise ValidationError({"follow_up_on": _("Uppföljningen kan inte ligga i det förflutna.")})
    with transaction.atomic():
        programme = ActionProgramme.objects.create(
            child=access.child,
            needs=needs.strip(),
            measures=measures.strip(),
            responsibilities=responsibilities.strip(),
            follow_up_on=follow_up_on,
            evaluate_on=evaluate_on,
            created_by=request.user,
        )
        audit_events(
            request=request,
            action=AuditEvent.Action.CREATE,
            kind="assessments.actionprogramme",
            role=access.role,
            entries=[(access.child.pk, programme.pk, str(programme), None)],
        )
    return programme


def programme_decide(*, access, programme: ActionProgramme, request) -> ActionProgramme:
    """The principal decides; who and when are recorded with the text on how to appeal."""
    if not access.is_principal:
        raise PermissionDenied
    if programme.decided_at is not None:
        raise ValidationError(_("Åtgärdsprogrammet är redan beslutat."))
    with transaction.atomic():
        programme.decided_at = timezone.now()
        programme.decided_by = request.user
        programme.appeal_text = str(APPEAL_TEXT)
        programme.save(update_fields=["decided_at", "decided_by", "appeal_text", "updated_at"])
        audit_events(
            request=request,
            action=AuditEvent.Action.CHANGE,
            kind="assessments.actionprogramme",
            role=access.role,
            entries=[(access.child.pk, programme.pk, str(programme), {"decided": True})],
        )
    return programme


def programme_view_add(*, access, programme: ActionProgramme, text: str, request) -> ProgrammeView:
    """The guardian or the student adds their view to a decided programme."""
    if not access.is_family:
        raise PermissionDenied
    if programme.decided_at is None or programme.child_id != access.child.pk:
        raise ValidationError(_("Åtgärdsprogrammet finns inte."))
    if not text.strip():
        raise ValidationError({"text": _("Skriv din synpunkt.")})
    with transaction.atomic():
        view = ProgrammeView.objects.create(programme=programme, author=request.user, text=text.strip())
        audit_events(
            request=request,
            action=AuditEvent.Action.CREATE,
            kind="assessments.actionprogramme",
            role=access.role,
            entries=[(access.child.pk, programme.pk, f"Synpunkt på {programme}", None)],
        )
    return view


def adaptation_create(*, access, subject, description: str, request) -> ExtraAdaptation:
    acc.require_staff(access)
    if not description.strip():
        raise ValidationError({"description": _("Beskriv anpassningen.")})
    with transaction.atomic():
        adaptation = ExtraAdaptation.objects.create(
            child=access.child, subject=subject, description=description.strip(), created_by=request.user
        )
        audit_events(
            request=request,
            action=AuditEvent.Action.CREATE,
            kind="assessments.extraadaptation",
            role=access.role,
            entries=[(access.child.pk, adaptation.pk, str(adaptation), None)],
        )
    return adaptation


# --- Notes ---------------------------------------------------------------------------------------


def note_create(*, access, text: str, shared: bool, request) -> Note:
    acc.require_staff(access)
    if not text.strip():
        raise ValidationError({"text": _("Skriv en anteckning.")})
    with transaction.atomic():
        note = Note.objects.create(child=access.child, author=request.user, text=text.strip(), shared=shared)
        audit_events(
            request=request,
            action=AuditEvent.Action.CREATE,
            kind="assessments.note",
            role=access.role,
            entries=[(access.child.pk, note.pk, str(note), {"shared": shared})],
        )
    return note
