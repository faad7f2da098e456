"""Page preparation for OCR: seal suppression, page boundary and perspective,
orientation, deskew and page-curl flattening.

Every step is a pure function on arrays. `prepare_page` runs them in order and
returns the prepared RGB image; all later coordinates refer to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

SEAL_EDGE_PX = 2  # JPEG's ringing along a seal's strokes reaches this far
SEAL_EDGE_SHARE = 0.85  # of the seal's tone in red: fainter than this at its edges is ringing
WORK_WIDTH = 700  # estimates (skew, orientation, page outline) run on a downscaled copy
BILEVEL_GREY = 0.05  # grey pixels per inked pixel below which an image is black and white


@dataclass
class Prepared:
    rgb: np.ndarray  # the prepared page, RGB uint8
    gray: np.ndarray  # seal-free luminance of `rgb`
    binary: np.ndarray  # ink = 255
    steps: list[str] = field(default_factory=list)  # what was done, for the record
    seals: list[tuple[float, float, float, float]] = field(default_factory=list)  # boxes
    bilevel: bool = False  # the image came black and white (a binarised scan)


def to_rgb(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_RGBA2RGB)
    return image


def _seal_pixels(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(clearly red pixels, every pixel of the seal) or None when there is no seal."""
    r = rgb[..., 0].astype(np.int16)
    gb = np.maximum(rgb[..., 1], rgb[..., 2]).astype(np.int16)
    red = (r - gb) > 40
    if red.mean() < 0.0005:
        return None
    # Photos wash the seal's edges out to a faint pink: take those too where
    # they touch the seal (hysteresis), so no dotted ring is left for OCR and
    # for the ruling detector.
    strong = red
    near = cv2.dilate(red.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    red = (near & ((r - gb) > 12)) | red
    red = cv2.dilate(red.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    return strong, red


def seal_boxes(rgb: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom) around each seal of an RGB image, with a margin."""
    found = _seal_pixels(rgb)
    return [] if found is None else _boxes(found[1])


def _boxes(seal: np.ndarray) -> list[tuple[float, float, float, float]]:
    """`seal_boxes` from the mask of every seal pixel."""
    mask = cv2.dilate(seal.astype(np.uint8), np.ones((15, 15), np.uint8))
    n, _l, stats, _c = cv2.connectedComponentsWithStats(mask)
    h, w = mask.shape
    min_side = max(20, min(h, w) // 40)  # a seal, not a red pen mark
    return [
        (float(x), float(y), float(x + bw), float(y + bh))
        for x, y, bw, bh, _a in stats[1:n]
        if bw >= min_side and bh >= min_side
    ]


SEAL_RADIUS_IN = (0.75, 1.1)  # an official seal's radius, inches (a page is 8.27 in wide)
RIM_SCALE = 0.25  # the circle search runs on the ink at this scale
# Ink straight for longer than this share of the page width is a ruling. Shorter
# openings would also take the flattest stretches of the rim (its top, foot and
# sides) and leave four arcs too broken to find.
RIM_LINE_SHARE = 1 / 25
# Share of a candidate's circumference that must be ink (seal-less dev pages: 0.51 at most).
RIM_COVERAGE = 0.6


def rim_boxes(binary: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Boxes round seals printed black (`rims`)."""
    return [circle_box(binary.shape, *c) for c in rims(binary)]


def circle_box(shape: tuple[int, ...], x: float, y: float,
               r: float) -> tuple[float, float, float, float]:
    h, w = shape[:2]
    r *= 1.1
    return (float(max(0, x - r)), float(max(0, y - r)), float(min(w, x + r)),
            float(min(h, y + r)))


def rims(binary: np.ndarray) -> list[tuple[float, float, float]]:
    """Circles (x, y, r) of seals printed black (a bilevel scan keeps no red): the
    seal's round rim, found among the ink that is not a ruling line, and kept only
    where ink runs round most of it (text and rulings cross a circle far less)."""
    return [(x, y, r) for x, y, r, cover in rim_candidates(binary) if cover >= RIM_COVERAGE]


def erase_rim(gray: np.ndarray, binary: np.ndarray, x: float, y: float, r: float) -> None:
    """Paper painted over the ink of a black seal's rim, in place: a digit the rim
    crosses read as a 1 beside it ("10"), or as a 9."""
    h, w = binary.shape
    reach = _rim_reach(w)
    half = _rim_half_width(binary, x, y, r, reach) + 2
    x0, y0 = max(0, int(x - r - half)), max(0, int(y - r - half))
    x1, y1 = min(w, int(x + r + half) + 1), min(h, int(y + r + half) + 1)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    window = binary[y0:y1, x0:x1]
    # The table's rulings where the rim crosses them stay: runs as long as the radius
    # (the rim runs nearly straight for a third of that where it is upright or level),
    # looked for with the seal's surroundings, where the rulings run on.
    k = round(r)
    px0, py0 = max(0, x0 - k), max(0, y0 - k)
    around = binary[py0 : min(h, y1 + k), px0 : min(w, x1 + k)]
    across, down = (cv2.getStructuringElement(cv2.MORPH_RECT, size) for size in ((k, 1), (1, k)))
    lines = cv2.dilate(cv2.bitwise_or(cv2.morphologyEx(around, cv2.MORPH_OPEN, across),
                                      cv2.morphologyEx(around, cv2.MORPH_OPEN, down)),
                       np.ones((3, 3), np.uint8))[y0 - py0 : y1 - py0, x0 - px0 : x1 - px0]
    ring = (np.abs(np.hypot(xx - x, yy - y) - r) <= half) & (lines == 0)
    paper = np.uint8(np.percentile(gray, 90))
    patch = gray[y0:y1, x0:x1]
    patch[ring & (patch < paper)] = paper  # its grey edges too
    window[ring] = 0


def _rim_half_width(binary: np.ndarray, x: float, y: float, r: float, reach: int) -> float:
    """Half the rim's stroke width: the median, over directions, of the ink found
    across the circle within twice `reach` of it."""
    counts = _ring_ink(binary, x, y, r, 2 * reach).sum(axis=1)
    return float(np.median(counts[counts > 0])) / 2 if counts.any() else float(reach)


def _rim_reach(width: int) -> int:
    """Px off a circle within which a rim's ink is looked for (the print's scale)."""
    return max(3, round(width / 8.27 / 40))


def rim_candidates(binary: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Circles of a seal's size in the ink that is not a ruling: (x, y, r, share of
    the circumference that is ink), each fitted to the ink nearby."""
    w = binary.shape[1]
    dpi = w / 8.27
    k = max(20, round(w * RIM_LINE_SHARE))
    lines = cv2.bitwise_or(
        cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1))),
        cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k))))
    rest = cv2.resize(cv2.subtract(binary, lines), None, fx=RIM_SCALE, fy=RIM_SCALE,
                      interpolation=cv2.INTER_AREA)
    rest = cv2.GaussianBlur(rest, (5, 5), 1.5)
    rmin, rmax = (round(f * dpi * RIM_SCALE) for f in SEAL_RADIUS_IN)
    found = cv2.HoughCircles(rest, cv2.HOUGH_GRADIENT, dp=1, minDist=rmax, param1=100,
                             param2=25, minRadius=rmin, maxRadius=rmax)
    if found is None:
        return []
    reach = _rim_reach(w)
    return [_fit_ring(binary, x / RIM_SCALE, y / RIM_SCALE, r / RIM_SCALE, reach)
            for x, y, r in found[0][:3]]


def _fit_ring(binary: np.ndarray, x: float, y: float, r: float,
              reach: int) -> tuple[float, float, float, float]:
    """Centre and radius moved a few pixels at a time while more of the ring is ink:
    the circle search works at a quarter scale, and a rim is only a few pixels wide."""
    best = (x, y, r, ring_coverage(binary, x, y, r, reach))
    step = 4.0
    while step >= 1:
        moved = False
        for dx, dy, dr in ((step, 0, 0), (-step, 0, 0), (0, step, 0), (0, -step, 0),
                           (0, 0, step), (0, 0, -step)):
            cx, cy, cr = best[0] + dx, best[1] + dy, best[2] + dr
            cover = ring_coverage(binary, cx, cy, cr, reach)
            if cover > best[3]:
                best, moved = (cx, cy, cr, cover), True
        if not moved:
            step /= 2
    return best


def ring_coverage(binary: np.ndarray, x: float, y: float, r: float, reach: int) -> float:
    """Share of 360 directions from (x, y) with ink within `reach` of radius `r`."""
    return float(_ring_ink(binary, x, y, r, reach).any(axis=1).mean())


def _ring_ink(binary: np.ndarray, x: float, y: float, r: float, reach: int) -> np.ndarray:
    """Ink at radii r - reach .. r + reach from (x, y), in 360 directions (a row each)."""
    h, w = binary.shape
    angles = np.linspace(0, 2 * np.pi, 360, endpoint=False)[:, None]
    radii = r + np.arange(-reach, reach + 1)[None, :]
    xs = np.round(x + radii * np.cos(angles)).astype(int)
    ys = np.round(y + radii * np.sin(angles)).astype(int)
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    ink = np.zeros(xs.shape, bool)
    ink[inside] = binary[ys[inside], xs[inside]] > 0
    return ink


def suppress_seal(rgb: np.ndarray) -> tuple[np.ndarray, bool]:
    """Luminance with red ink (official seals) removed, and whether there was any."""
    gray, seal = _suppress(rgb)
    return gray, seal is not None


def _suppress(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """`suppress_seal`, with the mask of every seal pixel (None: no seal).

    A seal multiplies the page by its own colour. In the red channel that colour
    is nearly white, so dividing a seal's pixels there by the seal's tone gives
    back the page under it: black and grey ink keep the contrast they have
    elsewhere, the seal becomes paper.
    """
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    found = _seal_pixels(rgb)
    if found is None:
        return gray, None
    strong, whole = found
    # Everything below stays in the box round the seal's pixels: the rest of the
    # page is left as it is (the function runs more than once a page).
    ys, xs = np.nonzero(whole)
    box = np.s_[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    red, seal = whole[box], strong[box].astype(np.uint8)
    r = rgb[box][..., 0].astype(np.float32)
    seal_tone = max(float(np.median(r[seal > 0])), 1.0)
    # Paper beside the seal, not the page's brightest: a photo's light falls off
    # across the page, and a seal turned the page's paper would stand out.
    beside = gray[box][~red]
    paper = float(np.percentile(beside if beside.size else gray, 90))
    # Not green or blue, where the seal is dark: thin grey digits were lost in it,
    # and stretching their contrast back made the seal's blurred edges dotted rings.
    share = r / seal_tone
    # JPEG rings along the seal's strokes, a little darker than the seal, and the
    # rings were read as strokes of their own (a 1 beside the rim read "11"). Only
    # faint ink there is taken for them; digits crossing a stroke keep their cores.
    k = np.ones((2 * SEAL_EDGE_PX + 1, 2 * SEAL_EDGE_PX + 1), np.uint8)
    edge = (cv2.dilate(seal, k) > 0) & ~(cv2.erode(seal, k) > 0)
    share[edge & (share >= SEAL_EDGE_SHARE)] = 1.0
    out = gray.copy()
    out[box][red] = np.minimum(share[red] * paper, paper).clip(0, 255).astype(np.uint8)
    return out, whole


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink = 255; adaptive, so uneven light in photos does not black out a corner."""
    block = max(31, (min(gray.shape) // 40) | 1)
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15
    )


def _small(gray: np.ndarray) -> tuple[np.ndarray, float]:
    k = min(1.0, WORK_WIDTH / gray.shape[1])
    return cv2.resize(gray, None, fx=k, fy=k, interpolation=cv2.INTER_AREA), k


PHOTO_GROUND = 0.15  # share of the image border darker than paper that makes a photo
FILL_EVEN = 5.0  # max std of a blurred row or column of flat fill (0-255)


def _light_fill(small: np.ndarray) -> tuple[int, int, int, int]:
    """The box of `small` inside flat light fill along its edges: the strips a
    collage of photos puts between and beside them, brighter than a photo's ground."""
    blur = cv2.GaussianBlur(small.astype(np.float32), (0, 0), 1.5)
    mid = float(np.median(blur))
    rows = (blur.std(axis=1) < FILL_EVEN) & (blur.mean(axis=1) > mid)
    cols = (blur.std(axis=0) < FILL_EVEN) & (blur.mean(axis=0) > mid)

    def inner(flags: np.ndarray) -> tuple[int, int]:
        a, b = 0, len(flags)
        while a < b and flags[a]:
            a += 1
        while b > a and flags[b - 1]:
            b -= 1
        return a, b

    y0, y1 = inner(rows)
    x0, x1 = inner(cols)
    return (x0, y0, x1, y1) if x1 - x0 > 20 and y1 - y0 > 20 else (0, 0, *small.shape[::-1])


def page_quad(gray: np.ndarray) -> np.ndarray | None:
    """The four corners of a paper sheet photographed on a darker ground, or None."""
    small, k = _small(gray)
    fx, fy, fx1, fy1 = _light_fill(small)
    small = np.ascontiguousarray(small[fy:fy1, fx:fx1])
    h, w = small.shape
    border = np.concatenate(
        [small[:3].ravel(), small[-3:].ravel(), small[:, :3].ravel(), small[:, -3:].ravel()]
    )
    _, mask = cv2.threshold(
        cv2.GaussianBlur(small, (5, 5), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
    )
    thresh = float(_)
    # A scan's border is paper all round; a photo shows its ground along some of
    # the border, if not all of it (the sheet may run off the frame on a side).
    # Ground is far darker than paper (a grey strip between pasted pages is not).
    ground = min(thresh, 0.6 * float(np.percentile(small, 90)))
    if float((border < ground).mean()) < PHOTO_GROUND:
        return None
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _h = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    if cv2.contourArea(c) < 0.3 * h * w:
        return None
    hull = cv2.convexHull(c)
    approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(approx) != 4:
        rect = cv2.minAreaRect(hull)
        approx = cv2.boxPoints(rect).reshape(-1, 1, 2)
    pts = (approx.reshape(4, 2).astype(np.float32) + np.array([fx, fy], np.float32)) / k
    s, d = pts.sum(1), np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]], np.float32
    )  # tl, tr, br, bl


def warp_quad(rgb: np.ndarray, quad: np.ndarray) -> np.ndarray:
    tl, tr, br, bl = quad
    w = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    h = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(quad, dst)
    return cv2.warpPerspective(
        rgb, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


def _profile_score(binary_small: np.ndarray, angle: float) -> float:
    h, w = binary_small.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot = cv2.warpAffine(binary_small, m, (w, h), flags=cv2.INTER_NEAREST)
    rows = rot.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def skew_angle(gray: np.ndarray, limit: float = 8.0) -> float:
    """Degrees to rotate (counter-clockwise positive, as cv2) to make text lines level."""
    small, _ = _small(gray)
    b = binarize(small)
    best = max(np.arange(-limit, limit + 0.01, 0.5), key=lambda a: _profile_score(b, a))
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    return float(max(fine, key=lambda a: _profile_score(b, a)))


def rotate(rgb: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre, growing the canvas so no corner is cut; paper-white fill."""
    h, w = rgb.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(rgb, m, (nw, nh), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def _elongated(b: np.ndarray, horizontal: bool) -> int:
    """Text-line-like blobs after smearing ink along one direction (characters merge
    within a line, lines stay apart)."""
    k = (6, 1) if horizontal else (1, 6)
    smear = cv2.dilate(b, cv2.getStructuringElement(cv2.MORPH_RECT, k))
    n, _l, stats, _c = cv2.connectedComponentsWithStats(smear)
    w, h = stats[1:n, 2], stats[1:n, 3]
    long_side, short_side = (w, h) if horizontal else (h, w)
    return int(((long_side >= 5 * short_side) & (short_side >= 4) & (short_side <= 30)).sum())


def is_sideways(gray: np.ndarray) -> bool:
    """True when text lines run vertically (the page is turned by 90 or 270 degrees)."""
    small, _ = _small(gray)
    b = binarize(small)
    for k in ((25, 1), (1, 25)):  # rulings are not text lines
        lines = cv2.morphologyEx(b, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, k))
        b = cv2.subtract(b, cv2.dilate(lines, np.ones((3, 3), np.uint8)))
    across, down = _elongated(b, True), _elongated(b, False)
    # Vertical text inside an upright page (stacked column headings, a ragged
    # photo edge) gives some upright blobs too: a turned page gives few else.
    return down >= 5 and down > 1.8 * across


CURL_THICKEN = 5  # rows a photo's ruling is thickened to, so steep stretches of a curl hold


def curl_profile(binary: np.ndarray, *, photo: bool = False) -> np.ndarray | None:
    """Vertical displacement per column, from long horizontal rulings bowed by a page curl.

    Returns None when no curl of 6 px or more is seen. `photo`: the page was
    photographed (its outline warped flat), so its rulings may still rise
    steeply near its sides.
    """
    h, w = binary.shape
    k = max(40, w // 25)
    # A line as steep as a photo's curl leaves it near the sides has no level run
    # of k px at its own thickness: it is traced thickened (10449-0022). Not on a
    # flat scan, where thickened arcs of a seal's rim join the row lines into a
    # false bow (10473-0004).
    thick = cv2.dilate(binary, np.ones((CURL_THICKEN, 1), np.uint8)) if photo else binary
    horiz = cv2.morphologyEx(
        thick, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1))
    )
    horiz = cv2.dilate(horiz, np.ones((7, 1), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz)
    xs = np.arange(w)
    curves = []
    for i in range(1, n):
        x, y, cw, ch, _a = stats[i]
        if cw < 0.5 * w or ch > 0.06 * h:
            continue
        sub = labels[y : y + ch, x : x + cw] == i
        ycoords = np.arange(ch)[:, None]
        cnt = sub.sum(axis=0)
        ok = cnt > 0
        ymean = np.where(ok, (sub * ycoords).sum(axis=0) / np.maximum(cnt, 1), np.nan) + y
        full = np.full(w, np.nan)
        full[x : x + cw] = ymean
        if np.isfinite(full).sum() > 0.5 * w:
            curves.append(full - np.nanmedian(full))
    if len(curves) < 2:
        return None
    stack = np.vstack(curves)
    good = np.isfinite(stack).any(axis=0)
    prof = np.full(w, np.nan)
    prof[good] = np.nanmedian(stack[:, good], axis=0)
    coef = np.polyfit(xs[good], prof[good], 2)  # page curl: smooth, one bow
    fit = np.polyval(coef, xs)
    if np.ptp(fit) < 6.0:
        return None
    return fit - np.median(fit)


def lean_profile(binary: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Slope (dx/dy) per column of the page's vertical rulings, and the row where
    they are measured from: the keystone a phone leaves after the outline warp.

    Returns None when the lean moves no line by 3 px or more.
    """
    h, w = binary.shape
    k = max(40, h // 30)
    vert = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k))
    )
    vert = cv2.dilate(vert, np.ones((1, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vert)
    fits = []  # (x at mid, slope, y_mid, height)
    for i in range(1, n):
        x, y, cw, ch, _a = stats[i]
        if ch < 0.05 * h or cw > 0.05 * w:
            continue
        ys, xs = np.nonzero(labels[y : y + ch, x : x + cw] == i)
        slope, icpt = np.polyfit(ys + y, xs + x, 1)
        y_mid = y + ch / 2
        fits.append((slope * y_mid + icpt, slope, y_mid, ch))
    if len(fits) < 3:
        return None
    arr = np.array(fits)
    weights = arr[:, 3]
    coef = np.polyfit(arr[:, 0], arr[:, 1], 1, w=weights)  # slope varies with x
    y_ref = float(np.average(arr[:, 2], weights=weights))
    slopes = np.polyval(coef, np.arange(w))
    reach = max(abs(y_ref), abs(h - y_ref))
    if np.abs(slopes).max() * reach * 0.5 < 3.0:
        return None
    return slopes, y_ref


def straighten_lean(rgb: np.ndarray, lean: tuple[np.ndarray, float]) -> np.ndarray:
    slopes, y_ref = lean
    h, w = rgb.shape[:2]
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    xs_src = xs + slopes.astype(np.float32)[None, :] * (ys - np.float32(y_ref))
    return cv2.remap(rgb, xs_src, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def flatten_curl(rgb: np.ndarray, profile: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    ys_src = ys + profile.astype(np.float32)[None, :]
    return cv2.remap(rgb, xs, ys_src, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _rederive(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """After a warp: the image, its seal-free luminance, its ink mask and its seal's."""
    gray, seal = _suppress(rgb)
    return rgb, gray, binarize(gray), seal


def prepare_page(image: np.ndarray, *, turn: bool = True,
                 two_tone: bool | None = None) -> Prepared:
    """Seal, outline, orientation (90/270), skew and curl corrected; 180 is left to the caller,
    which needs the OCR engine to tell upside-down text. `turn=False`: never turned
    by 90 degrees (the caller found the turned page reads worse). `two_tone`: whether
    the scan was black and white, when the caller knows (None: judged from the image)."""
    rgb = to_rgb(image)
    steps = []
    if two_tone is None:
        two_tone = bilevel(rgb)
    gray, seal = _suppress(rgb)  # `seal`: the current image's seal pixels
    sealed = seal is not None
    if sealed:
        steps.append("seal_suppressed")
    quad = page_quad(gray)
    if quad is not None:
        rgb = warp_quad(rgb, quad)
        gray, seal = _suppress(rgb)
        steps.append("perspective")
    if turn and is_sideways(gray):
        rgb = cv2.rotate(rgb, cv2.ROTATE_90_CLOCKWISE)
        gray = cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE)
        if seal is not None:
            seal = np.rot90(seal, -1)  # clockwise, as the image
        steps.append("rotated_90")
    angle = skew_angle(gray)
    if abs(angle) >= 0.2:  # below this the search cannot tell skew from none
        rgb = rotate(rgb, angle)
        gray, seal = _suppress(rgb)
        steps.append(f"deskew_{angle:+.1f}")
    binary = binarize(gray)
    prof = curl_profile(binary, photo=quad is not None)
    if prof is not None:
        rgb, gray, binary, seal = _rederive(flatten_curl(rgb, prof))
        steps.append(f"curl_{np.ptp(prof):.0f}px")
    lean = lean_profile(binary)
    if lean is not None:
        rgb, gray, binary, seal = _rederive(straighten_lean(rgb, lean))
        steps.append(f"lean_{np.abs(lean[0]).max():.3f}")
    # OCR reads the seal-free luminance: the seal is gone from the prepared image too.
    # A seal printed black stays; its box at least makes every reading under it doubtful.
    circles = [] if sealed else rims(binary)
    # (the red seal's boxes from its pixels as last found in the image, not found again)
    if sealed:
        seals = [] if seal is None else _boxes(seal)
    else:
        seals = [circle_box(binary.shape, *c) for c in circles]
    for x, y, r in circles:
        erase_rim(gray, binary, x, y, r)
    if seals and not sealed:
        steps.append("black_seal")
    return Prepared(
        rgb=cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB), gray=gray, binary=binary, steps=steps,
        seals=seals, bilevel=two_tone,
    )


def bilevel(rgb: np.ndarray) -> bool:
    """Whether the image holds only black and white (a scanner's threshold): its ink
    has no grey edge, where a greyscale scan's has one (on the generated scans, 0.26
    grey pixels per inked pixel or more; on the binarised ones, none)."""
    gray = rgb[::2, ::2].min(axis=2)
    ink = int(np.count_nonzero(gray < 215))
    grey = int(np.count_nonzero((gray > 40) & (gray < 215)))
    return ink > 0 and grey < BILEVEL_GREY * ink


def turn_180(p: Prepared) -> Prepared:
    h, w = p.gray.shape
    return Prepared(
        rgb=cv2.rotate(p.rgb, cv2.ROTATE_180),
        gray=cv2.rotate(p.gray, cv2.ROTATE_180),
        binary=cv2.rotate(p.binary, cv2.ROTATE_180),
        steps=[*p.steps, "rotated_180"],
        seals=[(w - x1, h - y1, w - x0, h - y0) for x0, y0, x1, y1 in p.seals],
        bilevel=p.bilevel,
    )
