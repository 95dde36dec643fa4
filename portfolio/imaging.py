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
    """A fresh RGB image that carries no metadata at all (EXIF, GPS, XMP, ICC, comments):
    only pixels are copied. Transparent areas become white."""
    if img.mode in ("RGBA", "LA", "P", "PA") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        clean = Image.new("RGB", img.size, (255, 255, 255))
        clean.paste(rgba, mask=rgba.getchannel("A"))
        return clean
    clean = Image.new("RGB", img.size)
    clean.paste(img if img.mode == "RGB" else img.convert("RGB"))
    return clean


def _encode(img: Image.Image) -> Rendition:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=82)  # no exif=, icc_profile= or comment=: nothing but pixels
    return Rendition(out.getvalue(), img.width, img.height)


def photo_renditions(source, *, thumb_px: int, web_px: int) -> tuple[Rendition, Rendition]:
    """Decode once (at reduced scale when the format allows), apply the orientation, scale
    to the web size, copy the pixels into a clean image, encode; the thumbnail is made from
    the web size. Raises on a corrupt or undecodable image."""
    with Image.open(source) as img:
        if img.format == "JPEG":
            # DCT scaling: decode at 1/2, 1/4 or 1/8 when the web size still fits inside.
            ratio = web_px / max(img.size)
            if ratio < 1:
                img.draft("RGB", (max(1, int(img.width * ratio)), max(1, int(img.height * ratio))))
        img.load()
        oriented = ImageOps.exif_transpose(img)
    oriented.thumbnail((web_px, web_px), Image.Resampling.BICUBIC)
    web_img = _clean(oriented)
    thumb_img = web_img.copy()
    thumb_img.thumbnail((thumb_px, thumb_px), Image.Resampling.LANCZOS)
    return _encode(thumb_img), _encode(web_img)


# --- Video metadata -----------------------------------------------------------------------

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"edts"}
METADATA = {b"udta", b"meta"}  # user data (©xyz = GPS, make, model) and Apple's metadata keys
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def neutralise_video_metadata(handle) -> int:
    """Turn every metadata box of an MP4/MOV (udta, meta, XMP) into a `free` box of the
    same size, in place: GPS, camera and dates are overwritten with zeros, offsets stay
    valid, and players skip free boxes. Needs no ffmpeg. Returns how many boxes it freed."""
    handle.seek(0, 2)
    end = handle.tell()
    return _walk_boxes(handle, 0, end)


def _walk_boxes(handle, start: int, end: int) -> int:
    freed = 0
    offset = start
    while offset + 8 <= end:
        handle.seek(offset)
        header = handle.read(8)
        size, kind = int.from_bytes(header[:4], "big"), header[4:8]
        header_size = 8
        if size == 1:
            size = int.from_bytes(handle.read(8), "big")
            header_size = 16
        elif size == 0:
            size = end - offset
        if size < header_size or offset + size > end:
            break  # damaged: leave the rest as it is
        is_xmp = kind == b"uuid" and handle.read(16) == XMP_UUID
        if kind in METADATA or is_xmp:
            handle.seek(offset + 4)
            handle.write(b"free")
            body = size - header_size
            handle.seek(offset + header_size)
            while body > 0:
                step = min(body, 1024 * 1024)
                handle.write(bytes(step))
                body -= step
            freed += 1
        elif kind in CONTAINERS:
            freed += _walk_boxes(handle, offset + header_size, offset + size)
        offset += size
    return freed


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
