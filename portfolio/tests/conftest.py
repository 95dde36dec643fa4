import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portfolio.demo import demo_photo


@pytest.fixture
def media_storage(settings, tmp_path):
    """Media of the test go to a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def gps_jpeg(*, orientation: int = 1, size=(1200, 900)) -> bytes:
    return demo_photo(random.Random(7), size=size, orientation=orientation)


def image_bytes(fmt: str, *, size=(800, 600), **params) -> bytes:
    img = Image.new("RGB", size, (30, 120, 200))
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# A minimal ISO-BMFF MP4 like a phone's: ftyp, a moov whose user data carries the place it was
# filmed (©xyz) and Apple's metadata box, a track with its own user data, and the media data.
def _box(kind: bytes, body: bytes) -> bytes:
    return (8 + len(body)).to_bytes(4, "big") + kind + body


GPS_XYZ = b"+59.3293+018.0686/"
MP4 = (
    _box(b"ftyp", b"mp42\x00\x00\x00\x00mp42isom")
    + _box(
        b"moov",
        _box(b"mvhd", bytes(100))
        + _box(b"trak", _box(b"tkhd", bytes(84)) + _box(b"udta", _box(b"name", b"iPhone 15 Pro")))
        + _box(b"udta", _box(b"\xa9xyz", b"\x00\x12\x15\xc7" + GPS_XYZ))
        + _box(b"meta", bytes(4) + _box(b"keys", b"com.apple.quicktime.location.ISO6709" + GPS_XYZ)),
    )
    + _box(b"mdat", bytes(1024))
)


@pytest.fixture
def store(django_capture_on_commit_callbacks):
    """store(viewer, unit_id, uploaded) → the Media, with the after-commit Celery task run
    (eagerly) as it would be once the request's transaction commits."""
    from portfolio import services

    def run(viewer, unit_id, uploaded):
        with django_capture_on_commit_callbacks(execute=True):
            media = services.media_upload(viewer=viewer, unit_id=unit_id, uploaded=uploaded)
        media.refresh_from_db()
        return media

    return run


def consume(response) -> bytes:
    """The body, with a streamed file read to the end and closed (without response.close(),
    which would end the test's database connection through request_finished)."""
    if not response.streaming:
        return response.content
    body = b"".join(response.streaming_content)
    handle = getattr(response, "file_to_stream", None)
    if handle is not None:
        handle.close()
    return body
