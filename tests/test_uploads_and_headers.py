"""Uploads and what the server says about its responses: the type of a served file comes from
its content, only images and PDF are inline, oversized uploads are refused while streaming,
logged-in pages are not cached, a Permissions-Policy is sent, the CSV's header is well-formed."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from config.middleware import UploadLimitMiddleware
from config.uploads import attachment_disposition, sniff_content_type
from hub.models import NewsAttachment, NewsItem

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"%PDF-1.7 ...", "x.pdf", "application/pdf"),
        (PNG, "bild.png", "image/png"),
        (b"\xff\xd8\xff\xe0", "foto.jpg", "image/jpeg"),
        (b"<html><script>alert(1)</script>", "packlista.pdf", "text/plain"),  # the name lies
        (b"<svg onload=alert(1)>", "bild.png", "text/plain"),
        (
            b"PK\x03\x04" + b"\x00" * 26,
            "brev.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (b"PK\x03\x04" + b"\x00" * 26, "brev.pdf", "application/zip"),
        (b"\x00\x01\x02binary", "x.png", "application/octet-stream"),
        (b"Hej! \xc3\xa5\xc3\xa4\xc3\xb6", "text.txt", "text/plain"),
    ],
)
def test_type_comes_from_the_content(head, name, expected):
    assert sniff_content_type(head, name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("franvaro-3B-HT-2026.csv", 'attachment; filename="franvaro-3B-HT-2026.csv"'),
        ('a"b;c.csv', "attachment; filename=\"a-b-c.csv\"; filename*=utf-8''a%22b%3Bc.csv"),
        ("../../etc/passwd", 'attachment; filename="passwd"'),
        (
            "Frånvaro Solen.csv",
            "attachment; filename=\"Franvaro-Solen.csv\"; filename*=utf-8''Fr%C3%A5nvaro%20Solen.csv",
        ),
    ],
)
def test_content_disposition_is_well_formed(name, expected):
    assert attachment_disposition(name) == expected


def _attachment(demo, name: str, content: bytes, claimed: str) -> NewsAttachment:
    attachment = NewsAttachment(news=demo["solen_news"], name=name, size=len(content), content_type=claimed)
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


@pytest.mark.django_db
def test_served_type_is_sniffed_and_only_images_and_pdf_are_inline(demo, client_for):
    anna = client_for("guardian")
    # A browser claimed text/html for what is HTML: served as a text download, never as a page.
    html = _attachment(demo, "packlista.pdf", b"<html><script>alert(1)</script></html>", "text/html")
    response = anna.get(reverse("hub:news-attachment", args=[html.pk]))
    b"".join(response.streaming_content)  # read to the end: the test client then closes the file
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="packlista.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    pdf = _attachment(demo, "schema.pdf", b"%PDF-1.4 hej", "application/x-whatever")
    response = anna.get(reverse("hub:news-attachment", args=[pdf.pk]))
    b"".join(response.streaming_content)  # read to the end: the test client then closes the file
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="schema.pdf"'
    png = _attachment(demo, "bild.png", PNG, "")
    response = anna.get(reverse("hub:news-attachment", args=[png.pk]))
    b"".join(response.streaming_content)  # read to the end: the test client then closes the file
    assert response["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_uploaded_attachment_stores_the_sniffed_type(demo, client_for):
    # The browser claims HTML; the bytes are a PDF.
    upload = SimpleUploadedFile("packlista.pdf", b"%PDF-1.4 packlista", content_type="text/html")
    response = client_for("teacher").post(
        reverse("hub:news-create"),
        {
            "title": "Sniffad bilaga",
            "body": "Se bilagan.",
            "audience": f"group:{demo['3b'].pk}",
            "publish_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "files": [upload],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = NewsItem.objects.get(title="Sniffad bilaga").attachments.get()
    assert attachment.content_type == "application/pdf"


class CountingReader(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.consumed = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk

    def readline(self, size=-1):
        chunk = super().readline(size)
        self.consumed += len(chunk)
        return chunk


def _multipart_request(settings, file_size: int, *, files: int = 1, with_length: bool = True):
    factory = RequestFactory()
    data = {"title": "x", "csrfmiddlewaretoken": "t"}
    for i in range(files):
        data[f"file{i}"] = ContentFile(b"a" * file_size, name=f"f{i}.txt")
    built = factory.post("/nyheter/ny/", data)
    body = built.body
    environ = dict(built.environ)
    reader = CountingReader(body)
    environ["wsgi.input"] = reader
    if not with_length:
        environ["CONTENT_LENGTH"] = str(len(body))  # as a proxy that passes the real length
    request = WSGIRequest(environ)
    request.user = type("U", (), {"is_authenticated": False})()
    return request, reader, len(body)


@pytest.mark.django_db
def test_oversized_file_is_refused_while_streaming(settings):
    settings.SKOLHUBB_ATTACHMENT_MAX_BYTES = 1024 * 1024  # 1 MB per file
    settings.SKOLHUBB_UPLOAD_MAX_REQUEST_BYTES = 50 * 1024 * 1024
    request, reader, total = _multipart_request(settings, 8 * 1024 * 1024)
    response = UploadLimitMiddleware(lambda r: pytest.fail("the view must not run"))(request)
    assert response.status_code == 413
    assert "f0.txt är för stor (högst 1 MB)." in response.content.decode()
    # Stopped shortly after the limit: most of the 8 MB body was never read.
    assert reader.consumed < 2 * 1024 * 1024 < total


@pytest.mark.django_db
def test_total_per_request_cap(settings):
    settings.SKOLHUBB_ATTACHMENT_MAX_BYTES = 4 * 1024 * 1024
    settings.SKOLHUBB_UPLOAD_MAX_REQUEST_BYTES = 5 * 1024 * 1024
    # Each file is under its own limit; together they are over: refused from Content-Length,
    # without reading anything.
    request, reader, total = _multipart_request(settings, 3 * 1024 * 1024, files=3)
    response = UploadLimitMiddleware(lambda r: pytest.fail("the view must not run"))(request)
    assert response.status_code == 413
    assert "högst 5 MB sammanlagt" in response.content.decode()
    assert reader.consumed == 0


@pytest.mark.django_db
def test_a_small_upload_passes_through(settings):
    settings.SKOLHUBB_ATTACHMENT_MAX_BYTES = 1024 * 1024
    request, reader, total = _multipart_request(settings, 1000)
    seen = {}

    def view(r):
        seen["file"] = r.FILES["file0"].read()
        return "ok"

    assert UploadLimitMiddleware(view)(request) == "ok"
    assert seen["file"] == b"a" * 1000


@pytest.mark.django_db
def test_oversized_news_attachment_end_to_end(settings, demo, client_for):
    settings.SKOLHUBB_ATTACHMENT_MAX_BYTES = 100 * 1024
    before = NewsItem.objects.count()
    response = client_for("teacher").post(
        reverse("hub:news-create"),
        {
            "title": "För stor",
            "body": "x",
            "audience": f"group:{demo['3b'].pk}",
            "publish_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "files": [ContentFile(b"%PDF-" + b"a" * 300 * 1024, name="stor.pdf")],
        },
    )
    assert response.status_code == 413
    assert "stor.pdf är för stor (högst 1 MB)." in response.content.decode()
    assert NewsItem.objects.count() == before


@pytest.mark.django_db
def test_logged_in_pages_are_not_cached_and_permissions_policy_is_sent(client_for, client):
    for url in (reverse("hub:dashboard"), reverse("absence:overview"), reverse("schedules:overview")):
        response = client_for("guardian").get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert "camera=()" in response["Permissions-Policy"]
    login = client.get(reverse("account_login"))
    assert "geolocation=()" in login["Permissions-Policy"]


@pytest.mark.django_db
def test_statistics_csv_disposition(client_for, demo):
    response = client_for("teacher").get(reverse("absence:group-stats-csv", args=[demo["3b"].pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="franvaro-3B-')
    assert disposition.count('"') == 2 and " " not in disposition.split("filename=")[1]
