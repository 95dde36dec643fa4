"""Rendering the Hub's boxes: their templates (Jinja2, config/jinja.py) vs the cached fragments.

    .venv/bin/python tests/load/bench_render.py [--rounds 300]

Takes the real box data of two families (carin, anna) and of a principal from the demo
database (or DATABASE_URL), then times, per Hub:
- rendering: each box's own template, as a cold Hub renders it (hub.cache.render: the frame,
  hub/box.html, is rendered once per box, heading level and language, so it is not timed),
- fragments: reading the rendered boxes from the cache (what a warm Hub does: one get_many).
Prints the median per Hub. Until round 8 the boxes were Django templates; the figures of
both are in docs/scaling.md (§1h).
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
    print(f"{'Hub':<34} {'boxes':>5} {'render ms':>10} {'cached ms':>10} {'C/R':>6}")
    for email in ("carin.carlsson@example.se", "anna.andersson@example.se", "rektor@example.se"):
        user = User.objects.get(email=email)
        request = RequestFactory().get("/")
        request.user = user
        request.session = {}
        generations.bump_everything()
        board = dashboard_build(request=request, viewer=viewer_build(user), selected_child_id=None)
        views = [(v, "h3") for c in board.family for v in c.boxes] + [(v, "h4") for c in board.staff for v in c.boxes]
        views = [(v, level) for v, level in views if v.data is not None]
        html_keys = {f"bench:render:{i}": box_cache.render(v, level) for i, (v, level) in enumerate(views)}
        cache.set_many(html_keys, 600)
        templates = [(box_cache.box_template(v.box.template), v, level) for v, level in views]

        def render(templates=templates):
            # The context hub.cache.render gives a box's own template.
            return [
                t.render({"view": v, "heading_level": level, "column": {"title": ""}, "data": v.data})
                for t, v, level in templates
            ]

        def cached(keys=tuple(html_keys)):
            return cache.get_many(list(keys))

        def median_ms(fn):
            for _ in range(20):
                fn()
            times = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                fn()
                times.append(time.perf_counter() - started)
            return statistics.median(times) * 1000

        r, c = median_ms(render), median_ms(cached)
        print(f"{email:<34} {len(views):>5} {r:>10.3f} {c:>10.3f} {c / r:>6.2f}")
        cache.delete_many(list(html_keys))


if __name__ == "__main__":
    main()
