"""One date style and one time style across the site: "30 nov", the year when it is not the
current one ("30 nov 2027"), times as 08:15."""

import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from roster.dates import day_label, span_label

ROOT = Path(__file__).resolve().parents[2]
# Formats still allowed in templates: machine values and month/week headings, not a day.
ALLOWED = {"Y-m-d", "Y-m", "o", "F", "F Y", "Y", "W", "j", "b", "D", "l", "c"}  # "c": ISO 8601 for <time datetime>


def _render(source: str, **context) -> str:
    with translation.override("sv"):
        return Template(source).render(Context(context))


def test_filters_show_the_year_only_when_not_this_year():
    # The suite runs in 2026 (conftest SUITE_NOW).
    assert _render("{{ d|dag }}", d=date(2026, 11, 30)) == "30 nov"
    assert _render("{{ d|dag }}", d=date(2027, 11, 30)) == "30 nov 2027"
    assert _render("{{ d|dag_lang }}", d=date(2026, 11, 30)) == "måndag 30 nov"
    assert _render("{{ d|dag_kort }}", d=date(2027, 1, 4)) == "mån 4 jan 2027"
    moment = datetime(2026, 11, 30, 7, 15, tzinfo=ZoneInfo("UTC"))  # 08:15 in Stockholm
    assert _render("{{ m|dag_tid }}", m=moment) == "30 nov 08:15"
    assert _render("{{ t|tid }}", t=time(8, 15)) == "08:15"


def test_formatted_dates_are_remembered_per_language():
    """The filters remember what they formatted (a Hub shows the same few days a hundred
    times): the same day in Swedish, then English, then Swedish again, each in its language."""
    day = date(2026, 11, 30)
    for language, expected in (("sv", "måndag 30 nov"), ("en", "Monday 30 nov"), ("sv", "måndag 30 nov")):
        with translation.override(language):
            assert Template("{{ d|dag_lang }}").render(Context({"d": day})) == expected
    assert _render("{{ d|manad_kort }}", d=day) == "nov"


def test_error_messages_use_the_same_style():
    with translation.override("sv"):
        assert day_label(date(2026, 12, 9)) == "9 dec"
        assert day_label(date(2027, 1, 4)) == "4 jan 2027"
        assert span_label(date(2026, 12, 30), date(2027, 1, 2)) == "30 dec–2 jan 2027"


def test_templates_use_the_one_style():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.*"):
        if ".venv" in path.parts or path.suffix not in {".html", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8")
        for fmt in re.findall(r"\|date:[\"']([^\"']+)[\"']", text):
            if fmt not in ALLOWED:
                offenders.append(f"{path.relative_to(ROOT)}: date:{fmt!r}")
        for fmt in re.findall(r"\|time:[\"']([^\"']+)[\"']", text):
            offenders.append(f"{path.relative_to(ROOT)}: time:{fmt!r} (use |tid)")
    assert not offenders, "\n".join(offenders)


def test_the_current_year_follows_the_clock_across_new_year_in_stockholm():
    """The filters remember the current year (swedish_dates._this_year) only while the clock
    stays inside it, in Stockholm's time: at 23:59 on 31 December the coming year's dates
    carry their year, a minute later (still 31 December in UTC) they do not."""
    import time_machine

    stockholm = ZoneInfo("Europe/Stockholm")
    new_years_day = date(2027, 1, 1)
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=stockholm), tick=False):
        assert _render("{{ d|dag }}", d=new_years_day) == "1 jan 2027"
    with time_machine.travel(datetime(2027, 1, 1, 0, 0, 30, tzinfo=stockholm), tick=False):
        assert _render("{{ d|dag }}", d=new_years_day) == "1 jan"
        assert _render("{{ d|dag }}", d=date(2026, 12, 31)) == "31 dec 2026"
    with time_machine.travel(datetime(2026, 12, 31, 12, 0, tzinfo=stockholm), tick=False):
        assert _render("{{ d|dag }}", d=new_years_day) == "1 jan 2027"
