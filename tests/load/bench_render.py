"""Rendering the Hub's boxes: Django templates vs Jinja2 vs cached fragments, same data.

    .venv/bin/python tests/load/bench_render.py [--rounds 300]

Takes the real box data of two families (carin, anna) and of a principal from the demo
database (or DATABASE_URL), then times, per Hub, for the boxes that have a Jinja2 port here
(tests/load/jinja_boxes/: Information, Kalender, care times, Frånvaro, lessons):
- Django: each box's own template, as a cold Hub renders it (hub.cache.render: the frame,
  hub/box.html, is rendered once per box, heading level and language, so it is not timed),
- Jinja2: the same markup ported to Jinja2 (measurement only),
- fragments: reading the rendered boxes from the cache (what a warm Hub does: one get_many).
Prints the median per Hub and the ratio to Django. Jinja2 is a dev dependency for this script
only; the site renders with Django templates (see docs/scaling.md for the choice).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def jinja_env():
    import jinja2
    from django.templatetags.static import static
    from django.urls import reverse
    from django.utils import dateformat, formats
    from django.utils.text import capfirst
    from django.utils.translation import gettext, ngettext

    def date_filter(value, fmt):
        return dateformat.format(value, formats.get_format(fmt) if fmt.isupper() and "_" in fmt else fmt)

    def time_filter(value, fmt):
        return dateformat.time_format(value, fmt) if value is not None else ""

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ROOT / "tests" / "load" / "jinja_boxes")),
        autoescape=True,
        auto_reload=False,
        cache_size=400,
    )
    env.globals.update(_=gettext, ngettext=ngettext, url=lambda name, *args: reverse(name, args=args), static=static)
    env.filters.update(date=date_filter, time=time_filter, capfirst=capfirst)
    return env


JINJA_NAMES = {
    "hub/boxes/information.html": "information.html",
    "hub/boxes/calendar.html": "calendar.html",
    "schedules/boxes/schedule.html": "schedule.html",
    "absence/boxes/absence.html": "absence.html",
    "school/boxes/lessons.html": "lessons.html",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"  # cached template loaders, as in production
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import RequestFactory
    from django.utils import translation

    from accounts.models import User
    from config import generations
    from hub import cache as box_cache
    from hub.selectors import dashboard_build
    from roster.policy import viewer_build

    translation.activate("sv")
    env = jinja_env()
    for name in JINJA_NAMES.values():
        env.get_template(name)
    print(f"{'Hub':<34} {'boxes':>5} {'Django ms':>10} {'Jinja2 ms':>10} {'cached ms':>10} {'J/D':>6} {'C/D':>6}")
    for email in ("carin.carlsson@example.se", "anna.andersson@example.se", "rektor@example.se"):
        user = User.objects.get(email=email)
        request = RequestFactory().get("/")
        request.user = user
        request.session = {}
        generations.bump_everything()
        board = dashboard_build(request=request, viewer=viewer_build(user), selected_child_id=None)
        views = [(v, "h3") for c in board.family for v in c.boxes] + [(v, "h4") for c in board.staff for v in c.boxes]
        views = [(v, level) for v, level in views if v.box.template in JINJA_NAMES and v.data is not None]

        class JView:
            def __init__(self, view):
                self.box = type(
                    "B",
                    (),
                    {
                        "key": view.box.key,
                        "title": str(view.box.title),
                        "icon": view.box.icon,
                        "link_name": view.box.link_name,
                        "template": JINJA_NAMES[view.box.template],
                    },
                )
                self.data = view.data
                self.locked = False

        jviews = [(JView(v), level) for v, level in views]
        html_keys = {f"bench:render:{i}": box_cache.render(v, level) for i, (v, level) in enumerate(views)}
        cache.set_many(html_keys, 600)

        from django.template.loader import get_template

        django_templates = [(get_template(v.box.template), v, level) for v, level in views]
        jinja_templates = [(env.get_template(v.box.template), v, level) for v, level in jviews]

        def django_render(templates=django_templates):
            # The context hub.cache.render gives a box's own template.
            return [
                t.render({"view": v, "heading_level": level, "column": {"title": ""}, "data": v.data})
                for t, v, level in templates
            ]

        def jinja_render(templates=jinja_templates):
            return [t.render(view=v, heading_level=level, data=v.data) for t, v, level in templates]

        def cached(keys=tuple(html_keys)):
            return cache.get_many(list(keys))

        # The same markup, give or take whitespace: compare the text without spaces.
        assert "".join(django_render()).split() and len(jinja_render()) == len(views)

        def median_ms(fn):
            for _ in range(20):
                fn()
            times = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                fn()
                times.append(time.perf_counter() - started)
            return statistics.median(times) * 1000

        d, j, c = median_ms(django_render), median_ms(jinja_render), median_ms(cached)
        print(f"{email:<34} {len(views):>5} {d:>10.3f} {j:>10.3f} {c:>10.3f} {j / d:>6.2f} {c / d:>6.2f}")
        cache.delete_many(list(html_keys))


if __name__ == "__main__":
    main()
