"""Run by tests/test_redis_down.py in a subprocess whose REDIS_URL points at a closed port:
a real settings module with Redis configured but unreachable. Prints one JSON line."""

import json
import os
import sys
from datetime import datetime

import time_machine

time_machine.travel(datetime.fromisoformat(sys.argv[1]), tick=True).start()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from absence.models import AbsenceReport, LeaveApplication  # noqa: E402
from roster.models import Child  # noqa: E402

out: dict = {"redis_url": settings.REDIS_URL, "session_engine": settings.SESSION_ENGINE}
client = Client(HTTP_HOST="localhost")
out["login_page"] = client.get(reverse("account_login")).status_code
login = client.post(reverse("account_login"), {"login": "anna.andersson@example.se", "password": "skolhubb-demo"})
out["login"] = login.status_code
out["logged_in"] = "_auth_user_id" in client.session
out["hub"] = client.get(reverse("hub:dashboard")).status_code
alva = Child.objects.get(given_name="Alva", family_name="Andersson")
out["sick"] = client.post(reverse("absence:quick-sick", args=[alva.pk])).status_code
today = timezone.localdate()
out["report_stored"] = AbsenceReport.objects.filter(child=alva, start_date__lte=today, end_date__gte=today).exists()
# A leave application that needs the other guardian's consent (its mail is enqueued).
elias_id = int(sys.argv[2])
start = sys.argv[3]
response = client.post(
    reverse("absence:leave-create"),
    {"child": elias_id, "start_date": start, "end_date": start, "reason": "Resa"},
)
out["leave"] = response.status_code
out["leave_stored"] = LeaveApplication.objects.filter(child_id=elias_id, start_date=start).exists()
# A second request on the same session (read back from the database, not the cache).
out["hub_again"] = client.get(reverse("hub:dashboard")).status_code
print(json.dumps(out))
