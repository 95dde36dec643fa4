from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from roster.dates import bounded, monday_of
from roster.policy import viewer_for
from school import selectors, teaching_selectors
from school.access import get_child_for_viewer


def _monday(value: str | None) -> date:
    if value:
        try:
            return monday_of(bounded(date.fromisoformat(value)))
        except ValueError:
            pass
    return monday_of(timezone.localdate())


@require_http_methods(["GET"])
def timetable(request):
    """Staff: the lessons they hold. Guardians and students: each school child's week.
    Served from the person's page cache (hub.cache.viewer_page) while nothing in view has
    changed: lessons and terms change in the admin (every admin edit bumps everything),
    closed days bump their units and groups, weekly plans their group, and a plan published
    later by the clock ends the cached page then."""
    from django.template.loader import render_to_string

    from config.frame import render_framed
    from hub.cache import viewer_page

    viewer = viewer_for(request)
    monday = _monday(request.GET.get("vecka"))

    def build(_versions):
        weeks = []
        if viewer.is_staff_member:
            lessons = selectors.lessons_for_teacher(user=request.user)
            weeks.append((None, selectors.week_build(lessons=lessons, monday=monday)))
        school_children = [c for c in viewer.children if selectors.school_group_ids(c)]
        if school_children:
            group_ids = set().union(*(selectors.school_group_ids(c) for c in school_children))
            lessons = selectors.lessons_for_groups(group_ids=group_ids)
            for child in school_children:
                mine = [lesson for lesson in lessons if lesson.group_id in selectors.school_group_ids(child)]
                weeks.append((child, selectors.week_build(lessons=mine, monday=monday)))
        published_later = teaching_selectors.attach_week_items(weeks)  # the weekly plan's items
        context = {"weeks": weeks, "monday": monday, "child": None, "today": timezone.localdate()}
        html = render_to_string("school/timetable_content.html", context, request=request)
        return html, published_later.timestamp() if published_later else None

    content = viewer_page(request=request, viewer=viewer, name="schema", build=build)
    return render_framed(request, "school/timetable_page.html", body=content)


@require_http_methods(["GET"])
def child_timetable(request, child_id):
    child = get_child_for_viewer(request, child_id)
    monday = _monday(request.GET.get("vecka"))
    lessons = selectors.lessons_for_groups(group_ids=selectors.school_group_ids(child))
    weeks = [(child, selectors.week_build(lessons=lessons, monday=monday))]
    teaching_selectors.attach_week_items(weeks)  # the weekly plan's items beside the lessons
    return render(request, "school/timetable.html", {"weeks": weeks, "monday": monday, "child": child})
