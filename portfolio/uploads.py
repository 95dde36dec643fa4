"""The size and type check while an upload streams in: a file is judged on its first
chunk (its magic bytes) and dropped the moment it passes its kind's size limit, before
it has been stored anywhere. The service checks the stored result again (a crafted
request that skipped this handler is refused there too)."""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from portfolio import conf
from portfolio.imaging import PHOTO, SNIFF_BYTES, sniff

TYPE = "type"
SIZE = "size"


class SniffingLimitHandler(FileUploadHandler):
    """First in request.upload_handlers; passes chunks on to Django's own handlers."""

    def __init__(self, request=None):
        super().__init__(request)
        self.refused: list[tuple[str, str]] = []  # (file name, TYPE or SIZE)
        self._size = 0
        self._head = b""
        self._limit = None
        self._total = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._size = 0
        self._head = b""
        self._limit = None

    def _refuse(self, reason: str):
        self.refused.append((self.file_name or "", reason))
        raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        self._size += len(raw_data)
        self._total += len(raw_data)
        # The whole request is capped too: one film, or ten photos, and the form around them.
        total_cap = max(conf.get("PORTFOLIO_VIDEO_MAX_BYTES"), 10 * conf.get("PORTFOLIO_PHOTO_MAX_BYTES"))
        if self._total > total_cap:
            self._refuse(SIZE)
        if self._limit is None:
            self._head += raw_data[: SNIFF_BYTES - len(self._head)]
            if len(self._head) >= SNIFF_BYTES or len(raw_data) == 0:
                self._decide()
        if self._limit is not None and self._size > self._limit:
            self._refuse(SIZE)
        return raw_data

    def _decide(self):
        found = sniff(self._head)
        if found is None:
            self._refuse(TYPE)
        self._limit = conf.get("PORTFOLIO_PHOTO_MAX_BYTES" if found.kind == PHOTO else "PORTFOLIO_VIDEO_MAX_BYTES")

    def file_complete(self, file_size):
        # A file shorter than the sniffing window is judged by the service.
        return None
