import csv
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.assurance import HIGH, eid_login_url, has_assurance
from assessments import access as acc
from assessments import selectors, services
from assessments.audit import KINDS, audit_events, audit_read
from assessments.forms import (
    GRADE_CHOICES,
    LEVEL_CHOICES,
    AdaptationForm,
    CatalogueForm,
    IupForm,
    MatrixDateForm,
    NoteForm,
    ProgrammeForm,
    ProgrammeViewForm,
    grade_entries_from_post,
    matrix_cells_from_post,
)
from assessments.models import ActionProgramme, Stage, Term
from config.forms import form_add_service_errors
from roster.policy import viewer_for
from school.models import Subject


def steps_up(view):
    """A family member on a password session is sent to the e-ID login and back."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except acc.StepUpRequired:
            return redirect(eid_login_url(request.get_full_path()))

    return wrapped


def _stage_of(access) -> int | None:
    group = selectors.child_school_group(access.child)
    return selectors.stage_for_grade(group.grade) if group else None


def _child_context(access, **extra):
    return {"access": access, "child": access.child, "group": selectors.child_school_group(access.child), **extra}


# --- Start page ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def index(request):
    """Family: the children with a link each (behind e-ID). Staff: their groups with the
    subjects to assess; the principal: the unit's grade catalogue and the logs."""
    viewer = viewer_for(request)
    family = selectors.children_with_school(viewer.children)
    groups = []
    units = []
    if viewer.is_staff_member or request.user.is_superuser:
        groups, units = selectors.staff_start(user=request.user)
    return render(
        request,
        "assessments/index.html",
        {
            "family": family,
            "eid": has_assurance(request, HIGH),
            "eid_url": eid_login_url(request.get_full_path()),
            "groups": groups,
            "units": units,
        },
    )


# --- A child's documents ----------------------------------------------------------------------


@require_http_methods(["GET"])
@steps_up
def child_assessments(request, child_id):
    access = acc.child_access(request, child_id)
    stage = _stage_of(access)
    subjects = selectors.assessment_overview(child=access.child, stage=stage) if stage else []
    audit_read(request=request, access=access, kind="assessments.assessment")
    return render(
        request,
        "assessments/child_assessments.html",
        _child_context(access, subjects=subjects, stage=stage and Stage(stage).label),
    )


@require_http_methods(["GET"])
@steps_up
def child_grades(request, child_id):
    access = acc.child_access(request, child_id)
    if access.is_family:
        terms, staff_terms = selectors.published_grades(child_id=access.child.pk), None
    else:
        terms, staff_terms = None, selectors.grades_for_staff(child_id=access.child.pk)
    audit_read(request=request, access=access, kind="assessments.grade")
    return render(
        request, "assessments/child_grades.html", _child_context(access, terms=terms, staff_terms=staff_terms)
    )


@require_http_methods(["GET"])
@steps_up
def child_iup(request, child_id):
    access = acc.child_access(request, child_id)
    iups = selectors.iups_for(child=access.child, family=access.is_family)
    audit_read(request=request, access=access, kind="assessments.iup")
    return render(request, "assessments/child_iup.html", _child_context(access, iups=iups))


@require_http_methods(["GET", "POST"])
@steps_up
def iup_edit(request, child_id):
    access = acc.child_access(request, child_id)
    if not access.may_write_iup:
        raise PermissionDenied
    term = selectors.current_term()
    if term is None:
        raise Http404("Ingen termin")
    iup = access.child.iups.filter(term=term).prefetch_related("written").first()
    stage = _stage_of(access) or 3
    subjects = selectors.subjects_with_criteria(stage)
    initial = {}
    if iup:
        initial = {f: getattr(iup, f) for f in ("goals", "school_does", "student_does", "home_does")}
        initial |= {f"w-{w.subject_id}": w.text for w in iup.written.all()}
    form = IupForm(request.POST if request.method == "POST" else None, subjects=subjects, initial=initial)
    if request.method == "GET":
        audit_read(request=request, access=access, kind="assessments.iup")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.iup_save(
                access=access,
                term=term,
                goals=data["goals"],
                school_does=data["school_does"],
                student_does=data["student_does"],
                home_does=data["home_does"],
                written=form.written(),
                publish=data["publish"],
                request=request,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("IUP:n är sparad."))
            return redirect("assessments:child-iup", access.child.pk)
    return render(request, "assessments/iup_form.html", _child_context(access, form=form, term=term, iup=iup))


@require_http_methods(["GET", "POST"])
@steps_up
def child_support(request, child_id):
    """Åtgärdsprogram and extra anpassningar; staff add an adaptation here."""
    access = acc.child_access(request, child_id)
    form = AdaptationForm(request.POST if request.method == "POST" else None) if access.is_staff else None
    if request.method == "POST":
        acc.require_staff(access)
        if form.is_valid():
            try:
                services.adaptation_create(access=access, request=request, **form.cleaned_data)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("Den extra anpassningen är dokumenterad."))
                return redirect("assessments:child-support", access.child.pk)
    support = selectors.support_for(child=access.child, family=access.is_family)
    audit_read(request=request, access=access, kind="assessments.actionprogramme")
    return render(
        request,
        "assessments/child_support.html",
        _child_context(access, form=form, view_form=ProgrammeViewForm(), **support),
    )


@require_http_methods(["GET", "POST"])
@steps_up
def programme_create(request, child_id):
    access = acc.child_access(request, child_id)
    acc.require_staff(access)
    form = ProgrammeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_create(access=access, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Åtgärdsprogrammet är upprättat och väntar på rektors beslut."))
            return redirect("assessments:child-support", access.child.pk)
    return render(request, "assessments/programme_form.html", _child_context(access, form=form))


def _programme(request, programme_id):
    programme = ActionProgramme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise Http404("Inget åtgärdsprogram")
    return programme, acc.child_access(request, programme.child_id)


@require_http_methods(["POST"])
@steps_up
def programme_decide(request, programme_id):
    programme, access = _programme(request, programme_id)
    try:
        services.programme_decide(access=access, programme=programme, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Åtgärdsprogrammet är beslutat."))
    return redirect("assessments:child-support", access.child.pk)


@require_http_methods(["POST"])
@steps_up
def programme_view(request, programme_id):
    programme, access = _programme(request, programme_id)
    if not access.is_family:
        raise PermissionDenied
    form = ProgrammeViewForm(request.POST)
    if form.is_valid():
        try:
            services.programme_view_add(
                access=access, programme=programme, text=form.cleaned_data["text"], request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Din synpunkt är sparad."))
    else:
        messages.error(request, _("Skriv din synpunkt."))
    return redirect("assessments:child-support", access.child.pk)


@require_http_methods(["GET", "POST"])
@steps_up
def child_notes(request, child_id):
    access = acc.child_access(request, child_id)
    form = NoteForm(request.POST if request.method == "POST" else None) if access.is_staff else None
    if request.method == "POST":
        acc.require_staff(access)
        if form.is_valid():
            try:
                services.note_create(access=access, request=request, **form.cleaned_data)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("Anteckningen är sparad."))
                return redirect("assessments:child-notes", access.child.pk)
    notes = selectors.notes_for(child=access.child, family=access.is_family)
    audit_read(request=request, access=access, kind="assessments.note")
    return render(request, "assessments/child_notes.html", _child_context(access, form=form, notes=notes))


@require_http_methods(["GET"])
@steps_up
def child_log(request, child_id):
    """Who read or changed the child's documents: the family (with e-ID) and the
    principal. Teachers may read the documents but not the log of others' reads."""
    access = acc.child_access(request, child_id)
    if not (access.is_family or access.is_principal):
        raise PermissionDenied
    events = selectors.log_for_child(child_id=access.child.pk)
    return render(request, "assessments/child_log.html", _child_context(access, events=events, kinds=KINDS))


@require_http_methods(["GET"])
def staff_log(request, user_id):
    member, unit_ids = acc.staff_member_for_principal(request, user_id)
    events = selectors.log_for_staff(user_id=member.pk, unit_ids=unit_ids)
    return render(request, "assessments/staff_log.html", {"member": member, "events": events, "kinds": KINDS})


# --- Staff: the matrix, grades, the catalogue ------------------------------------------------


def _audit_group_read(request, group_access, pupils, kind: str, label: str) -> None:
    """A staff page showing a whole group's documents: one log row per pupil, one INSERT."""
    audit_events(
        request=request,
        action="read",
        kind=kind,
        role=group_access.role,
        entries=[(p.pk, p.pk, f"{label}: {p.full_name}", {"group": group_access.group.name}) for p in pupils],
    )


def _subject(subject_id) -> Subject:
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None:
        raise Http404("Inget ämne")
    return subject


@require_http_methods(["GET", "POST"])
def matrix(request, group_id, subject_id):
    group_access = acc.group_access(request, group_id)
    subject = _subject(subject_id)
    if selectors.stage_for_grade(group_access.group.grade) is None:
        raise Http404("Ingen årskurs")
    form = MatrixDateForm(
        request.POST if request.method == "POST" else None, initial={"assessed_on": timezone.localdate()}
    )
    error = None
    if request.method == "POST" and form.is_valid():
        cells = matrix_cells_from_post(request.POST)
        try:
            saved = services.assessment_matrix_save(
                group_access=group_access,
                subject=subject,
                cells=cells,
                assessed_on=form.cleaned_data["assessed_on"],
                request=request,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            error = True
        else:
            messages.success(
                request,
                ngettext("%(count)s bedömning är sparad.", "%(count)s bedömningar är sparade.", saved)
                % {"count": saved},
            )
            return redirect("assessments:matrix", group_access.group.pk, subject.pk)
    data = selectors.matrix_for(group=group_access.group, subject=subject)
    _audit_group_read(request, group_access, data.pupils, "assessments.assessment", f"Bedömningsmatris {subject.name}")
    return render(
        request,
        "assessments/matrix.html",
        {"m": data, "form": form, "levels": LEVEL_CHOICES, "posted": request.POST if error else None},
    )


@require_http_methods(["GET", "POST"])
def grade_sheet(request, group_id, subject_id):
    group_access = acc.group_access(request, group_id)
    subject = _subject(subject_id)
    if not group_access.group.grade.isdigit() or int(group_access.group.grade) < 6:
        raise Http404("Betyg sätts från årskurs 6")
    term = selectors.current_term()
    if term is None:
        raise Http404("Ingen termin")
    sheet = selectors.grade_sheet(group=group_access.group, subject=subject, term=term)
    errors = {}
    if request.method == "POST":
        try:
            services.grade_sheet_save(
                sheet=sheet,
                group_access=group_access,
                entries=grade_entries_from_post(request.POST, pupils=sheet.pupils),
                request=request,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, _("Betygen är sparade."))
            return redirect("assessments:grade-sheet", group_access.group.pk, subject.pk)
    catalogue = sheet.catalogue
    now = timezone.now()
    _audit_group_read(request, group_access, sheet.pupils, "assessments.grade", f"Betyg i {subject.name} {term}")
    rows = [
        {
            "pupil": p,
            "current": sheet.current.get(p.pk),
            "value": request.POST.get(f"g-{p.pk}", "") if errors else "",
            "note": request.POST.get(f"n-{p.pk}", "") if errors else "",
            "reason": request.POST.get(f"r-{p.pk}", "") if errors else "",
            "errors": errors.get(f"g-{p.pk}", []) + errors.get(f"n-{p.pk}", []) + errors.get(f"r-{p.pk}", []),
        }
        for p in sheet.pupils
    ]
    return render(
        request,
        "assessments/grade_sheet.html",
        {
            "sheet": sheet,
            "rows": rows,
            "choices": GRADE_CHOICES,
            "errors": errors.get("__all__", []),
            "has_errors": bool(errors),
            "locked": catalogue is not None and catalogue.locked_at is not None,
            "published": catalogue is not None and catalogue.is_published(now),
            "may_change": group_access.is_principal or catalogue is None or catalogue.locked_at is None,
        },
    )


def _term_from(request) -> Term:
    wanted = request.GET.get("termin", "")
    term = Term.objects.filter(pk=wanted).first() if wanted.isdigit() else None
    term = term or selectors.current_term()
    if term is None:
        raise Http404("Ingen termin")
    return term


@require_http_methods(["GET", "POST"])
def catalogue(request, unit_id):
    unit = acc.unit_for_principal(request, unit_id)
    term = _term_from(request)
    from assessments.models import GradeCatalogue

    current = GradeCatalogue.objects.filter(unit=unit, term=term).first()
    initial = {}
    if current:
        local = timezone.localtime(current.publish_at) if current.publish_at else None
        initial = {
            "locked": current.locked_at is not None,
            "publish_date": local.date() if local else None,
            "publish_time": local.time() if local else None,
        }
    form = CatalogueForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.catalogue_update(
                unit=unit,
                term=term,
                locked=form.cleaned_data["locked"],
                publish_at=form.cleaned_data["publish_at"],
                request=request,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Betygskatalogen är sparad."))
            return redirect(request.get_full_path())
    rows = selectors.catalogue_rows(unit=unit, term=term)
    acc_role = acc.ADMIN if request.user.is_superuser else acc.PRINCIPAL
    audit_events(
        request=request,
        action="read",
        kind="assessments.grade",
        role=acc_role,
        entries=[
            (cid, cid, f"Betygskatalog {unit} {term}", None) for cid in sorted({r["grade"].child_id for r in rows})
        ],
    )
    return render(
        request,
        "assessments/catalogue.html",
        {
            "unit": unit,
            "term": term,
            "catalogue": current,
            "published": current is not None and current.is_published(),
            "form": form,
            "rows": rows,
            "terms": list(Term.objects.order_by("-start_date")[:6]),
        },
    )


def _csv_safe(value) -> str:
    """A cell a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_http_methods(["GET"])
def catalogue_csv(request, unit_id):
    unit = acc.unit_for_principal(request, unit_id)
    term = _term_from(request)
    rows = selectors.catalogue_rows(unit=unit, term=term)
    audit_events(
        request=request,
        action="read",
        kind="assessments.grade",
        role=acc.ADMIN if request.user.is_superuser else acc.PRINCIPAL,
        entries=[
            (cid, cid, f"Betygskatalog (CSV) {unit} {term}", None)
            for cid in sorted({r["grade"].child_id for r in rows})
        ],
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"betygskatalog-{slugify(unit.name)}-{term.kind}-{term.start_date.year}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Efternamn"),
            _("Förnamn"),
            _("Personnummer"),
            _("Ämne"),
            _("Betyg"),
            _("Anteckning"),
            _("Satt av"),
            _("Ändringar"),
        ]
    )
    for row in rows:
        g = row["grade"]
        writer.writerow(
            [
                _csv_safe(g.child.family_name),
                _csv_safe(g.child.given_name),
                _csv_safe(g.child.personnummer),
                _csv_safe(g.subject.name),
                "–" if g.value == "-" else g.value,
                _csv_safe(g.note),
                _csv_safe(str(g.set_by) if g.set_by else ""),
                row["changes"] - 1,
            ]
        )
    return response
