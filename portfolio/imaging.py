"""The media pipeline's pure parts: what a file is (by its bytes, never its name) and the
re-encoding of photos into metadata-free renditions. No database, no storage here.

Pillow with pillow-heif (iPhone HEIC). pyvips would be about twice as fast, but Pillow's
JPEG draft mode (decoding at 1/2, 1/4 or 1/8 scale) closes most of that gap for the
renditions we make, and it saves a second native imaging stack.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from PIL import Image, ImageOps

PHOTO = "photo"
VIDEO = "video"

# ISO base media ("ftyp") brands: HEIF stills and MP4/QuickTime movies.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"qt  ",
    b"3gp4",
    b"3gp5",
    b"MSNV",
}
SNIFF_BYTES = 32


@dataclass(frozen=True)
class Sniffed:
    kind: str  # PHOTO or VIDEO
    content_type: str
    extension: str


def sniff(head: bytes) -> Sniffed | None:
    """What the first bytes of a file say it is, or None for anything we do not accept
    (HTML, SVG, PDF, GIF, executables, a JPEG name on something else)."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(PHOTO, "image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PHOTO, "image/png", "png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed(PHOTO, "image/webp", "webp")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return Sniffed(PHOTO, "image/heic", "heic")
        if brand == b"qt  ":
            return Sniffed(VIDEO, "video/quicktime", "mov")
        if brand in VIDEO_BRANDS:
            return Sniffed(VIDEO, "video/mp4", "mp4")
    return None


def register_heif() -> bool:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        return False
    register_heif_opener()
    return True


def verify_photo_header(data: io.BufferedIOBase) -> tuple[int, int]:
    """Cheap check in the request: Pillow reads the header only (no decoding), so a file
    with a JPEG signature and garbage after it is refused here or fails in the task."""
    with Image.open(data) as img:
        return img.size


@dataclass
class Rendition:
    data: bytes
    width: int
    height: int


def _clean(img: Image.Image) -> Image.Image:
    """Orientation applied, then a fresh RGB image that carries no metadata at all
    (EXIF, GPS, XMP, ICC, comments): only pixels are copied."""
    img = ImageOps.exif_transpose(img)
    if img.mode not in ("RGB", "L"):
        background = Image.new("RGB", img.size, (255, 255, 255))
        rgba = img.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        img = background
    elif img.mode == "L":
        img = img.convert("RGB")
    clean = Image.new("RGB", img.size)
    clean.paste(img)
    return clean


def _encode(img: Image.Image, longest: int) -> Rendition:
    copy = img.copy()
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS if longest <= 400 else Image.Resampling.BICUBIC)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=82, optimize=False, progressive=True)
    return Rendition(out.getvalue(), copy.width, copy.height)


def photo_renditions(source, *, thumb_px: int, web_px: int) -> tuple[Rendition, Rendition]:
    """Decode once (at reduced scale when the format allows), clean, and encode the web
    size and the thumbnail. Raises on a corrupt or undecodable image."""
    with Image.open(source) as img:
        if img.format == "JPEG":
            # DCT scaling: never decode more pixels than the web size needs.
            img.draft("RGB", (web_px, web_px))
        img.load()
        clean = _clean(img)
    web = _encode(clean, web_px)
    thumb = _encode(clean, thumb_px)
    return thumb, web


def ffmpeg_path() -> str | None:
    return shutil.which("ffmpeg")


def video_poster(path: str, *, web_px: int) -> bytes | None:
    """A JPEG of the first second when ffmpeg is installed; None otherwise (not required)."""
    ffmpeg = ffmpeg_path()
    if not ffmpeg:
        return None
    with tempfile.NamedTemporaryFile(suffix=".jpg") as out:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [ffmpeg, "-y", "-loglevel", "error", "-ss", "1", "-i", path, "-frames:v", "1", out.name],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            return None
        thumb, web = photo_renditions(out.name, thumb_px=web_px, web_px=web_px)
        return web.data
