"""Reads for plannings, weekly plans, assignments and eTests. Each function states its
query count. Hub loaders return plain data (dicts, lists, str, numbers, dates)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, FilteredRelation, Max, OuterRef, Q, Subquery
from django.utils import timezone

from config.statements import Statement
from roster.dates import monday_of
from roster.models import Child, Placement, Term, active_q
from school.models import (
    Answer,
    Assignment,
    AssignmentComment,
    Attempt,
    ETest,
    Planning,
    Question,
    Submission,
    WeeklyItem,
    WeeklyPlan,
)

KIND_ORDER = {WeeklyItem.Kind.BRING: 0, WeeklyItem.Kind.HOMEWORK: 1, WeeklyItem.Kind.TEST: 2, WeeklyItem.Kind.EVENT: 3}


def _school_groups_by_child(children) -> dict[int, set[int]]:
    """No query when the children's active placements are loaded (viewer_for, the Hub);
    otherwise one query for all of them."""
    result: dict[int, set[int]] = {}
    missing = []
    for child in children:
        placements = getattr(child, "active_placements", None)
        if placements is None:
            missing.append(child.pk)
            continue
        result[child.pk] = {p.group_id for p in placements if p.group_id and p.unit.kind == "grundskola"}
    if missing:
        for child_id, group_id in Placement.objects.filter(
            active_q(), child_id__in=missing, group__isnull=False, unit__kind="grundskola"
        ).values_list("child_id", "group_id"):
            result.setdefault(child_id, set()).add(group_id)
        for child_id in missing:
            result.setdefault(child_id, set())
    return result


def group_pupils(*, group_id: int) -> list[Child]:
    """One query: the pupils with an active placement in the group, by name."""
    return list(
        Child.objects.filter(
            id__in=Placement.objects.filter(active_q(), group_id=group_id).values("child_id")
        ).order_by("given_name", "family_name")
    )


# --- Plannings ------------------------------------------------------------------------------


def plannings_for_groups(*, group_ids: set[int], include_drafts: bool) -> list[Planning]:
    """One query: the groups' plannings with group and subject."""
    qs = Planning.objects.filter(group_id__in=group_ids).select_related("group__unit", "subject")
    if not include_drafts:
        qs = qs.filter(state=Planning.State.PUBLISHED)
    return list(qs.order_by("group__name", "start_monday", "title"))


def term_for(day: date, term_id: str | None = None) -> Term | None:
    """One query: the chosen term, or the one around `day` (or the next one)."""
    if term_id and term_id.isdigit():
        term = Term.objects.filter(pk=int(term_id)).first()
        if term:
            return term
    return Term.objects.filter(end_date__gte=day).order_by("start_date").first()


def gantt_chart(*, plannings: list[Planning], start: date, end: date) -> dict:
    """No query: an SVG layout with ISO weeks across and one bar per planning."""
    first, last = monday_of(start), monday_of(end)
    weeks = []
    monday = first
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    label_w, col_w, row_h, top = 190, 26, 30, 34
    width = label_w + col_w * len(weeks) + 10
    rows = []
    shown = [p for p in plannings if p.end_monday >= first and p.start_monday <= last]
    this_monday = monday_of(timezone.localdate())
    for index, planning in enumerate(shown):
        s = max(planning.start_monday, first)
        e = min(planning.end_monday, last)
        x = label_w + ((s - first).days // 7) * col_w
        w = (((e - s).days // 7) + 1) * col_w
        rows.append(
            {
                "planning": planning,
                "y": top + index * row_h,
                "text_y": top + index * row_h + 19,
                "x": x + 1,
                "w": w - 2,
                "label": planning.title[:26],
                "draft": not planning.is_published,
            }
        )
    height = top + max(len(rows), 1) * row_h + 10
    columns = [
        {
            "x": label_w + i * col_w,
            "text_x": label_w + i * col_w + col_w // 2,
            "week": m.isocalendar().week,
            "current": m == this_monday,
        }
        for i, m in enumerate(weeks)
    ]
    return {"width": width, "height": height, "columns": columns, "rows": rows, "label_w": label_w, "top": top}


def _plannings_rows(*, group_ids: list[int], monday: date, last_start: date):
    return (
        Planning.objects.filter(
            group_id__in=group_ids,
            state=Planning.State.PUBLISHED,
            start_monday__lte=last_start,
            end_monday__gte=monday,
        )
        .order_by("start_monday", "title")
        .values("id", "group_id", "title", "subject__name", "start_monday", "end_monday")
    )


_PLANNINGS = Statement(_plannings_rows)


def plannings_box_for_children(*, children: list) -> dict[int, dict]:
    """One query for all children: the published plannings of their groups that run this week."""
    groups = _school_groups_by_child(children)
    all_groups = set().union(*groups.values()) if groups else set()
    if not all_groups:
        return {}
    monday = monday_of(timezone.localdate())
    rows = _PLANNINGS(group_ids=sorted(all_groups), monday=monday, last_start=monday + timedelta(days=21))
    result = {}
    for child in children:
        mine = [
            {
                "id": r["id"],
                "title": r["title"],
                "subject": r["subject__name"],
                "start_week": r["start_monday"].isocalendar().week,
                "end_week": r["end_monday"].isocalendar().week,
                "current": r["start_monday"] <= monday,
            }
            for r in rows
            if r["group_id"] in groups.get(child.pk, set())
        ]
        if mine:
            result[child.pk] = {"child_id": child.pk, "plannings": mine[:5]}
    return result


# --- Weekly plans ---------------------------------------------------------------------------


def weekly_plans_for(*, group_ids: set[int], mondays: list[date], visible_only: bool) -> list[WeeklyPlan]:
    """Two queries: the plans with their group, and their items."""
    qs = WeeklyPlan.objects.filter(group_id__in=group_ids, monday__in=mondays).select_related("group")
    if visible_only:
        qs = qs.filter(publish_at__lte=timezone.now())
    return list(qs.prefetch_related("items").order_by("monday", "group__name"))


def week_days(plan: WeeklyPlan) -> list[dict]:
    """No query (items prefetched): Monday to Friday with the day's items."""
    items = list(plan.items.all())
    return [
        {
            "day": plan.monday + timedelta(days=i),
            "items": sorted(
                [it for it in items if it.day == plan.monday + timedelta(days=i)], key=lambda it: KIND_ORDER[it.kind]
            ),
        }
        for i in range(5)
    ]


def weekly_items_for(children=None, day: date | None = None, *, child_ids=None) -> dict[int, list[dict]]:
    """The published weekly-plan items of `day` for each child: the evening digest reads
    tomorrow's "ta med", homework, tests and events here. Either `children` (Child objects)
    or `child_ids` (the digest's call: `weekly_items_for(child_ids=[...], day=day)`).
    One query whatever the number of children: the items joined to the children's active
    placements in school groups.

    Returns {child_id: [{"kind": "Ta med", "code": "bring", "text": "Gympakläder", "group": "3B"}]}
    (`kind` is the Swedish label, `code` the machine value); children without items are left out."""
    if child_ids is None:
        child_ids = [c.pk for c in (children or [])]
    child_ids = list(child_ids)
    if not child_ids or day is None:
        return {}
    rows = list(
        WeeklyItem.objects.filter(
            active_q(prefix="plan__group__placements__"),
            plan__group__placements__child_id__in=child_ids,
            plan__group__unit__kind="grundskola",
            plan__publish_at__lte=timezone.now(),
            day=day,
        )
        .order_by("id")
        .values("plan__group__placements__child_id", "plan__group__name", "kind", "text")
    )
    labels = dict(WeeklyItem.Kind.choices)
    result: dict[int, list[dict]] = {}
    for row in rows:
        result.setdefault(row["plan__group__placements__child_id"], []).append(
            {
                "kind": str(labels[row["kind"]]),
                "code": row["kind"],
                "text": row["text"],
                "group": row["plan__group__name"],
            }
        )
    for items in result.values():
        items.sort(key=lambda it: KIND_ORDER[it["code"]])
    return result


def _weekly_rows(*, group_ids: list[int], mondays: list[date], days: list[date]):
    return (
        WeeklyPlan.objects.filter(group_id__in=group_ids, monday__in=mondays, publish_at__isnull=False)
        .annotate(shown=FilteredRelation("items", condition=Q(items__day__in=days)))
        .order_by("shown__id")
        .values("id", "group_id", "monday", "publish_at", "shown__id", "shown__day", "shown__kind", "shown__text")
    )


_WEEKLY = Statement(_weekly_rows)


def weekly_box_for_children(*, children: list) -> dict[int, dict]:
    """One query for all children: this and next week's plans (scheduled ones too, for the
    cache's valid_until), each left-joined to its items of today and tomorrow (a plan
    without such items comes once, with empty item columns). Only the visible plans' items
    are shown."""
    groups = _school_groups_by_child(children)
    all_groups = set().union(*groups.values()) if groups else set()
    if not all_groups:
        return {}
    now = timezone.now()
    today = timezone.localdate()
    monday = monday_of(today)
    tomorrow = today + timedelta(days=1)
    if tomorrow.weekday() >= 5:
        tomorrow = monday + timedelta(days=7)  # after Friday: Monday's items
    rows = _WEEKLY(group_ids=sorted(all_groups), mondays=[monday, monday + timedelta(days=7)], days=[today, tomorrow])
    plans = list({r["id"]: r for r in rows}.values())
    visible = {p["id"] for p in plans if p["publish_at"] <= now}
    scheduled = [p["publish_at"] for p in plans if p["publish_at"] > now]
    # By item id (the rows' order), as the items were always read.
    items = [r for r in rows if r["shown__id"] is not None and r["id"] in visible]
    labels = dict(WeeklyItem.Kind.choices)
    result = {}
    for child in children:
        mine_groups = groups.get(child.pk, set())
        mine_plans = [p for p in plans if p["group_id"] in mine_groups]
        if not mine_plans:
            continue

        def day_items(day, mine_groups=mine_groups):
            rows = [i for i in items if i["group_id"] in mine_groups and i["shown__day"] == day]
            rows.sort(key=lambda i: KIND_ORDER[i["shown__kind"]])
            return [
                {"kind": i["shown__kind"], "kind_label": str(labels[i["shown__kind"]]), "text": i["shown__text"]}
                for i in rows
            ]

        result[child.pk] = {
            "child_id": child.pk,
            "week": monday.isocalendar().week,
            "has_this_week": any(p["id"] in visible and p["monday"] == monday for p in mine_plans),
            "days": [
                {"day": today, "label": "idag", "items": day_items(today)},
                {"day": tomorrow, "label": "nasta", "items": day_items(tomorrow)},
            ],
            "valid_until": min(scheduled) if scheduled else None,
        }
    return result


# --- Assignments ----------------------------------------------------------------------------


def assignments_for_groups(*, group_ids: set[int], include_drafts: bool) -> list[Assignment]:
    """Two queries: the groups' assignments with group and subject, and their chosen pupils."""
    qs = Assignment.objects.filter(group_id__in=group_ids).select_related("group", "subject")
    if not include_drafts:
        qs = qs.filter(state=Assignment.State.PUBLISHED)
    return list(qs.prefetch_related("students").order_by("-deadline"))


def assignment_given_to(assignment: Assignment, child_id: int) -> bool:
    chosen = {c.pk for c in assignment.students.all()}
    return not chosen or child_id in chosen


def submissions_table(*, assignment: Assignment) -> list[dict]:
    """Three queries whatever the group size: the pupils, their submissions (with a file
    count), and the conversations' message counts."""
    chosen = {c.pk for c in assignment.students.all()}
    pupils = [c for c in group_pupils(group_id=assignment.group_id) if not chosen or c.pk in chosen]
    submissions = {
        s.child_id: s for s in Submission.objects.filter(assignment=assignment).annotate(file_count=Count("files"))
    }
    messages = {
        row["child_id"]: row
        for row in AssignmentComment.objects.filter(assignment=assignment)
        .values("child_id")
        .annotate(count=Count("id"), last=Max("created_at"))
    }
    rows = []
    for pupil in pupils:
        sub = submissions.get(pupil.pk)
        rows.append(
            {
                "child": pupil,
                "submission": sub,
                "state": sub.status if sub else ("missing" if timezone.now() > assignment.deadline else "waiting"),
                "messages": messages.get(pupil.pk, {}).get("count", 0),
            }
        )
    return rows


def submission_for(*, assignment: Assignment, child_id: int) -> Submission | None:
    """Two queries: the submission and its files."""
    return (
        Submission.objects.filter(assignment=assignment, child_id=child_id)
        .select_related("reviewed_by")
        .prefetch_related("files")
        .first()
    )


def conversation_for(*, assignment: Assignment, child_id: int) -> list[AssignmentComment]:
    """One query: one pupil's thread on one assignment, oldest first."""
    return list(AssignmentComment.objects.filter(assignment=assignment, child_id=child_id).select_related("author"))


def _assignment_rows(*, group_ids: list[int], child_ids: list[int], since):
    """The open assignments, with for each child in view (by position: chosenat0, statusat0, …)
    whether it is chosen and its submission status."""
    chosen = Assignment.students.through.objects.filter(assignment_id=OuterRef("pk"))
    submitted = Submission.objects.filter(assignment_id=OuterRef("pk"))
    per_child = {}
    for i, child_id in enumerate(child_ids):
        per_child[f"chosenat{i}"] = Exists(chosen.filter(child_id=child_id))
        per_child[f"statusat{i}"] = Subquery(submitted.filter(child_id=child_id).values("status")[:1])
    return (
        Assignment.objects.filter(group_id__in=group_ids, state=Assignment.State.PUBLISHED, deadline__gte=since)
        .annotate(for_chosen=Exists(chosen), **per_child)
        .order_by("deadline")
        .values("id", "group_id", "title", "deadline", "subject__name", "for_chosen", *per_child)
    )


_ASSIGNMENTS = Statement(_assignment_rows)


def assignments_box_for_children(*, children: list) -> dict[int, dict]:
    """One query for all children: the open assignments of their groups, each with whether
    it is given to chosen pupils only and, for each child in view (subqueries on the unique
    assignment-and-child pairs), whether the child is chosen and the child's submission
    status."""
    groups = _school_groups_by_child(children)
    all_groups = set().union(*groups.values()) if groups else set()
    if not all_groups:
        return {}
    now = timezone.now()
    in_view = [c.pk for c in children if groups.get(c.pk)]
    rows = [
        {
            **{k: v for k, v in r.items() if not k.startswith(("chosenat", "statusat"))},
            **{f"chosen_{pk}": r[f"chosenat{i}"] for i, pk in enumerate(in_view)},
            **{f"status_{pk}": r[f"statusat{i}"] for i, pk in enumerate(in_view)},
        }
        for r in _ASSIGNMENTS(group_ids=sorted(all_groups), child_ids=in_view, since=now - timedelta(days=7))
    ]
    labels = dict(Submission.Status.choices)
    result = {}
    for child in children:
        mine = []
        for r in rows:
            if r["group_id"] not in groups.get(child.pk, set()):
                continue
            if r["for_chosen"] and not r[f"chosen_{child.pk}"]:
                continue
            status = r[f"status_{child.pk}"]  # None: not submitted
            if status == Submission.Status.DONE:
                continue
            mine.append(
                {
                    "id": r["id"],
                    "title": r["title"],
                    "subject": r["subject__name"] or "",
                    "deadline": r["deadline"],
                    "overdue": r["deadline"] < now and not status,
                    "status": str(labels[status]) if status else "",
                    "returned": status == Submission.Status.RETURNED,
                }
            )
        if mine:
            future = [m["deadline"] for m in mine if m["deadline"] > now]
            result[child.pk] = {
                "child_id": child.pk,
                "assignments": mine[:5],
                "valid_until": min(future) if future else None,
            }
    return result


# --- eTest ----------------------------------------------------------------------------------


def etests_for_groups(*, group_ids: set[int], include_drafts: bool) -> list[ETest]:
    """One query."""
    qs = ETest.objects.filter(group_id__in=group_ids).select_related("group", "subject")
    if not include_drafts:
        qs = qs.filter(state=ETest.State.PUBLISHED)
    return list(qs.order_by("-opens_at"))


def questions_for(*, etest: ETest) -> list[Question]:
    """Two queries: the questions and their choices."""
    return list(etest.questions.prefetch_related("choices"))


def attempt_for(*, etest: ETest, child_id: int) -> Attempt | None:
    return Attempt.objects.filter(etest=etest, child_id=child_id).first()


def answers_by_question(*, attempt: Attempt) -> dict[int, Answer]:
    """One query."""
    return {a.question_id: a for a in attempt.answers.all()}


def score(*, questions: list[Question], answers: dict[int, Answer]) -> dict:
    """No query: points per question (choice questions marked automatically; text questions
    as the teacher marked them, None until then) and the total."""
    total = got = 0
    unmarked = 0
    per_question = {}
    for q in questions:
        total += q.points
        answer = answers.get(q.pk)
        if q.kind == q.Kind.TEXT:
            points = answer.points if answer else 0
            if answer and answer.text and answer.points is None:
                unmarked += 1
        else:
            correct = {c.pk for c in q.choices.all() if c.correct}
            selected = set(answer.selected) if answer else set()
            points = q.points if selected and selected == correct else 0
        per_question[q.pk] = points
        got += points or 0
    return {"total": total, "points": got, "per_question": per_question, "unmarked": unmarked}


def attempts_table(*, etest: ETest) -> list[dict]:
    """Four queries whatever the group size: pupils, attempts, answers, questions with choices."""
    pupils = group_pupils(group_id=etest.group_id)
    attempts = {a.child_id: a for a in Attempt.objects.filter(etest=etest)}
    answers: dict[int, dict[int, Answer]] = {}
    for answer in Answer.objects.filter(attempt__etest=etest):
        answers.setdefault(answer.attempt_id, {})[answer.question_id] = answer
    questions = questions_for(etest=etest)
    rows = []
    for pupil in pupils:
        attempt = attempts.get(pupil.pk)
        result = score(questions=questions, answers=answers.get(attempt.pk, {})) if attempt else None
        rows.append({"child": pupil, "attempt": attempt, "result": result})
    return rows


def etest_box_for_children(*, children: list) -> dict[int, dict]:
    """One query for all (student) children: the published tests of their groups that are
    open, coming or have released results, each with whether each child in view has
    finished it (a subquery on the child's attempt: handed in or out of time)."""
    groups = _school_groups_by_child(children)
    all_groups = set().union(*groups.values()) if groups else set()
    if not all_groups:
        return {}
    now = timezone.now()
    finished = Attempt.objects.filter(Q(submitted_at__isnull=False) | Q(ends_at__lte=now), etest_id=OuterRef("pk"))
    per_child = {f"done_{c.pk}": Exists(finished.filter(child_id=c.pk)) for c in children if groups.get(c.pk)}
    rows = list(
        ETest.objects.filter(group_id__in=all_groups, state=ETest.State.PUBLISHED)
        .filter(Q(closes_at__gte=now) | Q(results_released_at__gte=now - timedelta(days=14)))
        .annotate(**per_child)
        .order_by("opens_at")
        .values("id", "group_id", "title", "opens_at", "closes_at", "results_released_at", *per_child)
    )
    result = {}
    for child in children:
        mine = []
        for r in rows:
            if r["group_id"] not in groups.get(child.pk, set()):
                continue
            done = r[f"done_{child.pk}"]
            mine.append(
                {
                    "id": r["id"],
                    "title": r["title"],
                    "opens_at": r["opens_at"],
                    "closes_at": r["closes_at"],
                    "open": r["opens_at"] <= now < r["closes_at"] and not done,
                    "done": done,
                    "released": bool(r["results_released_at"]),
                }
            )
        if mine:
            moments = [m for r in rows for m in (r["opens_at"], r["closes_at"]) if m > now]
            result[child.pk] = {"child_id": child.pk, "tests": mine, "valid_until": min(moments) if moments else None}
    return result


def attach_week_items(weeks: list):
    """One query for all children's weeks: each school day of the timetable gets the published
    weekly-plan items of the child's groups as `day.items` (staff weeks are left alone).
    Returns when a plan of these weeks is next published by the clock (or None), so that a
    cached timetable ends then."""
    children = [child for child, _week in weeks if child is not None]
    if not children:
        return None
    groups = _school_groups_by_child(children)
    all_groups = set().union(*groups.values())
    days = [d.day for child, week in weeks if child is not None for d in week.days]
    if not all_groups or not days:
        return None
    now = timezone.now()
    rows = list(
        WeeklyItem.objects.filter(day__gte=min(days), day__lte=max(days), plan__group_id__in=all_groups)
        .order_by("id")
        .values("plan__group_id", "plan__publish_at", "day", "kind", "text")
    )
    later = [r["plan__publish_at"] for r in rows if r["plan__publish_at"] > now]
    rows = [r for r in rows if r["plan__publish_at"] <= now]
    labels = dict(WeeklyItem.Kind.choices)
    for child, week in weeks:
        if child is None:
            continue
        mine = groups.get(child.pk, set())
        for d in week.days:
            items = [r for r in rows if r["day"] == d.day and r["plan__group_id"] in mine]
            items.sort(key=lambda r: KIND_ORDER[r["kind"]])
            d.items = [{"kind": r["kind"], "kind_label": str(labels[r["kind"]]), "text": r["text"]} for r in items]
    return min(later, default=None)
