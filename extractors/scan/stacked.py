"""Split one tall image holding several pages stacked one under the other.

Long screenshots and phone collages put a multi-page report in one image. Page
preparation (outline, perspective, skew) works on one page at a time, so such an
image is cut into pages first, at the empty horizontal band nearest each place a
page boundary is expected (page aspect about A4). A band counts only when it
crosses the whole width without ink, so a cut never runs through a table or a
line of text; where no such band lies near an expected boundary, no cut is made.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from extractors.scan.rulings import runs

PAGE_ASPECT = 1.414  # A4 portrait, height / width
MIN_STACK_ASPECT = 1.9  # below this an image is one page
WORK_WIDTH = 500
EVEN = 5.0  # max std of a blurred row (0-255) for it to count as an empty band
DARK_GROUND = 128  # a band this dark somewhere is a photo's ground, not paper
SEARCH = 0.3  # look for a band within this fraction of a page around each boundary


def split_stacked(image: np.ndarray) -> list[np.ndarray]:
    """The pages of `image` (RGB, RGBA or gray uint8), top to bottom; `[image]` when
    it is not a stack of pages."""
    h, w = image.shape[:2]
    if w < 50 or h < MIN_STACK_ASPECT * w:
        return [image]
    cuts = _cuts(image)
    if not cuts:
        return [image]
    edges = [0, *(round(y) for y in cuts), h]
    return [_trim_fill(np.ascontiguousarray(image[a:b])) for a, b in itertools.pairwise(edges)]


FLAT = 3.0  # max std (0-255) of a line of the collage's fill colour
FILL_SLACK = 10.0  # JPEG blurs the fill's edge against the ground


def _trim_fill(piece: np.ndarray) -> np.ndarray:
    """Cut away the collage's flat fill round a photo (the strip between photos and
    the sides of a narrower photo): the photo's outline is then found against its
    own dark ground. A flat margin of a scanned page is paper, not fill: only fill
    that gives onto a dark ground is cut."""
    gray = piece if piece.ndim == 2 else cv2.cvtColor(
        piece, cv2.COLOR_RGBA2GRAY if piece.shape[2] == 4 else cv2.COLOR_RGB2GRAY)
    g = gray.astype(np.float32)
    h, w = g.shape
    cut = [0, 0, 0, 0]  # top, bottom, left, right
    for side, lines in enumerate((g, g[::-1], g.T, g.T[::-1])):
        n = len(lines)
        if lines[0].std() > FLAT:
            continue
        fill = float(lines[0].mean())
        k = 0
        while k < n // 4 and abs(float(lines[k].mean()) - fill) < FILL_SLACK \
                and lines[k].std() < FLAT + FILL_SLACK:
            k += 1
        inside = lines[k : k + 4]
        if 0 < k < n // 4 and inside.size and float(inside.mean()) < DARK_GROUND:
            cut[side] = k
    top, bottom, left, right = cut
    if not any(cut):
        return piece
    return np.ascontiguousarray(piece[top : h - bottom, left : w - right])


def _gray_small(image: np.ndarray) -> tuple[np.ndarray, float]:
    h, w = image.shape[:2]
    k = WORK_WIDTH / w
    small = cv2.resize(image, (WORK_WIDTH, max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    if small.ndim == 3:
        small = cv2.cvtColor(small, cv2.COLOR_RGBA2GRAY if small.shape[2] == 4
                             else cv2.COLOR_RGB2GRAY)
    return cv2.GaussianBlur(small.astype(np.float32), (0, 0), 1.5), k


def _cuts(image: np.ndarray) -> list[float]:
    """Where to cut at each page boundary, in pixels: the point of the empty band
    nearest the expected place (pages keep their margins, as scanned)."""
    small, k = _gray_small(image)
    even = small.std(axis=1) < EVEN
    bands = _joined(runs(even))
    sh = small.shape[0]
    page = PAGE_ASPECT * WORK_WIDTH
    n = round(sh / page)
    if n < 2:
        return []
    cuts: list[float] = []
    for j in range(1, n):
        expected = j * sh / n
        near = [
            (a, b) for a, b in bands
            if a > 0 and b < sh and _distance(a, b, expected) <= SEARCH * page
        ]
        if not near:
            continue
        # the band nearest the expected place (a band holding it is at distance 0),
        # the longer one on a tie
        a, b = min(near, key=lambda r: (_distance(r[0], r[1], expected), r[0] - r[1]))
        # Between photos the band is the light strip of the collage plus the even
        # dark ground of the photos beside it: cut in the strip, so each photo
        # keeps its own ground.
        means = small[a:b].mean(axis=1)
        dark = means.min() < DARK_GROUND
        strip = _strip_beside(small, bands, a, b) if dark else None
        if strip is not None:
            a, b = strip
            means = small[a:b].mean(axis=1)
        la, lb = max(runs(means >= means.max() - 15), key=lambda r: r[1] - r[0])
        if dark:
            y = (a + (la + lb) / 2) / k
        else:
            y = min(max(expected, a + 0.5), b - 0.5) / k
        if not cuts or y > cuts[-1]:
            cuts.append(y)
    return cuts


EDGE_ROWS = 3  # rows of the work copy a JPEG blurs the collage's strip into the ground


def _joined(bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Empty bands a few rows apart as one: the light strip between two photos and
    the even dark ground beside it, parted only by the blurred edge between them
    (10581-0006: the cut fell in the ground, and the next photo kept a strip of the
    collage, which its outline took in)."""
    out: list[tuple[int, int]] = []
    for a, b in bands:
        if out and a - out[-1][1] <= EDGE_ROWS:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


STRIP_REACH = 12  # rows of the work copy between a photo's ground and the strip beside it
STRIP_LIGHT = 200  # the collage's strip is this light at its lightest (the generator's: 225)


def _strip_beside(small: np.ndarray, bands: list[tuple[int, int]], a: int, b: int,
                  ) -> tuple[int, int] | None:
    """The collage's light strip a few rows off the photo's ground (a, b), parted
    from it by ground an uneven light leaves too uneven to count as empty
    (10785-0006, a heavy photo: 9 rows, their brightness 81 at one side and 90 at
    the other). The cut falls in the strip: the next photo must not keep it."""
    near = [(max(s - b, a - e), (s, e)) for s, e in bands if (s, e) != (a, b)
            and 0 < max(s - b, a - e) <= STRIP_REACH
            and float(small[s:e].mean(axis=1).max()) >= STRIP_LIGHT]
    return min(near)[1] if near else None


def _distance(a: int, b: int, y: float) -> float:
    return max(a - y, y - b, 0.0)


__all__ = ["split_stacked"]
