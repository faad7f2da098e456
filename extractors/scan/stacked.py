"""Split one tall image holding several pages stacked one under the other.

Long screenshots and phone collages put a multi-page report in one image. Page
preparation (outline, perspective, skew) works on one page at a time, so such an
image is cut into pages first, at the empty horizontal band nearest each place a
page boundary is expected (page aspect about A4). A band counts only when it
crosses the whole width without ink, so a cut never runs through a table or a
line of text; where no such band lies near an expected boundary, no cut is made.
"""

from __future__ import annotations

import cv2
import numpy as np

PAGE_ASPECT = 1.414  # A4 portrait, height / width
MIN_STACK_ASPECT = 1.9  # below this an image is one page
WORK_WIDTH = 500
EVEN = 5.0  # max std of a blurred row (0-255) for it to count as an empty band
SEARCH = 0.3  # look for a band within this fraction of a page around each boundary


def split_stacked(image: np.ndarray) -> list[np.ndarray]:
    """The pages of `image` (RGB, RGBA or gray uint8), top to bottom; `[image]` when
    it is not a stack of pages."""
    h, w = image.shape[:2]
    if w < 50 or h < MIN_STACK_ASPECT * w:
        return [image]
    bands = _cuts(image)
    if not bands:
        return [image]
    edges = [0, *(round(y) for band in bands for y in band), h]
    parts = [image[a:b] for a, b in zip(edges[::2], edges[1::2], strict=True)]
    # Even fill around a page (the strip between pages, the sides of a narrower
    # page) goes too: a page then starts with its own margin or, in a photo, its
    # own background, which page-outline detection relies on.
    return [np.ascontiguousarray(_trim(p)) for p in parts]


def _gray_small(image: np.ndarray) -> tuple[np.ndarray, float]:
    h, w = image.shape[:2]
    k = WORK_WIDTH / w
    small = cv2.resize(image, (WORK_WIDTH, max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    if small.ndim == 3:
        small = cv2.cvtColor(small, cv2.COLOR_RGBA2GRAY if small.shape[2] == 4
                             else cv2.COLOR_RGB2GRAY)
    return cv2.GaussianBlur(small.astype(np.float32), (0, 0), 1.5), k


def _trim(part: np.ndarray) -> np.ndarray:
    """`part` without the even rows and columns along its edges."""
    if min(part.shape[:2]) < 50:
        return part
    small, k = _gray_small(part)
    rows = np.nonzero(small.std(axis=1) >= EVEN)[0]
    cols = np.nonzero(small.std(axis=0) >= EVEN)[0]
    if rows.size == 0 or cols.size == 0:
        return part
    h, w = part.shape[:2]
    y0, y1 = max(0, int(rows[0] / k)), min(h, int(np.ceil((rows[-1] + 1) / k)))
    x0, x1 = max(0, int(cols[0] / k)), min(w, int(np.ceil((cols[-1] + 1) / k)))
    return part[y0:y1, x0:x1]


def _cuts(image: np.ndarray) -> list[tuple[float, float]]:
    """(top, bottom) of the empty band chosen at each page boundary, in pixels."""
    small, k = _gray_small(image)
    even = small.std(axis=1) < EVEN
    runs = _runs(even)
    sh = small.shape[0]
    page = PAGE_ASPECT * WORK_WIDTH
    n = round(sh / page)
    if n < 2:
        return []
    cuts: list[tuple[float, float]] = []
    for j in range(1, n):
        expected = j * sh / n
        near = [
            (a, b) for a, b in runs
            if a > 0 and b < sh and _distance(a, b, expected) <= SEARCH * page
        ]
        if not near:
            continue
        # the band nearest the expected place (a band holding it is at distance 0),
        # the longer one on a tie
        a, b = min(near, key=lambda r: (_distance(r[0], r[1], expected), r[0] - r[1]))
        if cuts and a / k <= cuts[-1][1]:
            continue  # one long band nearest two boundaries: a blank page, kept whole
        cuts.append((a / k, b / k))
    return cuts


def _distance(a: int, b: int, y: float) -> float:
    return max(a - y, y - b, 0.0)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(padded)
    return list(zip(np.nonzero(d == 1)[0].tolist(), np.nonzero(d == -1)[0].tolist(),
                    strict=True))


__all__ = ["split_stacked"]
