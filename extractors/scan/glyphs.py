"""A lone "0" in a table cell, told by the topology of its ink.

Most cells of a report's tables hold a single 0, and recognising each of them
from its own crop (padded to the recogniser's 320 px line) is most of a scanned
page's cost. A printed 0 has a shape no other digit has: one stroke closed
around one tall hole that sits in the middle of the glyph (6 and 9 have a
smaller hole low or high, 8 two, 4 a triangular one off centre, 口 square
corners). Where the ink shows
exactly that, the cell reads 0 without the recogniser; anything less clear
(a broken ring, noise touching it, a second mark) goes to the recogniser.
"""

from __future__ import annotations

import cv2
import numpy as np

ZERO_CONFIDENCE = 0.97  # the shape test is strict; the identities still check every 0
MIN_ASPECT, MAX_ASPECT = 0.35, 0.85  # width / height of a printed 0 (not a square 口)
MIN_HOLE_HEIGHT = 0.55  # of the glyph's height; 6, 9 and 4 stay below
MAX_HOLE_OFFSET = 0.12  # hole centre from glyph centre, in glyph heights / widths
MIN_HOLE_AREA = 0.12  # of the glyph's box: a ring, not a blob with a pinhole
MIN_HEIGHT = 8  # px: smaller glyphs are left to the recogniser
MIN_HOLE_FILL = 0.65  # hole area / its box: an oval (pi/4), not the triangle of a 4
MAX_CORNER_INK = 0.3  # ink in each corner patch of the glyph's box: round, not 口


def is_zero(ink: np.ndarray) -> bool:
    """Whether a text line's ink (uint8 or bool, ink non-zero, rulings removed) is
    one printed 0 and nothing else."""
    mask = (ink > 0).astype(np.uint8)
    if _ring(mask):
        return True
    # the thin top and bottom of a 0 in some fonts break in binarisation: close
    # a one-pixel gap (too little to close the open top of a 6 or a 9)
    return _ring(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)))


def _ring(mask: np.ndarray) -> bool:
    n, labels, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n < 2:
        return False
    areas = stats[1:, cv2.CC_STAT_AREA]
    big = int(np.argmax(areas))
    # any second mark of some size (a digit, a minus, a decimal point) is not a lone 0
    if np.count_nonzero(areas >= max(3, 0.03 * areas[big])) != 1:
        return False
    x, y, w, h = (int(v) for v in stats[big + 1, :4])
    if h < MIN_HEIGHT or not MIN_ASPECT <= w / h <= MAX_ASPECT:
        return False
    glyph = (labels[y : y + h, x : x + w] == big + 1).astype(np.uint8)
    # holes: background regions that do not reach the glyph's box edge
    bg = np.pad(1 - glyph, 1, constant_values=1)
    m, hl, hs, _hc = cv2.connectedComponentsWithStats(bg, connectivity=4)
    holes = [
        hs[i] for i in range(1, m)
        if hl[0, 0] != i and hs[i, cv2.CC_STAT_AREA] >= max(2, 0.01 * w * h)
    ]
    if len(holes) != 1:
        return False
    hx, hy, hw, hh, ha = (int(v) for v in holes[0])
    hx, hy = hx - 1, hy - 1  # undo the padding
    if hh < MIN_HOLE_HEIGHT * h or ha < MIN_HOLE_AREA * w * h:
        return False
    if ha < MIN_HOLE_FILL * hw * hh:
        return False
    off_y = abs((hy + hh / 2) - h / 2) / h
    off_x = abs((hx + hw / 2) - w / 2) / w
    if off_y > MAX_HOLE_OFFSET or off_x > MAX_HOLE_OFFSET:
        return False
    cy, cx = max(1, h // 6), max(1, w // 6)
    corners = (glyph[:cy, :cx], glyph[:cy, -cx:], glyph[-cy:, :cx], glyph[-cy:, -cx:])
    return all(float(c.mean()) <= MAX_CORNER_INK for c in corners)


__all__ = ["ZERO_CONFIDENCE", "is_zero"]
