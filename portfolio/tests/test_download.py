"""'Ladda ner portfolio': a streamed zip, one folder per school year, each entry's text as
HTML with its web-size photos and videos; audited; other families get 404."""

import io
import zipfile

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from portfolio import services
from portfolio.models import Entry
from portfolio.tests.conftest import MP4, consume, gps_jpeg, upload
from roster.models import SchoolYear
from roster.policy import viewer_build

pytestmark = pytest.mark.django_db


def test_zip_has_a_folder_per_school_year_with_text_photos_and_video(client_for, personas, demo, media_storage, store):
    teacher = viewer_build(personas["teacher"])
    photo = store(teacher, demo["norrskolan"].pk, upload("IMG_9.jpg", gps_jpeg()))
    film = store(teacher, demo["norrskolan"].pk, upload("film.mp4", MP4))
    entry = services.entry_save(
        viewer=teacher,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Min bästa dag",
        body="Vi byggde en <strong>bro</strong>.<script>x</script>",
        media_ids=[photo.pk, film.pk],
        publish=True,
    )
    year = SchoolYear.objects.get(pk=entry.school_year_id).name.replace("/", "-")
    response = client_for("guardian").get(reverse("portfolio:child-download", args=[demo["elias"].pk]))
    assert response.status_code == 200
    assert response.streaming  # never built in memory
    assert response["Content-Type"] == "application/zip"
    assert 'filename="portfolio-elias-andersson.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(consume(response)))
    assert archive.testzip() is None
    names = archive.namelist()
    folder = next(n.rsplit("/", 1)[0] for n in names if "min-basta-dag" in n)
    assert folder.startswith(f"{year}/")
    assert {f"{folder}/text.html", f"{folder}/bild-1.jpg", f"{folder}/film-2.mp4"} <= set(names)
    html = archive.read(f"{folder}/text.html").decode()
    assert "Min bästa dag" in html and "<strong>bro</strong>" in html and "<script" not in html
    with photo.web.open("rb") as web:
        assert archive.read(f"{folder}/bild-1.jpg") == web.read()  # the clean web size, no EXIF
    assert b"Exif" not in archive.read(f"{folder}/bild-1.jpg")
    film_bytes = archive.read(f"{folder}/film-2.mp4")
    assert len(film_bytes) == len(MP4) and b"+59.3293" not in film_bytes
    # Only entries about Elias: the demo's Solen entries about Alva are not in it.
    assert not any("vattenfarg" in n or "koja" in n for n in names)
    assert any("utflykt-till-naturum" in n for n in names)
    event = AuditEvent.objects.filter(action="read", details__what="portfolio.download").latest("pk")
    assert event.child_id == demo["elias"].pk and event.actor.email == "anna.andersson@example.se"


def test_other_family_and_other_staff_get_404_and_nothing_is_audited(client_for, demo):
    url = reverse("portfolio:child-download", args=[demo["elias"].pk])
    before = AuditEvent.objects.filter(action="read", details__what="portfolio.download").count()
    assert client_for("other_guardian").get(url).status_code == 404
    assert client_for("other_staff").get(url).status_code == 404
    assert AuditEvent.objects.filter(action="read", details__what="portfolio.download").count() == before


def test_zip_streams_files_in_pieces(monkeypatch, demo, client_for):
    """The archive reads each stored file in 256 KB pieces while it streams: memory does
    not grow with the size of the portfolio."""
    from portfolio import views

    sizes = []
    original = views._storage_chunks

    def spy(storage, name, chunk=256 * 1024):
        for piece in original(storage, name, chunk):
            sizes.append(len(piece))
            yield piece

    monkeypatch.setattr(views, "_storage_chunks", spy)
    response = client_for("guardian").get(reverse("portfolio:child-download", args=[demo["alva"].pk]))
    assert not sizes  # nothing read before the response is iterated
    consume(response)
    assert sizes and max(sizes) <= 256 * 1024
