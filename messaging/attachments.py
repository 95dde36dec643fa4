"""The platform's upload rules for message attachments: the file types hub allows, the size
limit from settings, and a look at the first bytes so a renamed program is refused."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hub.services import ALLOWED_ATTACHMENT_SUFFIXES

_PDF = (b"%PDF-",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy .doc/.xls/.ppt
_ZIP = (b"PK\x03\x04",)  # docx/xlsx/pptx/odt/ods/odp
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": _PDF,
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
    "rtf": (b"{\\rtf",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain; charset=utf-8",
}


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _looks_right(upload, suffix: str) -> bool:
    if suffix == "txt":
        upload.seek(0)
        sample = upload.read(64 * 1024)
        upload.seek(0)
        if b"\x00" in sample:
            return False
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the sample's end is still text.
            return exc.start >= len(sample) - 3
        return True
    if not _head(upload).startswith(_SIGNATURES[suffix]):
        return False
    if _SIGNATURES[suffix] is _ZIP:
        try:
            upload.seek(0)
            ok = zipfile.is_zipfile(upload)
        finally:
            upload.seek(0)
        return ok
    return True


def attachment_check(upload) -> str:
    """Raise a Swedish ValidationError for a file that breaks the rules; return its
    content type (from the checked suffix, never the browser's word)."""
    name = PurePath(upload.name).name
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix not in ALLOWED_ATTACHMENT_SUFFIXES:
        raise ValidationError(
            {
                "files": _("Filtypen .%(suffix)s är inte tillåten. Använd t.ex. PDF, Word, Excel eller bilder.")
                % {"suffix": suffix or "?"}
            }
        )
    if upload.size > settings.SKOLHUBB_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "files": _("%(name)s är för stor (högst %(mb)d MB).")
                % {"name": name, "mb": settings.SKOLHUBB_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    if upload.size == 0 or not _looks_right(upload, suffix):
        raise ValidationError(
            {"files": _("%(name)s är inte en riktig .%(suffix)s-fil.") % {"name": name, "suffix": suffix}}
        )
    return CONTENT_TYPES.get(suffix, "application/octet-stream")
