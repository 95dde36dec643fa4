"""SS 12000 import: the sample file for the demo municipality, twice; dry run; bad rows
refused one by one; an API read page by page over real HTTP."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from roster.models import Child, ExternalId, Group, Guardianship, Placement, StaffDuty, Unit
from roster.ss12000 import read_source, ss12000_import

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "ss12000_demo.json"


def _counts():
    return {m.__name__: m.objects.count() for m in (Unit, Group, Child, User, Guardianship, Placement, StaffDuty)}


@pytest.mark.django_db
def test_sample_file_imports_and_a_second_run_changes_nothing(mailoutbox, django_capture_on_commit_callbacks):
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        report = ss12000_import(read_source(str(SAMPLE)))
    after = _counts()
    assert after["Unit"] - before["Unit"] == 3  # the huvudman is not a unit
    assert after["Child"] - before["Child"] == 3  # Felix has an invalid personnummer
    assert after["User"] - before["User"] == 5  # three guardians, a principal, a teacher
    noah = Child.objects.get(given_name="Noah", family_name="Lind")
    assert noah.protected_identity
    tove = Child.objects.get(given_name="Tove")
    assert set(Guardianship.objects.filter(child=tove).values_list("guardian__email", flat=True)) == {
        "lisa.ek@example.se",
        "olof.ek@example.se",
    }
    assert Placement.objects.filter(child=tove, group__name="2A").exists()
    assert StaffDuty.objects.filter(user__email="rut.rektor@example.se", role="rektor").count() == 2
    assert any("ogiltigt personnummer" in r for r in report.refused)
    assert any("okänd organisation" in r for r in report.refused)
    # New guardians get the activation e-mail (through the existing activation service).
    assert {m.to[0] for m in mailoutbox} >= {"lisa.ek@example.se", "olof.ek@example.se", "maja.lind@example.se"}

    again = ss12000_import(read_source(str(SAMPLE)))
    assert _counts() == after
    assert again.created == [] and again.changed == [] and again.ended == []
    assert len(again.refused) == len(report.refused)


@pytest.mark.django_db
def test_dry_run_prints_the_same_report_and_changes_nothing(capsys):
    before = _counts()
    call_command("import_ss12000", str(SAMPLE), "--dry-run")
    dry = capsys.readouterr().out
    assert _counts() == before and not ExternalId.objects.exists()
    call_command("import_ss12000", str(SAMPLE))
    real = capsys.readouterr().out
    assert dry.replace("Provkörning – inget har ändrats.\n", "") == real


@pytest.mark.django_db
def test_changes_are_reported_field_by_field_and_missing_rows_end(tmp_path):
    ss12000_import(read_source(str(SAMPLE)))
    data = json.loads(SAMPLE.read_text())
    tove = next(p for p in data["persons"] if p["givenName"] == "Tove")
    tove["familyName"] = "Ek Lind"
    data["duties"] = [d for d in data["duties"] if d["dutyRole"] != "Lärare"]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    report = ss12000_import(read_source(str(changed)))
    assert any("family_name: 'Ek' → 'Ek Lind'" in c for c in report.changed)
    assert any(e.startswith("tjänstgöring") for e in report.ended)
    assert not StaffDuty.objects.active().filter(user__email="lars.larare@example.se").exists()


@pytest.mark.django_db
def test_existing_person_is_matched_by_personnummer(demo):
    anna = User.objects.get(email="anna.andersson@example.se")
    data = json.loads(SAMPLE.read_text())
    lisa = next(p for p in data["persons"] if p["givenName"] == "Lisa")
    anna.personnummer = lisa["civicNo"]["value"]
    anna.save()
    ss12000_import(data)
    assert ExternalId.objects.get(kind="user", external_id=lisa["id"]).local_id == anna.pk
    assert not User.objects.filter(email="lisa.ek@example.se").exists()


@pytest.mark.django_db
def test_reads_an_ss12000_api_page_by_page():
    data = json.loads(SAMPLE.read_text())
    requests = []

    class Api(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requests.append(self.path)
            kind, _, query = self.path.strip("/").partition("?")
            rows = data[kind.split("/")[-1]]
            page = 1 if "pageToken=2" in query else 0
            chunk = rows[page * 2 : page * 2 + 2] if page == 0 else rows[2:]
            body = {"data": chunk, **({"pageToken": "2"} if page == 0 and len(rows) > 2 else {})}
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        read = read_source(f"http://127.0.0.1:{server.server_port}/ss12000/v2")
    finally:
        server.shutdown()
        server.server_close()
    assert {k: len(v) for k, v in read.items()} == {k: len(v) for k, v in data.items()}
    assert any("pageToken=2" in r for r in requests)


@pytest.mark.django_db
def test_admin_upload_dry_run_then_real(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    admin = client_for("admin")
    url = reverse("admin:roster_unit_import_ss12000")
    assert admin.get(url).status_code == 200
    upload = SimpleUploadedFile("ss12000.json", SAMPLE.read_bytes(), content_type="application/json")
    dry = admin.post(url, {"file": upload, "dry_run": "on"})
    assert "Provkörning" in dry.content.decode() and not Unit.objects.filter(name="Ekskolan").exists()
    upload = SimpleUploadedFile("ss12000.json", SAMPLE.read_bytes(), content_type="application/json")
    admin.post(url, {"file": upload})
    assert Unit.objects.filter(name="Ekskolan").exists()
    bad = admin.post(url, {"file": SimpleUploadedFile("x.json", b"[1, 2]")})
    assert "inte ett JSON-objekt" in bad.content.decode()
    assert client_for("teacher").get(url).status_code == 302  # not staff in the admin: to its login
