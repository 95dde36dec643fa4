"""The access matrix's vocabulary and collector.

Each app declares its own rows in `APP/tests/matrix.py`:

    from tests.matrix import LOGIN, row, logged_in

    MATRIX = {"absence:overview": ("absence:overview", logged_in(200)), ...}

    def url_builders(demo) -> dict[str, str]:   # optional: URLs that need objects
        return {"elias_report_edit": reverse(...)}

A row is `url name → (URL name to reverse, or a key of url_builders; expected answer per
role)`. tests/test_access_matrix.py walks every URL the project resolves and fails on one
that no app declared.
"""

from __future__ import annotations

from conftest import ROLES

R = "redirect"
LOGIN = "login"  # 302 to the login page


def row(anonymous, guardian, other_guardian, student, teacher, other_staff, principal, admin):
    return dict(
        zip(ROLES, [anonymous, guardian, other_guardian, student, teacher, other_staff, principal, admin], strict=True)
    )


def everyone(code):
    return row(*([code] * 8))


def logged_in(code):
    return row(LOGIN, *([code] * 7))


def matrix_modules():
    from config.plugins import app_modules

    return [m for m in app_modules("tests.matrix") if hasattr(m, "MATRIX")]


def collected_matrix() -> dict:
    rows: dict = {}
    for module in matrix_modules():
        for name, spec in module.MATRIX.items():
            if name in rows:
                raise ValueError(f"{name} is declared twice in the access matrix ({module.__name__})")
            rows[name] = spec
    return rows


def collected_url_builders(demo) -> dict[str, str]:
    urls: dict[str, str] = {}
    for module in matrix_modules():
        if hasattr(module, "url_builders"):
            urls.update(module.url_builders(demo))
    return urls
