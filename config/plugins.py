"""How an app plugs itself in: the platform finds what each installed app declares in its
own files, the way the admin finds `admin.py`. Adding a domain app touches INSTALLED_APPS
and at most one URL include; everything else is discovered here.

The modules an app may have (all optional):

| module                  | declares                                      | found by            |
| ----------------------- | --------------------------------------------- | ------------------- |
| `APP/boxes.py`          | Hub boxes (`hub.registry.register`)           | `hub`               |
| `APP/menu.py`           | `MENU`: main-menu entries per role            | `hub.navigation`    |
| `APP/demo.py`           | `seed(*, today, rng)`: the app's demo data    | `demo.seed`         |
| `APP/tests/matrix.py`   | `MATRIX` rows and `url_builders(demo)`        | the access matrix   |
| `APP/static/APP/APP.css`| the app's styles, after the shared sheet      | `templates/base.html` |

Apps are visited in INSTALLED_APPS order, so an app's demo seeder runs after those of
the apps it builds on (and its stylesheet after theirs).
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType

from django.apps import apps


def app_modules(module_name: str) -> list[ModuleType]:
    """The `APP.<module_name>` module of every installed app that has one, in
    INSTALLED_APPS order. An ImportError *inside* such a module is raised, not hidden."""
    found = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{module_name}"
        try:
            spec = find_spec(dotted)
        except ModuleNotFoundError:  # a parent package (e.g. APP.tests) does not exist
            spec = None
        if spec is None:
            continue
        found.append(import_module(dotted))
    return found


@cache
def app_stylesheets() -> tuple[str, ...]:
    """The static paths of the installed apps' own stylesheets, `APP/static/APP/APP.css`, in
    INSTALLED_APPS order: templates/base.html links them after the shared
    static/css/skolhubb.css. Looked up once per process (the app directories do not change
    while it runs); the staticfiles storage in use (hashed names in production) turns each
    path into its URL."""
    return tuple(
        f"{config.label}/{config.label}.css"
        for config in apps.get_app_configs()
        if (Path(config.path) / "static" / config.label / f"{config.label}.css").is_file()
    )
