"""Write degraded page images in the containers scans arrive in.

jpg / png: one image; a multi-page report becomes one tall image (pages stacked,
as the long screenshots shared on phones), recorded as `stitched`.
tiff: one multi-page TIFF. pdf: an image-only PDF (no text layer). folder: a
directory of page images `<name>/page-01.jpg` … read as one document.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

CONTAINERS: tuple[str, ...] = ("jpg", "png", "tiff", "pdf", "folder")


def _pil(img: np.ndarray) -> Image.Image:
    return Image.fromarray(img, "L" if img.ndim == 2 else "RGB")


def _bilevel(img: np.ndarray) -> bool:
    return img.ndim == 2 and bool(np.isin(img, (0, 255)).all())


def _jpeg(im: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    im.convert("L" if im.mode in ("L", "1") else "RGB").save(
        buf, "JPEG", quality=quality, optimize=True
    )
    return buf.getvalue()


def stitch(pages: list[np.ndarray], gap: int = 24) -> np.ndarray:
    """Pages one under the other, centred, on a light grey strip."""
    gray = all(p.ndim == 2 for p in pages)
    pages = pages if gray else [np.dstack([p] * 3) if p.ndim == 2 else p for p in pages]
    w = max(p.shape[1] for p in pages)
    h = sum(p.shape[0] for p in pages) + gap * (len(pages) - 1)
    out = np.full((h, w) if gray else (h, w, 3), 225, np.uint8)
    y = 0
    for p in pages:
        x = (w - p.shape[1]) // 2
        out[y : y + p.shape[0], x : x + p.shape[1]] = p
        y += p.shape[0] + gap
    return out


def write(
    container: str, pages: list[np.ndarray], directory: Path, name: str, *, dpi: int, quality: int
) -> tuple[list[Path], int]:
    """Write `pages`; returns the files written and the page count a reader will see.

    Raises ValueError for an unknown container.
    """
    directory.mkdir(parents=True, exist_ok=True)
    if container in ("jpg", "png"):
        im = _pil(stitch(pages) if len(pages) > 1 else pages[0])
        path = directory / f"{name}.{container}"
        if container == "jpg":
            path.write_bytes(_jpeg(im, quality))
        else:
            if _bilevel(np.asarray(im)):
                im = im.convert("1")
            im.save(path, "PNG", optimize=True, dpi=(dpi, dpi))
        return [path], 1
    if container == "tiff":
        ims = [_pil(p) for p in pages]
        path = directory / f"{name}.tiff"
        if all(_bilevel(p) for p in pages):
            ims = [im.convert("1") for im in ims]
            ims[0].save(
                path,
                "TIFF",
                save_all=True,
                append_images=ims[1:],
                compression="group4",
                dpi=(dpi, dpi),
            )
        else:
            ims[0].save(
                path,
                "TIFF",
                save_all=True,
                append_images=ims[1:],
                compression="jpeg",
                quality=quality,
                dpi=(dpi, dpi),
            )
        return [path], len(pages)
    if container == "pdf":
        path = directory / f"{name}.pdf"
        buf = io.BytesIO()
        c = canvas.Canvas(buf, invariant=1)
        c.setProducer("nianbao sample generator")
        for p in pages:
            w_pt, h_pt = p.shape[1] * 72 / dpi, p.shape[0] * 72 / dpi
            c.setPageSize((w_pt, h_pt))
            c.drawImage(ImageReader(io.BytesIO(_jpeg(_pil(p), quality))), 0, 0, w_pt, h_pt)
            c.showPage()
        c.save()
        path.write_bytes(buf.getvalue())
        return [path], len(pages)
    if container == "folder":
        folder = directory / name
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("page-*"):
            old.unlink()
        files = []
        for i, p in enumerate(pages, 1):
            path = folder / f"page-{i:02d}.jpg"
            path.write_bytes(_jpeg(_pil(p), quality))
            files.append(path)
        return files, len(pages)
    raise ValueError(f"unknown container {container!r}; use one of {', '.join(CONTAINERS)}")
