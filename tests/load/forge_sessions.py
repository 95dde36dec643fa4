"""Forge real sessions for the load test: N guardians and staff, logged in as Django would.

    deploy/prod-like.sh python tests/load/forge_sessions.py 500 > var/load/sessions.json

Runs with the prod-like stack's environment (same SECRET_KEY, database and Redis), so the
sessions are valid on its web nodes. Each entry: the session cookie, a CSRF secret to send as
both cookie and form field, the role, and the ids the scenario needs (children, units).
"""

import json
import os
import random
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from roster.models import Guardianship, StaffDuty, active_q

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rng = random.Random(16)
    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    staff_count = max(count // 20, 5)
    guardianships = list(
        Guardianship.objects.filter(active_q())
        .select_related("guardian", "child")
        .prefetch_related("child__placements__unit")
        .order_by("guardian_id")[: (count - staff_count) * 2]
    )
    by_guardian: dict = {}
    for g in guardianships:
        by_guardian.setdefault(g.guardian, []).append(g.child)
    guardians = rng.sample(sorted(by_guardian, key=lambda u: u.pk), min(count - staff_count, len(by_guardian)))
    duties = list(StaffDuty.objects.filter(active_q()).select_related("user", "unit"))
    staff_by_user: dict = {}
    for d in duties:
        staff_by_user.setdefault(d.user, []).append(d.unit)
    staff = rng.sample(sorted(staff_by_user, key=lambda u: u.pk), min(staff_count, len(staff_by_user)))

    def session_for(user) -> str:
        session = store_class()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "accounts.backends.AuthenticationBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        session.save()
        return session.session_key

    out = []
    for user in guardians:
        children = by_guardian[user]
        care = [
            c.pk
            for c in children
            if any(p.unit.kind in ("forskola", "fritidshem") and p.end_date is None for p in c.placements.all())
        ]
        out.append(
            {
                "role": "guardian",
                "email": user.email,
                "session": session_for(user),
                "csrf": secrets.token_hex(16),
                "children": [c.pk for c in children],
                "care_children": care,
            }
        )
    for user in staff:
        units = staff_by_user[user]
        out.append(
            {
                "role": "staff",
                "email": user.email,
                "session": session_for(user),
                "csrf": secrets.token_hex(16),
                "care_units": [u.pk for u in units if u.kind in ("forskola", "fritidshem")],
                "units": [u.pk for u in units],
            }
        )
    json.dump({"session_cookie": settings.SESSION_COOKIE_NAME, "users": out}, sys.stdout)


if __name__ == "__main__":
    main()
