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



# A black-and-white scan of a thin font can drop a 0's thin top and bottom whole,
# leaving its two sides, "()", which the recogniser reads as 1 or 11. Two 1s stand
# wider apart, straight, with a flag and a foot (10227-0005, 10139-0012).
BROKEN_ZERO_CONFIDENCE = 0.84  # below validation's LOW_CONFIDENCE: an identity vouches
MAX_PAIR_ASPECT = 1.25  # width / height of the two sides together ("11": 1.0-1.5)
MIN_SIDE_HEIGHT = 0.8  # of the pair's height, each side (a 6 or 9 in two pieces: less)
MAX_SIDE_WIDTH = 0.42  # of the pair's width, each side (the digits of "85": 0.45 and more)
MIN_BEND = 1.75  # px: ends of the two sides bent in, summed over the four ends
MAX_OUT_BEND = 0.1  # px: no end may bend out (the flag of a 1 does)
MAX_INNER_BEND = 0.25  # px: nor may an inner edge's end bend away from the other side


def is_broken_zero(ink: np.ndarray) -> bool:
    """Whether a text line's ink (non-zero ink, rulings removed) is a 0 left as its two
    sides: two marks side by side, each nearly the pair's height and thin, whose ends
    all bend toward each other."""
    mask = (ink > 0).astype(np.uint8)
    n, labels, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n < 3:
        return False
    largest = int(stats[1:, cv2.CC_STAT_AREA].max())
    marks = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= max(3, 0.15 * largest)]
    if len(marks) != 2:
        return False
    left, right = sorted(marks, key=lambda i: int(stats[i, cv2.CC_STAT_LEFT]))
    lx, ly, lw, lh = (int(v) for v in stats[left, :4])
    rx, ry, rw, rh = (int(v) for v in stats[right, :4])
    top, bottom = min(ly, ry), max(ly + lh, ry + rh)
    height, width = bottom - top, rx + rw - lx
    if height < MIN_HEIGHT or width > MAX_PAIR_ASPECT * height or rx <= lx + lw:
        return False
    if min(lh, rh) < MIN_SIDE_HEIGHT * height or max(lw, rw) > MAX_SIDE_WIDTH * width:
        return False
    lside = labels[ly : ly + lh, lx : lx + lw] == left
    rside = labels[ry : ry + rh, rx : rx + rw] == right
    outer = [*_end_bends(lside, from_left=True), *_end_bends(rside, from_left=False)]
    # the inner edges bend the same way: a "(" whose tips point at the ")" (the
    # spine of a 3 that lost its arms is a ")" even on the left)
    inner = [*_end_bends(lside, from_left=False), *_end_bends(rside, from_left=True)]
    return (min(outer) >= -MAX_OUT_BEND and sum(outer) >= MIN_BEND
            and max(inner) <= MAX_INNER_BEND)


def _end_bends(side: np.ndarray, *, from_left: bool) -> tuple[float, float]:
    """How far right (`from_left`) or left a mark's edge on that side lies in its top
    and bottom quarters beyond where it lies in its middle, in px: for a "(" the left
    edge gives both positive, the right edge both negative."""
    rows = [np.flatnonzero(r) for r in side]
    edge = np.array([r[0] if from_left else side.shape[1] - 1 - r[-1] for r in rows], float)
    q = max(1, len(edge) // 4)
    middle = float(edge[q:-q].mean()) if len(edge) > 2 * q else float(edge.mean())
    return float(edge[:q].mean()) - middle, float(edge[-q:].mean()) - middle


# A blurred 0 of a low-resolution photo reads as 6, e, 20 or nothing, while the same
# page prints it clearly in dozens of cells: a doubtful cell whose ink matches the
# page's own clear 0s, in shape and size, holds a 0.
MATCH = 0.85  # correlation with the page's mean clear 0
# A black-and-white scan breaks a thin font's 0s, each its own way ("()", "(", "C"):
# a true 0 of 10139-0012 matched the clear ones at 0.7-0.9; a 6 there at 0.67.
MATCH_BILEVEL = 0.72
# ... where a 6 of a page without clear 6s may match too; but a 0 holds no ink in its
# middle, where a 6 or a 9 has its bowl's stroke and an 8 its waist.
HOLLOW = 0.5  # darkest of the middle / darkest of the glyph, for a match below MATCH
SIZE_SLACK = 0.25  # height and width within this share of the clear 0s'
MIN_SAMPLES = 5  # clear prints of a digit a page needs before they are a model
MARGIN = 0.03  # by which the 0 must match better than any other digit
CENTRED = 0.3  # a mark's centre off the cell's, in its widths (a "10"'s 0: about 0.4)
PART = 0.35  # of the largest mark's area: a piece of a broken digit, not a speck
LEVEL = 0.2  # top and foot of digits in one number agree within this share of a height
SAME_PRINT = 0.96  # mean prints of two digits this alike are one digit's (see the test)
# A 0 of a blurred 150-dpi photo read surely as 6 or 9, a few on a page, matched the
# page's mean 0 as well as all but the least alike 5% of its clear 0s did (40 photos
# of corpora 10665 and 10725: 13 of 14 such 0s, at 0.907-0.954); true 6s, 8s and 9s
# matched below them all (at most 0.893, on a page whose 0s matched from 0.928), and
# below ZERO_LIKE, which drawn ones (16-20 px, blurred) pass only where smaller still.
ZERO_FLOOR_PERCENTILE = 5
ZERO_LIKE = 0.9
SAMPLE_CONFIDENCE = 0.9  # a blurred page reads few surer; a wrong one hardly moves a mean
_SHAPE = (16, 24)  # width, height of the normalised glyph
EDGE = 3  # px of a cell crop's edge left out (its rulings)
MIN_CONTRAST = 20  # grey levels between paper and ink below which a crop holds nothing


class PagePrints:
    """The page's clearly read lone digits: per digit, the mean normalised glyph and
    the median height and width of its prints."""

    def __init__(self, samples: list[tuple[str, np.ndarray]], match: float = MATCH):
        self.match = match
        by_digit: dict[str, list[tuple[np.ndarray, int, int]]] = {}
        for text, crop in samples:
            p = glyph_print(crop)
            if p is not None and len(text) == 1 and text in "0123456789":
                by_digit.setdefault(text, []).append(p)
        self.models: dict[str, tuple[np.ndarray, float, float]] = {}
        for digit, prints in by_digit.items():
            if len(prints) < MIN_SAMPLES:
                continue
            mean = np.mean([p for p, _h, _w in prints], axis=0)
            self.models[digit] = (mean / np.linalg.norm(mean),
                                  float(np.median([h for _p, h, _w in prints])),
                                  float(np.median([w for _p, _h, w in prints])))
        # A digit whose clear prints are the page's 0s over again is 0s misread, surely
        # (10449-0046, a 150-dpi photo: 0 read as 6 at up to 1.00, the mean of those
        # "6"s 0.97 like the mean 0; a true digit's, 0.72 at most on 36 pages of photos,
        # under 0.96 drawn in the four fonts 14-20 px high. Smaller and blurred, a 6 or
        # an 8 may pass: the 0 it is read as stays doubtful, for the identities.)
        zero = self.models.get("0")
        # how closely the page's clear 0s match their mean: all but the least alike
        self.zero_floor = 1.0 if zero is None else float(np.percentile(
            [float(p @ zero[0]) for p, _h, _w in by_digit["0"]], ZERO_FLOOR_PERCENTILE))
        self.misread = set() if zero is None else {
            d for d, m in self.models.items() if d != "0" and float(m[0] @ zero[0]) >= SAME_PRINT}
        for d in self.misread:
            del self.models[d]

    def reads_zero(self, crop: np.ndarray) -> bool:
        """Whether the crop's ink is a 0 like the page's clear ones, in shape and
        size, and more like them than like any other digit the page prints clearly."""
        p = glyph_print(crop)
        return p is not None and self._zero(p)

    def prints_like_clear_zeros(self, crop: np.ndarray) -> bool:
        """Whether the crop's ink matches the page's mean 0 as closely as its clear 0s
        do, all but the least alike of them."""
        zero = self.models.get("0")
        p = glyph_print(crop)
        return (zero is not None and p is not None
                and float(p[0] @ zero[0]) >= max(self.match, self.zero_floor, ZERO_LIKE))

    def holds_centred_zero(self, crop: np.ndarray) -> bool:
        """Whether one of the crop's marks, standing in its middle, is such a 0 (what
        a seal left beside it is no digit of a number printed centred)."""
        return any(self._zero(p) for p in centred_prints(crop))

    def _zero(self, p: tuple[np.ndarray, int, int]) -> bool:
        zero = self.models.get("0")
        if zero is None:
            return False
        g, h, w = p
        score = float(g @ zero[0])
        if score < self.match or (score < MATCH and not _hollow(g)):
            return False
        if abs(h / zero[1] - 1) > SIZE_SLACK or abs(w / zero[2] - 1) > SIZE_SLACK + 0.1:
            return False
        return all(float(g @ m[0]) < score - MARGIN for d, m in self.models.items() if d != "0")


def _hollow(g: np.ndarray) -> bool:
    """Whether a normalised glyph's middle (a third of its width, a third of its
    height) is paper."""
    w, h = _SHAPE
    dark = g.reshape(h, w) - g.min()
    middle = dark[h // 3 : h - h // 3, w // 3 : w - w // 3]
    return float(middle.max()) < HOLLOW * float(dark.max())


def _inside_rulings(g: np.ndarray) -> np.ndarray:
    """The crop less the cell's rulings along its edges (rows and columns of the
    outer quarter that are mostly ink), whose darkness would set the ink level."""
    if g.size == 0:
        return g
    paper = float(np.percentile(g, 50))
    dark = g < paper - MIN_CONTRAST
    rows, cols = dark.mean(axis=1) > 0.5, dark.mean(axis=0) > 0.5
    h, w = g.shape
    top = max((i + 1 for i in range(h // 4) if rows[i]), default=0)
    bottom = min((i for i in range(h - h // 4, h) if rows[i]), default=h)
    left = max((i + 1 for i in range(w // 4) if cols[i]), default=0)
    right = min((i for i in range(w - w // 4, w) if cols[i]), default=w)
    return g[top:bottom, left:right]


def _marks(crop: np.ndarray, bilevel: bool = False,
           ) -> tuple[np.ndarray, float, np.ndarray, list[int]] | None:
    """The crop inside its rulings (grey), its paper level, the statistics of its ink
    components and the indices of those that are marks (not specks, not rulings).
    `bilevel`: black-and-white, where the specks a threshold left of a thin digit
    may be too few pixels to set the ink's level by a percentile."""
    g = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    g = _inside_rulings(g.astype(np.float32)[EDGE:-EDGE, EDGE:-EDGE])
    if g.size == 0:
        return None
    paper = float(np.percentile(g, 50))
    dark = float(g.min() if bilevel else np.percentile(g, 0.5))
    if paper - dark < MIN_CONTRAST:
        return None
    ink = (g < paper - 0.5 * (paper - dark)).astype(np.uint8)
    n, _l, st, _c = cv2.connectedComponentsWithStats(ink)
    gh, gw = ink.shape
    marks = [i for i in range(1, n) if st[i, cv2.CC_STAT_AREA] >= 4
             and st[i, cv2.CC_STAT_WIDTH] <= 0.6 * gw and st[i, cv2.CC_STAT_HEIGHT] <= 0.8 * gh]
    return (g, paper, st, marks) if marks else None


def _print_of(g: np.ndarray, paper: float, box: tuple[int, int, int, int],
              ) -> tuple[np.ndarray, int, int] | None:
    x0, y0, x1, y1 = box
    sub = paper - g[max(0, y0 - 1) : y1 + 1, max(0, x0 - 1) : x1 + 1]
    v = cv2.resize(sub, _SHAPE, interpolation=cv2.INTER_AREA).ravel()
    v = v - v.mean()
    norm = float(np.linalg.norm(v))
    if norm == 0:
        return None
    return v / norm, int(y1 - y0), int(x1 - x0)


def glyph_print(crop: np.ndarray) -> tuple[np.ndarray, int, int] | None:
    """A cell crop's text (the marks in line with its largest mark) as a normalised
    vector of its darkness, with its height and width; None for a crop without ink."""
    found = _marks(crop)
    if found is None:
        return None
    g, paper, st, marks = found
    big = max(marks, key=lambda i: st[i, cv2.CC_STAT_AREA])
    top, bottom = st[big, 1], st[big, 1] + st[big, 3]
    marks = [i for i in marks if st[i, 1] < bottom and st[i, 1] + st[i, 3] > top
             and st[i, cv2.CC_STAT_AREA] >= 0.15 * st[big, cv2.CC_STAT_AREA]]
    x0, y0 = min(st[i, 0] for i in marks), min(st[i, 1] for i in marks)
    x1 = max(st[i, 0] + st[i, 2] for i in marks)
    y1 = max(st[i, 1] + st[i, 3] for i in marks)
    return _print_of(g, paper, (x0, y0, x1, y1))


def ink_height(crop: np.ndarray, bilevel: bool = False) -> int | None:
    """Height of the crop's largest mark with the marks of some size close to it (a
    digit broken in two counts whole, specks away from it do not); None without ink."""
    found = _marks(crop, bilevel)
    if found is None:
        return None
    _g, _paper, st, marks = found
    big = max(marks, key=lambda i: st[i, cv2.CC_STAT_AREA])
    x0, y0, x1, y1 = st[big, 0], st[big, 1], st[big, 0] + st[big, 2], st[big, 1] + st[big, 3]
    reach = max(2, int(st[big, 3]))
    rest = [i for i in marks if i != big and st[i, cv2.CC_STAT_AREA] >= PART * st[big, 4]]
    grown = True
    while grown:
        grown = False
        for i in list(rest):
            x, y, w, h = (int(v) for v in st[i, :4])
            # a threshold breaks an upright stroke (a 1) into pieces one above the
            # other, further apart than a piece is tall; and a thin 2 into a hook above
            # its foot's bar, seven px apart, the bar two tall (10737-0037, 200 dpi)
            tall = 2 * max(reach, h) if bilevel and x < x1 and x0 < x + w else reach
            if max(x - x1, x0 - x - w) <= reach and max(y - y1, y0 - y - h) <= tall:
                x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x + w), max(y1, y + h)
                rest.remove(i)
                grown = True
    return int(y1 - y0)


def centred_prints(crop: np.ndarray) -> list[tuple[np.ndarray, int, int]]:
    """The prints of the crop's marks, one by one, that stand in the middle of it
    (a number is printed centred in its cell)."""
    found = _marks(crop)
    if found is None:
        return []
    g, paper, st, marks = found
    out = []
    for i in marks:
        x, y, w, h = (int(v) for v in st[i, :4])
        if abs(x + w / 2 - g.shape[1] / 2) > CENTRED * w:
            continue
        # a digit beside it, top and foot level with it ("10"): a number, not a 0
        # beside a seal's stroke (which runs on, or stops, where no digit does)
        if any(j != i and abs(st[j, 1] - y) <= LEVEL * h
               and abs(st[j, 1] + st[j, 3] - y - h) <= LEVEL * h for j in marks):
            continue
        p = _print_of(g, paper, (x, y, x + w, y + h))
        if p is not None:
            out.append(p)
    return out


__all__ = ["BROKEN_ZERO_CONFIDENCE", "MATCH", "MATCH_BILEVEL", "ZERO_CONFIDENCE", "PagePrints",
           "centred_prints", "glyph_print", "ink_height", "is_broken_zero", "is_zero"]
