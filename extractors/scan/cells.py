"""Text lines inside ruled table cells, found from ink alone (no text detector).

Inside a table the rulings already say where text can be: each cell is cut out,
its ink (rulings removed, specks dropped) is measured, and

- a cell with no ink is blank (no words: the template reads blank as its
  convention says, and the grid gives an empty cell full confidence);
- a cell whose ink forms one or a few clean text lines gives one box per line,
  each to be recognised from its own crop;
- anything else (touching lines, a stamp, vertical text split into strokes) is
  left to the text detector (`needs_detection`).

Coordinates are pixels of the prepared page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from extractors.layout import BBox, PageLayout, Ruling
from extractors.scan.rulings import ruling_mask, runs

INSET = 3  # px of the cell's edge ignored (the ruling's own ink)
MIN_SPECK = 10  # px: smaller ink components are scanner noise
RULING_WIDTH = 5  # px: rulings are erased this wide before measuring ink
MAX_LINE = 1.5  # a line box taller than this many typical line heights is not one line
MIN_LINE = 0.4  # nor one shorter than this (a stroke of 三, split off by the gap rule)
EDGE = 2  # px of a cell crop's top or bottom where what is left of a ruling lies
EDGE_TRACE = 0.12  # of a line height: ink rows no taller than this there are a ruling's


@dataclass
class CellText:
    """The ink of one table cell: `lines` to recognise, or `needs_detection`."""

    bbox: BBox  # the cell, page pixels
    lines: list[BBox] = field(default_factory=list)  # tight ink box of each text line
    needs_detection: bool = False
    dash: bool = False  # the ink is one short horizontal bar: the zero mark "—"


def table_cells(shape: tuple[int, int], rulings: list[Ruling]) -> tuple[list[BBox], list[BBox]]:
    """(table boxes, cell boxes) of the ruled tables the grid builder will find."""
    from extractors.grid import build_grids

    h, w = shape
    probe = PageLayout(number=0, width=float(w), height=float(h), kind="scan", rulings=rulings)
    grids = build_grids(probe)
    return [g.bbox for g in grids], [c.bbox for g in grids for c in g.cells]


def ink_without_rulings(binary: np.ndarray, rulings: list[Ruling]) -> np.ndarray:
    """The page's ink mask (ink = 255) with the ruling lines erased."""
    lines = ruling_mask(binary.shape, rulings, RULING_WIDTH)
    return cv2.bitwise_and(binary, cv2.bitwise_not(lines))


def _rows(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows holding ink: (first, last + 1)."""
    return runs(np.count_nonzero(mask, axis=1) > 0)


def _clean(crop: np.ndarray) -> np.ndarray:
    """The crop's ink without specks."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= MIN_SPECK
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def _drop_slivers(crop: np.ndarray, line_h: float | None) -> np.ndarray:
    """The crop without what is left of a skewed, curved or thick ruling: a thin
    run of ink along an edge of the cell, longer than a character (`line_h`), or
    when that is not known yet, running along most of the edge."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    h, w = crop.shape
    drop = np.zeros(n, bool)
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        # thickness: the ink's area over its length (a slanted line covers more rows)
        if line_h is None:
            flat = bw >= 0.7 * w and area / bw <= 0.12 * h and (y <= 2 or y + bh >= h - 2)
            tall = bh >= 0.7 * h and area / bh <= 0.12 * h and (x <= 2 or x + bw >= w - 2)
        else:
            edge = 0.3 * line_h
            flat = bw >= 1.5 * line_h and area / bw <= 0.25 * line_h and (
                y <= edge or y + bh >= h - edge)
            tall = bh >= 1.5 * line_h and area / bh <= 0.25 * line_h and (
                x <= edge or x + bw >= w - edge)
        drop[i] = flat or tall
    if not drop.any():
        return crop
    # A sliver broken into pieces along its edge: the pieces too short to tell by
    # length lie in the run of one that is not (10833-0007, 10821-0015: a blurred
    # column line's fringe, 1 px wide, in pieces 10 and 40 px tall; the short one
    # read as "1", and a 0 as "10")
    for i in range(1, n):
        x, y, bw, bh, _area = (int(v) for v in stats[i])
        if drop[i]:
            continue
        for j in np.nonzero(drop)[0]:
            xj, yj, bwj, bhj, _ = (int(v) for v in stats[j])
            upright = bhj > bwj and bw <= bwj + 1 and x < xj + bwj and xj < x + bw \
                and (x <= 1 or x + bw >= w - 1)
            lying = bwj > bhj and bh <= bhj + 1 and y < yj + bhj and yj < y + bh \
                and (y <= 1 or y + bh >= h - 1)
            if upright or lying:
                drop[i] = True
                break
    return np.where(drop[labels], 0, crop).astype(np.uint8)


def _edge_trace(run: tuple[int, int], height: int, line_h: float) -> bool:
    """A row or two of ink alone along the top or bottom of the cell: what a curled
    ruling leaves in pieces too short to be dropped as slivers (it would make the
    cell look like two lines, one too flat for text, and send it to the detector)."""
    a, b = run
    return b - a <= max(2.0, EDGE_TRACE * line_h) and (a <= EDGE or b >= height - EDGE)


def _marks(crop: np.ndarray) -> list[np.ndarray]:
    """The stats (x, y, w, h, area) of a crop's ink marks: a speck, or a one-pixel
    sliver of a ruling along the cell, is not a mark."""
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    return [st for st in stats[1:n] if st[4] > 3 and st[2] > 2]


def _one_flat_mark(crop: np.ndarray) -> bool:
    """Whether a crop's ink is one bar at least twice as wide as it is tall (a dash,
    a 一): no measure of a line's height."""
    marks = _marks(crop)
    return len(marks) == 1 and int(marks[0][2]) >= 2 * int(marks[0][3])


def _is_dash(crop: np.ndarray, line_h: float) -> bool:
    """One solid horizontal bar, much flatter than text: a dash printed for zero
    (the recogniser reads it as 一, _ or -, none of them a number)."""
    marks = _marks(crop)
    if len(marks) != 1:
        return False
    _x, _y, bw, bh, area = (int(v) for v in marks[0])
    # a hyphen in a small font is barely a quarter of a line wide
    # a blurred photo thickens a dash: one three times as wide as it is tall may
    # stand taller
    return (bh <= (0.4 if bw >= 3 * bh else 0.3) * line_h and bw >= 0.25 * line_h
            and bw >= 2 * bh and area >= 0.6 * bw * bh)


def _line_height(heights: list[int]) -> float:
    """The typical height of one line: the median ink height of cells whose ink is
    one unbroken band of rows, dashes and dots (the zero marks) left out. Digits
    weigh in, so it errs short: a doubtful line goes to the detector."""
    top = float(np.percentile(heights, 90))
    return float(np.median([h for h in heights if h >= 0.3 * top]))


def read_cells(ink: np.ndarray, cells: list[BBox]) -> list[CellText]:
    """Line boxes of each cell's ink; see the module docstring."""
    out: list[CellText] = []
    raw: list[tuple[CellText, np.ndarray, int, int, list[tuple[int, int]]]] = []
    for bbox in cells:
        x0, y0 = int(bbox[0]) + INSET, int(bbox[1]) + INSET
        x1, y1 = int(np.ceil(bbox[2])) - INSET, int(np.ceil(bbox[3])) - INSET
        ct = CellText(bbox=bbox)
        out.append(ct)
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        crop = _clean(ink[y0:y1, x0:x1])
        crop = _drop_slivers(crop, None)
        if not crop.any():
            continue
        raw.append((ct, crop, x0, y0, _rows(crop)))
    if not raw:
        return out
    # A table printing its zeros as dashes holds more dashes than text: measured
    # with them, a line would be a dash's height, and no dash flat enough to be one.
    solid = [b - a for _ct, crop, _x, _y, bands in raw if len(bands) == 1
             and not _one_flat_mark(crop) for a, b in bands]
    line_h = _line_height(solid or [r[-1][1] - r[0][0] for *_x, r in raw])
    gap = max(3.0, 0.2 * line_h)
    for ct, crop, x0, y0, bands in raw:
        crop = _drop_slivers(crop, line_h)
        bands = [r for r in _rows(crop) if not _edge_trace(r, crop.shape[0], line_h)]
        if not bands:
            continue
        if _is_dash(crop, line_h):
            ct.dash = True
            continue
        groups: list[list[int]] = [list(bands[0])]
        for a, b in bands[1:]:
            if a - groups[-1][1] < gap:
                groups[-1][1] = b
            else:
                groups.append([a, b])
        if any(b - a > MAX_LINE * line_h for a, b in groups) or (
            len(groups) > 1 and any(b - a < MIN_LINE * line_h for a, b in groups)
        ):
            ct.needs_detection = True
            continue
        for a, b in groups:
            cols = np.nonzero(crop[a:b].any(axis=0))[0]
            ct.lines.append((float(x0 + cols[0]), float(y0 + a),
                             float(x0 + cols[-1] + 1), float(y0 + b)))
    return out


__all__ = ["CellText", "ink_without_rulings", "read_cells", "table_cells"]
