"""Uploaded files: refused while streaming when too large, typed by their content, served so
that a browser can neither run nor guess them.

- `LimitedUploadHandler` (installed by `config.middleware.UploadLimitMiddleware` on every
  multipart request) stops reading the body as soon as one file passes
  SKOLHUBB_ATTACHMENT_MAX_BYTES or the whole request passes SKOLHUBB_UPLOAD_MAX_REQUEST_BYTES
  (at once from Content-Length when it says so), instead of spooling gigabytes to disk first.
- `sniff_content_type` decides the type from the first bytes, never from the browser's claim.
- `attachment_disposition` builds a well-formed `Content-Disposition` header.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

# Served inline (shown in the browser); everything else is a download.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}

_OOXML = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
_OLE = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}
OCTET = "application/octet-stream"
# Every type sniff_content_type can answer: a stored type outside it (an old row holding what a
# browser claimed) is served as a download of unknown type.
KNOWN_TYPES = (
    INLINE_TYPES
    | set(_OOXML.values())
    | set(_ODF.values())
    | set(_OLE.values())
    | {"application/zip", "application/rtf", "text/plain", OCTET}
)


def too_large_message() -> str:
    mb = max(1, settings.SKOLHUBB_UPLOAD_MAX_REQUEST_BYTES // (1024 * 1024))
    return _("Det du skickar är för stort (högst %(mb)d MB sammanlagt).") % {"mb": mb}


def sniff_content_type(head: bytes, name: str = "") -> str:
    """The type of a file from its first bytes (2 KB is plenty). The name only chooses between
    formats that share a container (a ZIP is .docx or .xlsx; an OLE file is .doc or .xls);
    a name never turns bytes into a type they are not. Unknown → application/octet-stream."""
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument." in head[:120]:
            return _ODF.get(suffix, "application/zip")
        return _OOXML.get(suffix, "application/zip")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _OLE.get(suffix, OCTET)
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    if _looks_like_text(head):
        # Text is text/plain whatever it says inside: HTML or SVG is never served as markup.
        return "text/plain"
    return OCTET


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return False
    return True


def sniff_file(fileobj, name: str = "") -> str:
    """sniff_content_type on a file object, leaving its position where it was."""
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    fileobj.seek(0)
    head = fileobj.read(2048)
    fileobj.seek(position)
    return sniff_content_type(head, name)


def is_inline(content_type: str) -> bool:
    return content_type in INLINE_TYPES


def attachment_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="…"` with an ASCII fallback, plus `filename*=` (RFC 6266/5987) when
    the name has other characters (å, ä, ö)."""
    kind = "inline" if inline else "attachment"
    name = PurePath(filename.replace("\\", "/")).name or "fil"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-.") or "fil"
    header = f'{kind}; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=utf-8''{quote(name, safe='')}"
    return header


class UploadTooLarge(StopUpload):
    def __init__(self, message: str):
        super().__init__(connection_reset=True)
        self.message = message


class LimitedUploadHandler(FileUploadHandler):
    """First in the handler chain: counts bytes and stops the upload (without reading the rest
    of the body) at the per-file or per-request limit. The message lands on
    `request.upload_refused` for UploadLimitMiddleware to answer with 413."""

    def __init__(self, request=None):
        super().__init__(request)
        self.file_bytes = 0
        self.total_bytes = 0

    @staticmethod
    def _mb(value: int) -> int:
        return max(1, value // (1024 * 1024))

    def _refuse(self, message: str):
        self.request.upload_refused = message
        raise UploadTooLarge(message)

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data, start):
        self.file_bytes += len(raw_data)
        self.total_bytes += len(raw_data)
        if self.file_bytes > settings.SKOLHUBB_ATTACHMENT_MAX_BYTES:
            self._refuse(
                _("%(name)s är för stor (högst %(mb)d MB).")
                % {"name": self.file_name, "mb": self._mb(settings.SKOLHUBB_ATTACHMENT_MAX_BYTES)}
            )
        if self.total_bytes > settings.SKOLHUBB_UPLOAD_MAX_REQUEST_BYTES:
            self._refuse(too_large_message())
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers (memory, temporary file) build the file
