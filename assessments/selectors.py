"""Reads of assessments, grades, IUP, åtgärdsprogram and notes. Each states its queries.
Access is decided before these are called (assessments.access)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import AuditEvent
from assessments.models import (
    LEVEL_RANK,
    ActionProgramme,
    Assessment,
    Criterion,
    ExtraAdaptation,
    Grade,
    GradeCatalogue,
    Iup,
    Level,
    Note,
    Status,
)
from config.statements import Statement
from roster.models import Child, Group, Placement, Term, active_q
from school.models import Subject

GRADE_CACHE_SECONDS = 60 * 60 * 24


def stage_for_grade(grade: str) -> int | None:
    """Year F–3 work towards the criteria of year 3, 4–6 towards 6, 7–9 towards 9."""
    if grade == "F":
        return 3
    if not grade.isdigit():
        return None
    year = int(grade)
    return 3 if year <= 3 else 6 if year <= 6 else 9


def child_school_group(child) -> Group | None:
    """No query: the child's class in a grundskola, from the loaded active placements."""
    return next(
        (p.group for p in child.active_placements if p.group_id and p.unit.kind == "grundskola" and p.group.grade),
        None,
    )


def current_term(today: date | None = None) -> Term | None:
    """One query: the term running today, or the latest one that started."""
    today = today or timezone.localdate()
    return Term.objects.filter(start_date__lte=today).order_by("-start_date").first()


# --- Assessments ------------------------------------------------------------------------


@dataclass
class CriterionRow:
    criterion_id: int
    label: str
    text: str
    level: str | None = None
    level_label: str = ""
    assessed_on: date | None = None
    comment: str = ""
    history: list[dict] = field(default_factory=list)  # newest first


@dataclass
class SubjectRow:
    subject_id: int
    name: str
    criteria: list[CriterionRow]
    latest_comment: str = ""
    latest_comment_on: date | None = None
    trend: str = ""  # up, down, steady, or "" with nothing to compare
    trend_label: str = ""
    counts: dict = field(default_factory=dict)


TREND_LABELS = {"up": "Framåt", "down": "Bakåt", "steady": "Oförändrat"}


def assessment_overview(*, child, stage: int) -> list[SubjectRow]:
    """Two queries: the active criteria of the stage with their subject, and the child's
    assessments. Per subject: the criteria with the current level, the history of each,
    the latest comment and the trend (current levels against the previous ones)."""
    criteria = list(Criterion.objects.filter(stage=stage, is_active=True).select_related("subject"))
    history: dict[int, list[Assessment]] = {}
    for a in Assessment.objects.filter(child=child, criterion__stage=stage).order_by("-created_at", "-pk"):
        history.setdefault(a.criterion_id, []).append(a)
    subjects: dict[int, SubjectRow] = {}
    for criterion in criteria:
        rows = history.get(criterion.pk, [])
        subject = subjects.setdefault(
            criterion.subject_id, SubjectRow(subject_id=criterion.subject_id, name=criterion.subject.name, criteria=[])
        )
        current = rows[0] if rows else None
        subject.criteria.append(
            CriterionRow(
                criterion_id=criterion.pk,
                label=criterion.short_label,
                text=criterion.text,
                level=current.level if current else None,
                level_label=str(Level(current.level).label) if current else "Ej bedömt",
                assessed_on=current.assessed_on if current else None,
                comment=current.comment if current else "",
                history=[{"level": a.level, "label": str(Level(a.level).label), "on": a.assessed_on} for a in rows],
            )
        )
    result = []
    for subject in subjects.values():
        ups = downs = compared = 0
        latest = None
        for row in subject.criteria:
            if len(row.history) >= 2:
                compared += 1
                now_rank, before = LEVEL_RANK[row.history[0]["level"]], LEVEL_RANK[row.history[1]["level"]]
                ups += now_rank > before
                downs += now_rank < before
            if row.comment and (latest is None or row.assessed_on > latest[0]):
                latest = (row.assessed_on, row.comment)
        if compared:
            subject.trend = "up" if ups > downs else "down" if downs > ups else "steady"
            subject.trend_label = TREND_LABELS[subject.trend]
        if latest:
            subject.latest_comment_on, subject.latest_comment = latest
        subject.counts = {
            level: sum(1 for r in subject.criteria if r.level == level)
            for level in (Level.GREEN, Level.YELLOW, Level.RED)
        }
        if any(r.level for r in subject.criteria):
            result.append(subject)
    return sorted(result, key=lambda s: s.name)


def group_pupils(group: Group) -> list[Child]:
    """One query: the children with an active placement in the group, by name."""
    ids = Placement.objects.filter(active_q(), group=group).values("child_id")
    return list(Child.objects.filter(pk__in=ids).order_by("given_name", "family_name"))


def subjects_with_criteria(stage: int) -> list[Subject]:
    """One query."""
    return list(Subject.objects.filter(criteria__stage=stage, criteria__is_active=True).distinct().order_by("name"))


@dataclass
class Matrix:
    group: Group
    subject: Subject
    stage: int
    pupils: list[Child]
    criteria: list[Criterion]
    cells: dict[tuple[int, int], Assessment]  # (child_id, criterion_id) → current

    def rows(self):
        for pupil in self.pupils:
            yield pupil, [(c, self.cells.get((pupil.pk, c.pk))) for c in self.criteria]


def matrix_for(*, group: Group, subject: Subject) -> Matrix:
    """Three queries: pupils, criteria, the current assessment per cell (newest rows)."""
    stage = stage_for_grade(group.grade)
    pupils = group_pupils(group)
    criteria = list(Criterion.objects.filter(subject=subject, stage=stage, is_active=True))
    return Matrix(
        group=group,
        subject=subject,
        stage=stage,
        pupils=pupils,
        criteria=criteria,
        cells=current_cells(child_ids=[p.pk for p in pupils], criterion_ids=[c.pk for c in criteria]),
    )


def current_cells(*, child_ids, criterion_ids) -> dict[tuple[int, int], Assessment]:
    """One query: every assessment of these children on these criteria, newest first; the
    first per cell is current. (A history of a few rows per cell; no window function so it
    runs the same on SQLite.)"""
    cells: dict[tuple[int, int], Assessment] = {}
    for a in Assessment.objects.filter(child_id__in=child_ids, criterion_id__in=criterion_ids).order_by(
        "-created_at", "-pk"
    ):
        cells.setdefault((a.child_id, a.criterion_id), a)
    return cells


# --- Grades -----------------------------------------------------------------------------


def _grades_generation() -> int:
    return cache.get("assessments:grades:gen") or 0


def _grades_key(child_id: int) -> str:
    return f"assessments:grades:v1:{_grades_generation()}:{child_id}"


def grades_cache_invalidate(*, child_ids=(), everything: bool = False) -> None:
    """Drop cached grade pages: one child's after a grade change, everyone's after a
    catalogue change (a new generation makes every key new)."""
    if everything:
        try:
            cache.incr("assessments:grades:gen")
        except ValueError:
            cache.set("assessments:grades:gen", 1, None)
        return
    cache.delete_many([_grades_key(i) for i in child_ids])


def _published_grade_data(child_id: int) -> list[dict]:
    """Two queries: the catalogues with a betygsdag, the child's grades in them."""
    grades = list(
        Grade.objects.filter(child_id=child_id)
        .select_related("subject", "term")
        .order_by("term__start_date", "subject__name", "-created_at", "-pk")
    )
    catalogues = {
        (c.unit_id, c.term_id): c.publish_at
        for c in GradeCatalogue.objects.filter(
            publish_at__isnull=False, term_id__in={g.term_id for g in grades}, unit_id__in={g.unit_id for g in grades}
        )
    }
    terms: dict[int, dict] = {}
    seen = set()
    for g in grades:
        publish_at = catalogues.get((g.unit_id, g.term_id))
        if publish_at is None or (g.term_id, g.subject_id) in seen:
            continue
        seen.add((g.term_id, g.subject_id))
        term = terms.setdefault(
            g.term_id,
            {
                "term": str(g.term),
                "term_id": g.term_id,
                "start": g.term.start_date,
                "publish_at": publish_at,
                "grades": [],
            },
        )
        term["grades"].append(
            {
                "subject": g.subject.name,
                "value": g.value,
                "note": g.note,
                "changed_at": g.created_at if g.change_reason else None,
            }
        )
    return sorted(terms.values(), key=lambda t: t["start"], reverse=True)


def published_grades(*, child_id: int, now: datetime | None = None) -> list[dict]:
    """The grades a guardian or the student may see: per term, only once its betygsdag
    has come. From the cache (no query when warm); the publication moment is checked on
    every read, so a cached catalogue never shows early."""
    key = _grades_key(child_id)
    data = cache.get(key)
    if data is None:
        from config.replica import primary

        with primary():  # cached: never from a lagging replica
            data = _published_grade_data(child_id)
        cache.set(key, data, GRADE_CACHE_SECONDS)
    now = now or timezone.now()
    return [t for t in data if t["publish_at"] <= now]


def grades_for_staff(*, child_id: int) -> list[dict]:
    """Two queries: every grade row of the child with its history, and the catalogues."""
    grades = list(
        Grade.objects.filter(child_id=child_id)
        .select_related("subject", "term", "set_by")
        .order_by("-term__start_date", "subject__name", "-created_at", "-pk")
    )
    catalogues = {
        (c.unit_id, c.term_id): c for c in GradeCatalogue.objects.filter(term_id__in={g.term_id for g in grades})
    }
    terms: dict[int, dict] = {}
    for g in grades:
        term = terms.setdefault(
            g.term_id, {"term": str(g.term), "catalogue": catalogues.get((g.unit_id, g.term_id)), "subjects": {}}
        )
        term["subjects"].setdefault(g.subject.name, []).append(g)
    return list(terms.values())


@dataclass
class GradeSheet:
    group: Group
    subject: Subject
    term: Term
    catalogue: GradeCatalogue | None
    pupils: list[Child]
    current: dict[int, Grade]  # child_id → newest grade


def grade_sheet(*, group: Group, subject: Subject, term: Term) -> GradeSheet:
    """Three queries: pupils, the catalogue, the grades (newest first per child)."""
    pupils = group_pupils(group)
    catalogue = GradeCatalogue.objects.filter(unit_id=group.unit_id, term=term).first()
    current: dict[int, Grade] = {}
    for g in Grade.objects.filter(child_id__in=[p.pk for p in pupils], subject=subject, term=term).order_by(
        "-created_at", "-pk"
    ):
        current.setdefault(g.child_id, g)
    return GradeSheet(group=group, subject=subject, term=term, catalogue=catalogue, pupils=pupils, current=current)


def catalogue_rows(*, unit, term) -> list[dict]:
    """One query: the current grade per pupil and subject of a unit's term catalogue."""
    rows: dict[tuple[int, int], dict] = {}
    for g in (
        Grade.objects.filter(unit=unit, term=term)
        .select_related("child", "subject", "set_by")
        .order_by("child__family_name", "child__given_name", "subject__name", "-created_at", "-pk")
    ):
        rows.setdefault((g.child_id, g.subject_id), {"grade": g, "changes": 0})["changes"] += 1
    return list(rows.values())


# --- IUP, åtgärdsprogram, extra anpassningar, notes ---------------------------------------


def iups_for(*, child, family: bool) -> list[Iup]:
    """Two queries: the IUPs (newest term first) and their written assessments. The family
    sees published ones only."""
    qs = Iup.objects.filter(child=child).select_related("term", "author").prefetch_related("written__subject")
    if family:
        qs = qs.filter(status=Status.PUBLISHED)
    return list(qs.order_by("-term__start_date"))


def support_for(*, child, family: bool) -> dict:
    """Three queries: åtgärdsprogram (the family sees decided ones), their views, and
    extra adaptations."""
    programmes = ActionProgramme.objects.filter(child=child).select_related("created_by", "decided_by")
    if family:
        programmes = programmes.filter(decided_at__isnull=False)
    return {
        "programmes": list(programmes.prefetch_related("views__author")),
        "adaptations": list(ExtraAdaptation.objects.filter(child=child).select_related("subject", "created_by")),
    }


def notes_for(*, child, family: bool) -> list[Note]:
    """One query. The family sees shared notes only."""
    qs = Note.objects.filter(child=child).select_related("author")
    if family:
        qs = qs.filter(shared=True)
    return list(qs)


# --- The read log -------------------------------------------------------------------------


def log_for_child(*, child_id: int, limit: int = 200) -> list[AuditEvent]:
    """One query: who read or changed this child's assessment documents, newest first."""
    return list(
        AuditEvent.objects.filter(child_id=child_id, object_type__startswith="assessments.")
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


def log_for_staff(*, user_id: int, unit_ids: set[int] | None, limit: int = 300) -> list[AuditEvent]:
    """One query: what a staff member read or changed, limited to children placed in the
    principal's units (None: every child, for an administrator)."""
    qs = AuditEvent.objects.filter(actor_id=user_id, object_type__startswith="assessments.")
    if unit_ids is not None:
        qs = qs.filter(child_id__in=Placement.objects.filter(unit_id__in=unit_ids).values("child_id"))
    return list(qs.order_by("-at", "-pk")[:limit])


# --- Hub boxes ------------------------------------------------------------------------------


def _subjects_assessed(*, ids: list[int]):
    # order_by(): the models' default orderings would join the child and the subject for
    # nothing (a GROUP BY query drops the ORDER BY but keeps its joins).
    return (
        Assessment.objects.filter(child_id__in=ids)
        .order_by()
        .values("child_id")
        .annotate(subjects=Count("criterion__subject_id", distinct=True), latest=Max("assessed_on"))
    )


_SUBJECTS_ASSESSED = Statement(_subjects_assessed)  # built and compiled once per shape (config.statements)


def assessments_box_for_children(*, children: list) -> dict[int, dict]:
    """One query: per child, how many subjects were assessed and when last. No levels:
    the box is a pointer, the read (and its log row) happens on the page."""
    rows = _SUBJECTS_ASSESSED(ids=[c.pk for c in children])
    return {r["child_id"]: {"child_id": r["child_id"], "subjects": r["subjects"], "latest": r["latest"]} for r in rows}


def _graded_terms(*, ids: list[int]):
    """Each child's graded terms with the betygsdag of the grading unit's catalogue for that
    term (None: no catalogue or no betygsdag yet), earliest betygsdag first, then the earlier
    term, so a tie comes out the same on every load. The catalogue is unique per (unit, term)
    but no relation of Grade: a subquery rather than a join."""
    betygsdag = GradeCatalogue.objects.filter(unit_id=OuterRef("unit_id"), term_id=OuterRef("term_id")).values(
        "publish_at"
    )
    return (
        Grade.objects.filter(child_id__in=ids)
        .annotate(publish_at=Subquery(betygsdag))
        .order_by("publish_at", "term__start_date")
        .values_list("child_id", "publish_at", "term__kind", "term__start_date")
        .distinct()
    )


_GRADED_TERMS = Statement(_graded_terms)


def grades_box_for_children(*, children: list, now: datetime | None = None) -> dict[int, dict]:
    """One query: the terms each child has grades in, with their catalogues' betygsdag.
    Shows when grades were or will be published (the latest past and the next coming
    betygsdag), never the grades themselves."""
    now = now or timezone.now()
    result: dict[int, dict] = {}
    for child_id, publish_at, term_kind, term_start in _GRADED_TERMS(ids=[c.pk for c in children]):
        if publish_at is None:
            continue
        data = result.setdefault(child_id, {"child_id": child_id, "published": None, "upcoming": None})
        moment = {"term": f"{term_kind} {term_start.year}", "at": publish_at}
        if publish_at <= now:
            data["published"] = moment  # earliest first: the last one seen is the latest
        elif data["upcoming"] is None:
            data["upcoming"] = moment
    return result


def children_with_school(children) -> list:
    return [c for c in children if any(p.unit.kind == "grundskola" for p in c.active_placements)]


def staff_start(*, user) -> tuple[list[dict], list[dict]]:
    """Four queries: the groups the viewer teaches or leads (as principal), the subjects
    with criteria per stage, the principal's units and their staff."""
    from roster.models import GroupStaff, StaffDuty, Unit

    today = timezone.localdate()
    if user.is_superuser:
        principal_units = list(Unit.objects.filter(kind=Unit.Kind.GRUNDSKOLA))
    else:
        principal_units = list(
            Unit.objects.filter(
                kind=Unit.Kind.GRUNDSKOLA,
                duties__in=StaffDuty.objects.filter(active_q(on=today), user=user, role=StaffDuty.Role.REKTOR),
            ).distinct()
        )
    taught = GroupStaff.objects.filter(
        active_q(on=today), user=user, role__in=[GroupStaff.Role.MENTOR, GroupStaff.Role.TEACHER]
    ).values("group_id")
    groups = list(
        Group.objects.filter(unit__kind="grundskola")
        .filter(Q(pk__in=taught) | Q(unit__in=principal_units))
        .exclude(grade="")
        .select_related("unit")
        .order_by("unit__name", "name")
    )
    by_stage: dict[int, list[Subject]] = {}
    for criterion in Criterion.objects.filter(is_active=True).select_related("subject").order_by("subject__name"):
        subjects = by_stage.setdefault(criterion.stage, [])
        if criterion.subject not in subjects:
            subjects.append(criterion.subject)
    staff = {}
    for duty in StaffDuty.objects.filter(active_q(on=today), unit__in=principal_units).select_related("user"):
        staff.setdefault(duty.unit_id, {})[duty.user_id] = duty.user
    return (
        [
            {
                "group": g,
                "subjects": by_stage.get(stage_for_grade(g.grade), []),
                "grades": g.grade.isdigit() and int(g.grade) >= 6,
            }
            for g in groups
        ],
        [
            {"unit": u, "staff": sorted(staff.get(u.pk, {}).values(), key=lambda m: (m.last_name, m.first_name))}
            for u in principal_units
        ],
    )
