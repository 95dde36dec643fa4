"""The API access matrix's building blocks. Each app lists its API routes in its own
`APP/tests/api_matrix.py`:

    from api.testing import Case, authed, row

    CASES = [
        Case("GET", "/api/v1/hub/children/{child_id}/boxes",
             lambda ctx: (f"/api/v1/hub/children/{ctx['alva'].pk}/boxes", None),
             row(401, 200, 404, 404, 404, 404, 404, 404)),
    ]

and may define `setup(ctx)` to create the objects its cases need (ctx holds the conftest
`demo` objects and `personas`). `build(ctx)` is called afresh for every role, so a case
that deletes can make a new object each time. api/tests/test_api_matrix.py discovers these
modules the way the API discovers APP/api.py, and fails on a route nobody listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

ROLES = ["anonymous", "guardian", "other_guardian", "student", "teacher", "other_staff", "principal", "admin"]


def row(anonymous, guardian, other_guardian, student, teacher, other_staff, principal, admin) -> dict[str, int]:
    return dict(
        zip(ROLES, [anonymous, guardian, other_guardian, student, teacher, other_staff, principal, admin], strict=True)
    )


def everyone(code: int) -> dict[str, int]:
    return row(*([code] * 8))


def authed(code: int) -> dict[str, int]:
    """401 without a login, `code` for everyone logged in."""
    return row(401, *([code] * 7))


@dataclass
class Case:
    method: str
    route: str  # as in the OpenAPI document, e.g. /api/v1/absence/reports/{report_id}/end
    build: Callable[[dict], tuple[str, dict | None]]  # ctx → (url, JSON body or None)
    expect: dict[str, int]


def matrix_modules() -> list:
    modules = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "tests"):
            tests = import_module(f"{app_config.name}.tests")
            if module_has_submodule(tests, "api_matrix"):
                modules.append(import_module(f"{app_config.name}.tests.api_matrix"))
    return modules
