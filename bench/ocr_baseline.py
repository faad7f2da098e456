"""Seconds per page: plain full-page PP-OCR beside the scan path, in the same run.

    python -m bench.ocr_baseline IMAGE_OR_PDF... [--dpi 200] [--limit N] [--legacy]

PDF pages are rendered at --dpi; image files (and every frame of a TIFF) are
read as they are. For each page: `plain` is one rapidocr call with its defaults
(detection, orientation, recognition) on the page; `scan_path` is what the
pipeline spends on the page's text: `extractors.scan.read_scan_page`
(preparation, rulings, OCR) plus the grid builder and the re-reading of short
table cells (as `extractors.pages.refine_scan_cells` picks them). `--legacy` adds the same
with the engine's fast route hidden (full-page OCR, as engines without
`detect` get). Prints one line per page and the medians. Run with no other OCR
process on the machine; compare only figures from one run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence

from extractors.grid import build_grids
from extractors.ocr import OcrEngine, OcrLine, get_engine
from extractors.ocr.rapid import RapidOcrEngine
from extractors.scan import read_scan_page, reread_cells
from extractors.template.labels import squash


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


class FullPage:
    """The engine without its `detect`: the scan path falls back to full-page OCR."""

    name = "rapidocr-full-page"

    def __init__(self, engine: OcrEngine) -> None:
        self._engine = engine

    def read_page(self, image: np.ndarray) -> list[OcrLine]:
        return self._engine.read_page(image)

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        return self._engine.recognize(crops)


def scan_path(image: np.ndarray, engine: OcrEngine) -> float:
    """Seconds the pipeline spends on one scanned page's text and cells: the page
    read, the grids built, and short cells re-read as `refine_scan_cells` picks them."""
    t = time.perf_counter()
    page = read_scan_page(image, 1, engine)
    grids = build_grids(page)
    cells = [c for g in grids for c in g.cells if c.row_span == 1 and len(squash(c.text)) <= 8]
    reread_cells(page, cells, engine)
    return time.perf_counter() - t


def measure(
    paths: list[Path], dpi: int = 200, limit: int | None = None, legacy: bool = False
) -> list[dict[str, float | str]]:
    engine = get_engine()
    assert isinstance(engine, RapidOcrEngine)
    engine.read_page(np.full((64, 64, 3), 255, np.uint8))  # load the models first
    rows: list[dict[str, float | str]] = []
    for path in paths:
        for name, image in pages(path, dpi):
            if limit is not None and len(rows) >= limit:
                return rows
            row: dict[str, float | str] = {"page": name}
            row["plain"] = plain_full_page(engine, image)
            if legacy:
                row["legacy"] = scan_path(image, FullPage(engine))
            row["scan_path"] = scan_path(image, engine)
            rows.append(row)
            times = "  ".join(f"{k} {v:6.2f}s" for k, v in row.items() if k != "page")
            print(f"{name:50s} {image.shape[1]}x{image.shape[0]}  {times}", flush=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--legacy", action="store_true", help="also time the full-page scan path")
    args = ap.parse_args(argv)
    rows = measure(args.paths, args.dpi, args.limit, args.legacy)
    if rows:
        keys = [k for k in rows[0] if k != "page"]
        med = {k: statistics.median(float(r[k]) for r in rows) for k in keys}
        ratio = "  ".join(f"scan_path/{k} {med['scan_path'] / med[k]:.2f}"
                          for k in keys if k != "scan_path")
        times = "  ".join(f"{k} {v:.2f}s" for k, v in med.items())
        print(f"median over {len(rows)} pages: {times}  ({ratio})")


if __name__ == "__main__":
    main()
