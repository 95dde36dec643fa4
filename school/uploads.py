"""Uploaded files for plannings, assignments and submissions: checked by content, not by
the name or the browser's claim, size-limited, images re-encoded (no EXIF/GPS), and served
only through access-checked views (see teaching_views.serve_file)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

MAX_FILES = 5

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# The member an Office Open XML or OpenDocument zip must contain to be what it says.
ZIP_MEMBER = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "mimetype",
    "ods": "mimetype",
    "odp": "mimetype",
}


@dataclass
class CheckedFile:
    upload: object
    name: str
    size: int
    content_type: str


def _head(upload, n: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _content_matches(upload, suffix: str) -> bool:
    head = _head(upload)
    if suffix == "pdf":
        return head.startswith(b"%PDF-")
    if suffix == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix == "txt":
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if suffix in ZIP_MEMBER:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                ok = ZIP_MEMBER[suffix] in archive.namelist()
        except (zipfile.BadZipFile, OSError):
            ok = False
        upload.seek(0)
        return ok
    return False


def _reencode_image(upload, suffix: str, name: str):
    """Re-encode a photo so nothing but the pixels is kept (no EXIF, no GPS)."""
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            fmt = "PNG" if suffix == "png" else "JPEG"
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=fmt)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError(_("%(name)s är ingen giltig bild.") % {"name": name}) from exc
    data = out.getvalue()
    return SimpleUploadedFile(name, data, content_type=CONTENT_TYPES[suffix])


def check_uploads(files, *, field: str = "files") -> list[CheckedFile]:
    """Raise a Swedish ValidationError on the first file that is not allowed; nothing is stored."""
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES:
        raise ValidationError({field: _("Högst %(n)d filer åt gången.") % {"n": MAX_FILES}})
    max_bytes = settings.SKOLHUBB_ATTACHMENT_MAX_BYTES
    checked = []
    for upload in files:
        name = PurePath(upload.name or "fil").name[:200]
        suffix = PurePath(name).suffix.lower().lstrip(".")
        if suffix not in CONTENT_TYPES:
            raise ValidationError(
                {
                    field: _(
                        "Filtypen .%(suffix)s är inte tillåten. Använd PDF, Word, Excel, PowerPoint, OpenDocument, text eller bilder (PNG, JPEG)."
                    )
                    % {"suffix": suffix or "?"}
                }
            )
        if upload.size > max_bytes:
            raise ValidationError(
                {field: _("%(name)s är för stor (högst %(mb)d MB).") % {"name": name, "mb": max_bytes // (1024 * 1024)}}
            )
        if upload.size == 0:
            raise ValidationError({field: _("%(name)s är tom.") % {"name": name}})
        if not _content_matches(upload, suffix):
            raise ValidationError(
                {field: _("%(name)s är inte en riktig .%(suffix)s-fil.") % {"name": name, "suffix": suffix}}
            )
        if suffix in ("png", "jpg", "jpeg"):
            try:
                upload = _reencode_image(upload, suffix, name)
            except ValidationError as exc:
                raise ValidationError({field: exc.messages}) from exc
        checked.append(CheckedFile(upload=upload, name=name, size=upload.size, content_type=CONTENT_TYPES[suffix]))
    return checked


def store_files(model, *, parent_field: str, parent, files: list[CheckedFile]) -> None:
    for f in files:
        model.objects.create(
            **{parent_field: parent}, file=f.upload, name=f.name, size=f.size, content_type=f.content_type
        )


def serve(stored) -> FileResponse | HttpResponseRedirect:
    """Hand out a stored file after the caller's access check: never a public URL. As for the
    Hub's attachments (config.uploads): the type comes from the file's content, only images and
    PDF are shown inline, everything else is a download, and nosniff stops further guessing."""
    from config import uploads as platform

    if getattr(settings, "USE_S3", False):
        content_type = stored.content_type if stored.content_type in platform.KNOWN_TYPES else platform.OCTET
        url = stored.file.storage.url(
            stored.file.name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": platform.attachment_disposition(
                    stored.name, inline=platform.is_inline(content_type)
                ),
                "ResponseCacheControl": "private, no-store",
            },
        )
        return HttpResponseRedirect(url)
    handle = stored.file.open("rb")
    content_type = platform.sniff_file(handle, stored.name)
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = platform.attachment_disposition(
        stored.name, inline=platform.is_inline(content_type)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
