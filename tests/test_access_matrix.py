"""The access matrix: every URL the project resolves × every role, with the expected answer.

A URL that is not in MATRIX fails `test_every_url_is_in_the_matrix` with the line to add.
Object URLs are tried with objects of the Solrosens förskola family (Alva's group Solen):
another family (Bo, in 3B), the student, and staff at Norrskolan must get 404.
Roles: anonymous, guardian (Anna), other_guardian (Bo), student (Elias), teacher (3B),
other_staff (pedagog at Solrosen – the unit that owns the objects, so "other" to 3B),
principal (Norrskolan), admin (superuser).
"""

import pytest
from django.urls import reverse

from conftest import ROLES
from tests.matrix import LOGIN, collected_matrix, collected_url_builders, everyone, row
from tests.urlwalk import all_url_names

# Rows of the project itself; every app declares its own in APP/tests/matrix.py.
PROJECT_MATRIX = {
    "robots-txt": ("robots-txt", everyone(200)),
    "set_language": ("set_language", everyone(302)),
    # The Django admin: staff only; everyone else is sent to the admin login.
    "admin:*": ("admin_child_change", row(302, 302, 302, 302, 302, 302, 302, 200)),
}
MATRIX = {**PROJECT_MATRIX, **collected_matrix()}


@pytest.fixture
def url_builders(demo, settings, tmp_path, eid_issuer):
    # eid_issuer: the e-ID start answers a redirect to the (development) provider, found by
    # discovery over HTTP.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return {
        "admin_child_change": reverse("admin:roster_child_change", args=[demo["alva"].pk]),
        **collected_url_builders(demo),
    }


def _web_url_names() -> set[str]:
    # The JSON API's routes have their own matrix (api/tests/test_api_matrix.py, rows in
    # APP/tests/api_matrix.py).
    return {name for name in all_url_names() if not name.startswith("api-v1:")}


def test_every_url_is_in_the_matrix():
    missing = sorted(_web_url_names() - set(MATRIX))
    assert not missing, (
        "These URLs are not in the access matrix. Add a line per URL to the MATRIX of the app's "
        "APP/tests/matrix.py, "
        'e.g.  "' + missing[0] + '": ("<url name or builder>", row(anonymous, guardian, other_guardian, '
        "student, teacher, other_staff, principal, admin)),\nMissing: " + ", ".join(missing)
    )
    stale = sorted(set(MATRIX) - _web_url_names())
    assert not stale, f"The matrix lists URLs the project no longer has: {stale}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, client_for, url_builders):
    target, expected = MATRIX[name]
    url = url_builders.get(target) or reverse(target)
    wrong = []
    for role in ROLES:
        response = client_for(role).get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end, so the file is closed
        want = expected[role]
        if want == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
        else:
            ok = response.status_code == want
        if not ok:
            wrong.append(f"{role}: expected {want}, got {response.status_code} {response.get('Location', '')}")
    assert not wrong, f"{name} ({url}):\n  " + "\n  ".join(wrong)
