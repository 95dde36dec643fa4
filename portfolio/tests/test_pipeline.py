"""The media pipeline: accepted by content, never by name; refused files stored nowhere;
renditions made in the Celery task with every byte of metadata gone; a corrupt image
ends in a clear failed state; video served with range requests."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import ExifTags, Image

from portfolio import imaging, services
from portfolio.models import Media
from portfolio.tests.conftest import GPS_XYZ, MP4, consume, gps_jpeg, image_bytes, upload
from roster.policy import viewer_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_viewer(personas):
    return viewer_build(personas["teacher"])


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _assert_no_metadata(data: bytes):
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG"
    exif = img.getexif()
    assert len(exif) == 0, dict(exif)
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in data and b"DemoPhone" not in data
    assert "icc_profile" not in img.info and "xmp" not in img.info


def test_sniff_by_content():
    assert imaging.sniff(gps_jpeg()[:32]).content_type == "image/jpeg"
    assert imaging.sniff(image_bytes("PNG")[:32]).content_type == "image/png"
    assert imaging.sniff(image_bytes("WEBP")[:32]).content_type == "image/webp"
    assert imaging.sniff(MP4[:32]).content_type == "video/mp4"
    assert imaging.sniff(b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ").content_type == "video/quicktime"
    assert imaging.sniff(b"<!DOCTYPE html><html><script>alert(1)</script>") is None
    assert imaging.sniff(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">') is None
    assert imaging.sniff(b"GIF89a\x01\x00") is None
    assert imaging.sniff(b"%PDF-1.7") is None


def test_gps_photo_is_stripped_in_every_rendition(store, teacher_viewer, demo, media_storage):
    original = gps_jpeg(orientation=6)
    source = Image.open(io.BytesIO(original))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo really carries GPS
    media = store(teacher_viewer, demo["norrskolan"].pk, upload("IMG_0001.jpg", original))
    media.refresh_from_db()  # Celery ran eagerly after commit
    assert media.state == Media.State.READY
    for field in (media.thumb, media.web):
        _assert_no_metadata(_read(field))
    thumb = Image.open(io.BytesIO(_read(media.thumb)))
    web = Image.open(io.BytesIO(_read(media.web)))
    # Orientation 6 (rotated 90°) applied: the 1200×900 landscape becomes a portrait.
    assert web.size == (900, 1200)
    assert max(thumb.size) == 400
    assert not media.original  # not kept by default
    assert not list((media_storage / "portfolio").rglob("original*"))


def test_original_kept_only_when_the_setting_says_so(store, teacher_viewer, demo, media_storage, settings):
    settings.PORTFOLIO_KEEP_ORIGINALS = True
    media = store(teacher_viewer, demo["norrskolan"].pk, upload("a.jpg", gps_jpeg()))
    media.refresh_from_db()
    assert media.state == Media.State.READY and media.original


@pytest.mark.parametrize(("fmt", "params"), [("PNG", {}), ("WEBP", {}), ("HEIF", {})], ids=["png", "webp", "heic"])
def test_other_photo_formats_become_clean_jpeg(store, fmt, params, teacher_viewer, demo, media_storage):
    data = image_bytes(fmt, **params)
    media = store(teacher_viewer, demo["norrskolan"].pk, upload("x.bin", data))
    media.refresh_from_db()
    assert media.state == Media.State.READY, media.error
    _assert_no_metadata(_read(media.web))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("semester.jpg", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("logga.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'),
        ("bild.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("animation.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_disguised_files_are_refused_and_stored_nowhere(name, data, teacher_viewer, demo, media_storage):
    before = Media.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.media_upload(viewer=teacher_viewer, unit_id=demo["norrskolan"].pk, uploaded=upload(name, data))
    assert "är inte en bild" in exc.value.messages[0]
    assert Media.objects.count() == before
    assert not (media_storage / "portfolio").exists()


def test_disguised_file_through_the_upload_view(client_for, demo, media_storage):
    client = client_for("teacher")
    before = Media.objects.count()
    url = reverse("portfolio:media-upload", args=[demo["norrskolan"].pk])
    fake = upload("IMG_2001.jpg", b"<html><script>alert(1)</script></html>" + b" " * 100)
    response = client.post(url, {"file": fake})
    assert response.status_code == 400
    assert "är inte en bild" in response.json()["error"]
    assert Media.objects.count() == before
    assert not (media_storage / "portfolio").exists()


def test_portfolio_size_limit_refuses_and_stores_nothing(client_for, demo, media_storage, settings):
    settings.PORTFOLIO_PHOTO_MAX_BYTES = 200 * 1024
    before = Media.objects.count()
    big = gps_jpeg() + bytes(400 * 1024)  # a JPEG signature, then too much
    response = client_for("teacher").post(
        reverse("portfolio:media-upload", args=[demo["norrskolan"].pk]), {"file": upload("stor.jpg", big)}
    )
    assert response.status_code == 400
    assert "för stor" in response.json()["error"]
    assert Media.objects.count() == before
    assert not (media_storage / "portfolio").exists()


def test_the_upload_handler_drops_the_file_at_the_limit(settings):
    from portfolio.uploads import SIZE, SniffingLimitHandler

    settings.PORTFOLIO_PHOTO_MAX_BYTES = 100
    handler = SniffingLimitHandler()
    handler.new_file("file", "a.jpg", "image/jpeg", None)
    handler.receive_data_chunk(gps_jpeg()[:64], 0)
    from django.core.files.uploadhandler import SkipFile

    with pytest.raises(SkipFile):
        handler.receive_data_chunk(bytes(64), 64)  # the 128th byte passes the limit: no more is read
    assert handler.refused == [("a.jpg", SIZE)]


def test_corrupt_image_ends_failed_and_pages_still_work(store, teacher_viewer, demo, media_storage, client_for):
    from portfolio.models import Entry

    whole = gps_jpeg()
    broken = whole[: len(whole) // 2]  # a real header, then the picture stops halfway
    media = store(teacher_viewer, demo["norrskolan"].pk, upload("trasig.jpg", broken))
    media.refresh_from_db()
    assert media.state == Media.State.FAILED
    assert media.error
    entry = services.entry_save(
        viewer=teacher_viewer,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Trasig bild",
        body="",
        media_ids=[media.pk],
        publish=True,
    )
    page = client_for("guardian").get(reverse("portfolio:entry-detail", args=[entry.pk]))
    assert page.status_code == 200
    assert "Filen gick inte att bearbeta" in page.content.decode()
    assert client_for("guardian").get(reverse("portfolio:media", args=[media.pk, "web"])).status_code == 404
    box = client_for("guardian").get(reverse("hub:dashboard"))
    assert box.status_code == 200


def test_unreadable_header_is_refused_in_the_request(teacher_viewer, demo, media_storage):
    with pytest.raises(ValidationError) as exc:
        services.media_upload(
            viewer=teacher_viewer, unit_id=demo["norrskolan"].pk, uploaded=upload("a.jpg", gps_jpeg()[:600])
        )
    assert "går inte att läsa" in exc.value.messages[0]
    assert not (media_storage / "portfolio").exists()


def test_placeholder_until_the_task_has_run(store, teacher_viewer, demo, media_storage, client_for):
    from celery import current_app

    from portfolio.models import Entry

    current_app.conf.task_always_eager = False
    try:
        from unittest import mock

        with mock.patch("portfolio.tasks.process_media.delay_on_commit") as delay:
            media = store(teacher_viewer, demo["norrskolan"].pk, upload("a.jpg", gps_jpeg()))
        delay.assert_called_once_with(media.pk)
    finally:
        current_app.conf.task_always_eager = True
    assert media.state == Media.State.PENDING and not media.thumb
    entry = services.entry_save(
        viewer=teacher_viewer,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Snart",
        body="",
        media_ids=[media.pk],
        publish=True,
    )
    html = client_for("guardian").get(reverse("portfolio:entry-detail", args=[entry.pk])).content.decode()
    assert "Bilden bearbetas och visas snart." in html
    services.media_process(media_id=media.pk)
    html = client_for("guardian").get(reverse("portfolio:entry-detail", args=[entry.pk])).content.decode()
    assert reverse("portfolio:media", args=[media.pk, "web"]) in html


def test_video_is_served_with_range_requests(store, teacher_viewer, demo, media_storage, client_for):
    from portfolio.models import Entry

    media = store(teacher_viewer, demo["norrskolan"].pk, upload("film.mp4", MP4))
    media.refresh_from_db()
    assert media.kind == Media.Kind.VIDEO and media.state == Media.State.READY
    services.entry_save(
        viewer=teacher_viewer,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Film",
        body="",
        media_ids=[media.pk],
        publish=True,
    )
    url = reverse("portfolio:media", args=[media.pk, "video"])
    client = client_for("guardian")
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert whole["Cache-Control"].startswith("private")
    served = consume(whole)
    # Same size and structure, the metadata boxes zeroed: no place, no phone model.
    assert len(served) == len(MP4) and served[:24] == MP4[:24]
    assert GPS_XYZ not in served and b"iPhone" not in served and b"com.apple" not in served
    assert served.count(b"free") == 3 and served.endswith(bytes(1024))
    part = client.get(url, HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    assert consume(part) == b"ftypmp42"
    assert GPS_XYZ in MP4  # the upload did carry it
    tail = client.get(url, HTTP_RANGE="bytes=-4")
    assert consume(tail) == MP4[-4:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(MP4) + 10}-").status_code == 416
    assert client_for("other_guardian").get(url).status_code == 404


def test_x_accel_redirect_when_configured(store, teacher_viewer, demo, media_storage, client_for, settings):
    from portfolio.models import Entry

    media = store(teacher_viewer, demo["norrskolan"].pk, upload("a.jpg", gps_jpeg()))
    services.entry_save(
        viewer=teacher_viewer,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Foto",
        body="",
        media_ids=[media.pk],
        publish=True,
    )
    settings.PORTFOLIO_X_ACCEL_REDIRECT = "/_protected-media/"
    media.refresh_from_db()
    response = client_for("guardian").get(reverse("portfolio:media", args=[media.pk, "thumb"]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected-media/" + media.thumb.name
    assert response["Cache-Control"].startswith("private")
    assert response.content == b""


def test_signed_url_on_s3(store, teacher_viewer, demo, media_storage, client_for, settings, monkeypatch):
    """With S3 the view redirects to a short-lived signed URL made by the storage."""
    from portfolio.models import Entry

    media = store(teacher_viewer, demo["norrskolan"].pk, upload("a.jpg", gps_jpeg()))
    services.entry_save(
        viewer=teacher_viewer,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Foto",
        body="",
        media_ids=[media.pk],
        publish=True,
    )
    settings.USE_S3 = True
    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(
        FileSystemStorage, "url", lambda self, name: f"https://bucket.example/{name}?X-Amz-Expires=60&X-Amz-Signature=x"
    )
    response = client_for("guardian").get(reverse("portfolio:media", args=[media.pk, "web"]))
    assert response.status_code == 302
    assert "X-Amz-Signature" in response["Location"]
    assert response["Cache-Control"].startswith("private")
    assert client_for("other_guardian").get(reverse("portfolio:media", args=[media.pk, "web"])).status_code == 404


def test_abandoned_uploads_are_removed_after_a_day(teacher_viewer, demo, media_storage, store):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from portfolio.tasks import PERIODIC_TASKS, remove_abandoned_uploads

    assert PERIODIC_TASKS["portfolio-abandoned-uploads"]["task"] == "portfolio.tasks.remove_abandoned_uploads"
    media = store(teacher_viewer, demo["norrskolan"].pk, upload("a.jpg", gps_jpeg()))
    thumb = media_storage / media.thumb.name
    assert remove_abandoned_uploads() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert remove_abandoned_uploads.delay().get() == 1
    assert not Media.objects.filter(pk=media.pk).exists() and not thumb.exists()


@pytest.mark.django_db
def test_a_photo_over_the_site_attachment_limit_but_under_the_portfolio_limit_is_accepted(client_for, demo, settings):
    """The site-wide attachment limit (news files) does not cut the portfolio's own: the
    upload view streams its body through the portfolio's handler (photos 25 MB by default)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from PIL import Image

    settings.SKOLHUBB_ATTACHMENT_MAX_BYTES = 1024  # 1 KB for news attachments
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buffer, "JPEG", quality=95)
    assert len(buffer.getvalue()) > 1024
    photo = SimpleUploadedFile("bild.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client_for("teacher").post(
        reverse("portfolio:media-upload", args=[demo["norrskolan"].pk]), {"file": photo}
    )
    assert response.status_code != 413
