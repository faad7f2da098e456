"""Turn a digital report into page images that look scanned or photographed.

`plan` draws every degradation parameter from a seed (recorded verbatim in the
truth's `degradation`); `degrade_page` applies one page's parameters. Levels:
clean (rendered, nothing else), light (small skew, a little blur and noise),
medium (more skew, blur, noise, JPEG artefacts, sometimes binarised), heavy
(a phone photo: page on a darker ground, trapezoid and curved, uneven light).
"""

from __future__ import annotations

import math
import random
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium

from samples.generator.seal import seal_image, stamp

LEVELS: tuple[str, ...] = ("clean", "light", "medium", "heavy")


def plan(
    level: str,
    seed: str,
    pages: int,
    placed_cells: dict[str, list[float]],
    issuer: str,
    *,
    dpi: int | None = None,
    seal: bool | None = None,
    binarize: bool | None = None,
) -> dict[str, Any]:
    """Every parameter of one document's degradation, as plain JSON data.

    Raises ValueError for an unknown level.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    rng = random.Random(f"scan-{seed}-{level}")
    dpi = dpi or rng.choice(
        {"clean": [200, 200, 300], "light": [200], "medium": [150, 200, 200], "heavy": [150, 200]}[
            level
        ]
    )
    p: dict[str, Any] = {"level": level, "dpi": dpi, "noise_seed": rng.randrange(2**31)}
    skew_max = {"clean": 0.0, "light": 1.0, "medium": 2.0, "heavy": 3.0}[level]
    pages_p = []
    for _ in range(pages):
        pg: dict[str, Any] = {"skew_deg": round(rng.uniform(-skew_max, skew_max), 2)}
        if level == "light":
            pg.update(
                blur_sigma=round(rng.uniform(0, 0.6), 2), noise_std=round(rng.uniform(1, 4), 1)
            )
        elif level == "medium":
            pg.update(
                blur_sigma=round(rng.uniform(0.5, 1.0), 2),
                noise_std=round(rng.uniform(4, 9), 1),
                jpeg_artefacts_quality=rng.randint(30, 55),
            )
        elif level == "heavy":
            pg.update(
                blur_sigma=round(rng.uniform(0.9, 1.5), 2),
                noise_std=round(rng.uniform(7, 13), 1),
                jpeg_artefacts_quality=rng.randint(25, 45),
                photo={
                    "margin": round(rng.uniform(0.04, 0.09), 3),
                    "corners": [round(rng.uniform(-0.035, 0.035), 4) for _ in range(8)],
                    "curve": round(rng.uniform(0.004, 0.015), 4),
                    "background": [rng.randint(50, 110)] * 3,
                    "light": [round(rng.uniform(0.72, 0.9), 3), round(rng.uniform(0, 6.28), 3)],
                },
            )
        if level != "clean":
            pg["paper"] = rng.randint(236, 252)
        pages_p.append(pg)
    p["pages"] = pages_p
    p["binarize"] = level == "medium" and rng.random() < 0.4
    if binarize is not None:
        p["binarize"] = binarize
    if p["binarize"]:
        p["binarize_threshold"] = rng.randint(150, 185)
    p["color"] = "rgb"
    want_seal = (
        seal
        if seal is not None
        else rng.random() < {"clean": 0.3, "light": 0.5, "medium": 0.6, "heavy": 0.7}[level]
    )
    if want_seal:
        # over a filled value cell of table 3 or 2 when there is one, else the last page's text
        cells = [
            (path, box)
            for path, box in placed_cells.items()
            if path.startswith(("applications.results.", "active_disclosure."))
        ]
        path, box = rng.choice(cells) if cells else ("", [pages, 300, 600, 300, 600])
        radius_pt = rng.uniform(58, 75)
        p["seal"] = {
            "page": int(box[0]),
            "over": path,
            "center_pt": [
                round((box[1] + box[3]) / 2 + rng.uniform(-20, 20), 1),
                round((box[2] + box[4]) / 2 + rng.uniform(-15, 15), 1),
            ],
            "radius_pt": round(radius_pt, 1),
            "opacity": round(rng.uniform(0.55, 0.85), 2),
            "angle_deg": round(rng.uniform(-25, 25), 1),
            "text": issuer,
            "bottom": rng.choice(["", "", "政务公开专用章"]),
        }
    if "seal" not in p and level in ("clean", "light") and rng.random() < 0.5:
        p["color"] = "gray"
    return p


def render_pages(pdf: bytes, dpi: int) -> list[np.ndarray]:
    """RGB uint8 arrays, one per page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [
            np.asarray(doc[i].render(scale=dpi / 72).to_pil().convert("RGB"))
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def _rotate(img: np.ndarray, deg: float, fill: int) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(fill, fill, fill))


def _photo(img: np.ndarray, ph: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    h, w = img.shape[:2]
    # page bulge: rows shifted by a sine across the width (a curved page)
    amp = ph["curve"] * h
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    ys_src = ys - amp * np.sin(np.pi * xs / w)
    img = cv2.remap(img, xs, ys_src, cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    mx, my = int(w * ph["margin"]), int(h * ph["margin"])
    cw, ch = w + 2 * mx, h + 2 * my
    c = ph["corners"]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    dst = np.array(
        [
            [mx + c[0] * w, my + c[1] * h],
            [mx + w + c[2] * w, my + c[3] * h],
            [mx + w + c[4] * w, my + h + c[5] * h],
            [mx + c[6] * w, my + h + c[7] * h],
        ],
        dtype=np.float32,
    )
    m = cv2.getPerspectiveTransform(src, dst)
    bg = tuple(int(v) for v in ph["background"])
    out = cv2.warpPerspective(img, m, (cw, ch), flags=cv2.INTER_LINEAR, borderValue=bg)
    # uneven light: a soft gradient from one side
    lo, ang = ph["light"]
    gx, gy = np.meshgrid(np.linspace(-1, 1, cw), np.linspace(-1, 1, ch))
    g = (gx * math.cos(ang) + gy * math.sin(ang) + 1.5) / 3.0
    light = lo + (1.0 - lo) * g
    out = out.astype(np.float32) * light[..., None]
    out += rng.normal(0, 4, out.shape[:2])[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def degrade_page(
    img: np.ndarray, pg: dict[str, Any], doc: dict[str, Any], page_no: int, rng: np.random.Generator
) -> np.ndarray:
    """Apply one page's parameters to an RGB page image; returns RGB, or L when binarised."""
    dpi = doc["dpi"]
    out = img
    if "paper" in pg:  # paper is never pure white
        out = np.minimum(out, pg["paper"]).astype(np.uint8)
    seal = doc.get("seal")
    if seal and seal["page"] == page_no:
        k = dpi / 72
        s = seal_image(
            seal["text"], int(seal["radius_pt"] * k), bottom=seal["bottom"], angle=seal["angle_deg"]
        )
        out = stamp(
            out, s, (int(seal["center_pt"][0] * k), int(seal["center_pt"][1] * k)), seal["opacity"]
        )
    if "photo" in pg:
        out = _photo(out, pg["photo"], rng)
    if pg.get("skew_deg"):
        fill = pg["photo"]["background"][0] if "photo" in pg else pg.get("paper", 255)
        out = _rotate(out, pg["skew_deg"], fill)
    if pg.get("blur_sigma"):
        out = cv2.GaussianBlur(out, (0, 0), pg["blur_sigma"])
    if pg.get("noise_std"):
        noise = rng.normal(0, pg["noise_std"], out.shape[:2]).astype(np.float32)
        out = np.clip(out.astype(np.float32) + noise[..., None], 0, 255).astype(np.uint8)
    if doc.get("binarize"):
        gray = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
        return np.where(gray > doc["binarize_threshold"], 255, 0).astype(np.uint8)
    if pg.get("jpeg_artefacts_quality"):
        ok, enc = cv2.imencode(
            ".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, pg["jpeg_artefacts_quality"]]
        )
        assert ok
        decoded = cv2.imdecode(enc, cv2.IMREAD_UNCHANGED)
        assert decoded is not None
        out = np.asarray(decoded, dtype=np.uint8)
    return out


def degrade(pdf: bytes, params: dict[str, Any]) -> list[np.ndarray]:
    """Render and degrade every page of a digital report."""
    rng = np.random.default_rng(params["noise_seed"])
    pages = render_pages(pdf, params["dpi"])
    out = [
        degrade_page(img, pg, params, i + 1, rng)
        for i, (img, pg) in enumerate(zip(pages, params["pages"], strict=True))
    ]
    if params["color"] == "gray":
        out = [cv2.cvtColor(im, cv2.COLOR_RGB2GRAY) if im.ndim == 3 else im for im in out]
    return out
