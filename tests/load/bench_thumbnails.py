"""Benchmark: renditions per second per core for 12-megapixel phone photos.

    .venv/bin/python tests/load/bench_thumbnails.py [--photos 12] [--heic]

Makes a 4000×3000 JPEG like a phone's (noise and gradients, EXIF with GPS), then times the
pipeline's photo_renditions() (decode, orientation, strip metadata, encode the ~1600 px web
size and the ~400 px thumbnail) in this one process, so the figure is per core. Also times a
full-resolution decode for comparison (what Pillow's JPEG draft mode saves). No database.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def twelve_megapixels(fmt: str = "JPEG") -> bytes:
    from PIL import ExifTags, Image, ImageFilter

    size = (4000, 3000)
    noise = Image.effect_noise(size, 60).filter(ImageFilter.GaussianBlur(1.2))
    gradient = Image.linear_gradient("L").resize(size)
    img = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 12.0)})
    out = io.BytesIO()
    img.save(out, fmt, quality=88, exif=exif)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--heic", action="store_true", help="also time HEIC (iPhone) photos")
    args = parser.parse_args()

    from PIL import Image

    from portfolio import imaging

    imaging.register_heif()
    formats = ["JPEG", *(["HEIF"] if args.heic else [])]
    for fmt in formats:
        data = twelve_megapixels(fmt)
        timings, cpu = [], []
        for _ in range(args.photos):
            start, start_cpu = time.perf_counter(), time.process_time()
            thumb, web = imaging.photo_renditions(io.BytesIO(data), thumb_px=400, web_px=1600)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        median, median_cpu = statistics.median(timings), statistics.median(cpu)
        # CPU time is what one core spends; wall time also counts waiting for a busy machine.
        print(
            f"{fmt} 12 MP ({len(data) / 1e6:.1f} MB): {1 / median_cpu:.2f} photos/s per core by CPU time "
            f"({median_cpu * 1000:.0f} ms), {1 / median:.2f}/s by wall clock ({median * 1000:.0f} ms); "
            f"web {web.width}×{web.height} + thumb {thumb.width}×{thumb.height}"
        )
        if fmt == "JPEG":
            full = []
            for _ in range(max(3, args.photos // 3)):
                start = time.process_time()
                with Image.open(io.BytesIO(data)) as img:
                    img.load()
                full.append(time.process_time() - start)
            print(f"  for comparison, a full-resolution decode alone: {statistics.median(full) * 1000:.0f} ms CPU")


if __name__ == "__main__":
    main()
