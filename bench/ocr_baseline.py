"""Seconds per page: plain full-page PP-OCR beside the scan path, in the same run.

    python -m bench.ocr_baseline IMAGE_OR_PDF... [--dpi 200] [--limit N]

PDF pages are rendered at --dpi; image files (and every frame of a TIFF) are
read as they are. For each page: `plain` is one rapidocr call with its defaults
(detection, orientation, recognition) on the page; `scan_path` is
`extractors.scan.read_scan_page` (preparation, rulings, OCR, splitting). Prints
one line per page and the medians. Run with no other OCR process on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence

from extractors.ocr import get_engine
from extractors.ocr.rapid import RapidOcrEngine
from extractors.scan import read_scan_page


def pages(path: Path, dpi: int) -> Iterator[tuple[str, np.ndarray]]:
    if path.is_dir():
        for f in sorted(path.iterdir()):
            yield from pages(f, dpi)
    elif path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            for i in range(len(doc)):
                img = doc[i].render(scale=dpi / 72).to_pil().convert("RGB")
                yield f"{path.name}#{i + 1}", np.asarray(img)
        finally:
            doc.close()
    elif path.suffix.lower() in {".png", ".jpg", ".jpeg", ".tif", ".tiff"}:
        with Image.open(path) as im:
            for i, frame in enumerate(ImageSequence.Iterator(im)):
                yield f"{path.name}#{i + 1}", np.asarray(frame.convert("RGB"))


def plain_full_page(engine: RapidOcrEngine, image: np.ndarray) -> float:
    """Seconds for one default rapidocr call (det + cls + rec) on the page."""
    bgr = np.ascontiguousarray(image[..., ::-1])
    t = time.perf_counter()
    engine._ocr(bgr)
    return time.perf_counter() - t


def measure(
    paths: list[Path], dpi: int = 200, limit: int | None = None
) -> list[dict[str, float | str]]:
    engine = get_engine()
    assert isinstance(engine, RapidOcrEngine)
    engine.read_page(np.full((64, 64, 3), 255, np.uint8))  # load the models first
    rows: list[dict[str, float | str]] = []
    for path in paths:
        for name, image in pages(path, dpi):
            if limit is not None and len(rows) >= limit:
                return rows
            plain = plain_full_page(engine, image)
            t = time.perf_counter()
            read_scan_page(image, 1, engine)
            ours = time.perf_counter() - t
            rows.append({"page": name, "plain": plain, "scan_path": ours})
            print(
                f"{name:50s} {image.shape[1]}x{image.shape[0]}  plain {plain:6.2f}s"
                f"  scan_path {ours:6.2f}s",
                flush=True,
            )
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    rows = measure(args.paths, args.dpi, args.limit)
    if rows:
        plain = statistics.median(float(r["plain"]) for r in rows)
        ours = statistics.median(float(r["scan_path"]) for r in rows)
        print(f"median over {len(rows)} pages: plain {plain:.2f}s  scan_path {ours:.2f}s")


if __name__ == "__main__":
    main()
