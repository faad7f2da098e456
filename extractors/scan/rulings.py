"""Table ruling lines from pixels.

Morphology keeps long thin runs of ink (horizontal, then vertical). Faint or
broken lines are closed along their direction first, doubled and thick lines
fall into one component (its centre line is the ruling), slight curvature is
absorbed by fitting each component with a straight line. Endpoints are then
snapped to the perpendicular rulings they nearly touch, and collinear pieces
with small gaps merged, so a cell boundary is never left uncovered by a gap
in the ink (overshoot is harmless to the grid builder, a missing piece is not).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import cv2
import numpy as np

from extractors.layout import Ruling


def _line_mask(binary: np.ndarray, horizontal: bool) -> np.ndarray:
    """Runs of ink at least a little longer than a character, along one direction.

    Sizes follow the page width (the print's scale): a long screenshot of several
    stacked pages is tall, but its rows are no taller.
    """
    width = binary.shape[1]
    k = max(20, width // 70) if horizontal else max(20, int(0.018 * width))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1) if horizontal else (1, k))
    return cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)


def _segments(mask: np.ndarray, horizontal: bool, scale: int) -> list[list[float]]:
    """One straight segment per connected run: [a0, a1, c] along and across the line."""
    # Doubled lines a few pixels apart become one component.
    k = max(3, scale // 250) | 1
    kernel = np.ones((k, 1) if horizontal else (1, k), np.uint8)
    joined = cv2.dilate(mask, kernel)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    segs = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if horizontal:
            sub = (labels[y : y + h, x : x + w] == i) & (mask[y : y + h, x : x + w] > 0)
            ys, xs = np.nonzero(sub)
            if xs.size == 0 or w < 2 * h:
                continue
            segs.append([float(x), float(x + w - 1), float(np.median(ys) + y), float(w)])
        else:
            sub = (labels[y : y + h, x : x + w] == i) & (mask[y : y + h, x : x + w] > 0)
            ys, xs = np.nonzero(sub)
            if ys.size == 0 or h < 2 * w or _arc(ys, xs):
                continue
            segs.append([float(y), float(y + h - 1), float(np.median(xs) + x), float(h)])
    return segs


ARC_BOW = 0.06  # a short stroke bowing more than this share of its length is an arc


def _arc(along: np.ndarray, across: np.ndarray) -> bool:
    """Whether a short upright stroke bows like the rim of a seal printed black (a
    bilevel scan keeps no red to tell it by): its centre line leaves the straight
    line through its ends by more than a ruling ever does."""
    length = int(along.max() - along.min()) + 1
    if length < 20:
        return False
    centre = np.array([across[along == a].mean() for a in np.unique(along)])
    if centre.size < 3:
        return False
    chord = np.linspace(centre[0], centre[-1], centre.size)
    return float(np.abs(centre - chord).max()) > max(3.0, ARC_BOW * length)


Box = tuple[float, float, float, float]


def _merge_collinear(
    segs: list[list[float]], tol_across: float, max_gap: float,
    covers: Callable[[float, float, float], bool] | None = None,
) -> list[list[float]]:
    """Collinear pieces joined across gaps up to `max_gap`, and across any gap that
    `covers(start, end, across)` says is hidden (under a seal)."""
    segs = sorted(segs, key=lambda s: (s[2], s[0]))
    # group by position across
    groups: list[list[list[float]]] = []
    for s in segs:
        if groups and abs(groups[-1][-1][2] - s[2]) <= tol_across:
            groups[-1].append(s)
        else:
            groups.append([s])
    out = []
    for g in groups:
        c = float(np.median([s[2] for s in g]))
        g.sort(key=lambda s: s[0])
        cur = [g[0][0], g[0][1], c, g[0][3]]
        for s in g[1:]:
            if s[0] - cur[1] <= max_gap or (covers is not None and covers(cur[1], s[0], c)):
                cur[3] += max(0.0, s[1] - max(cur[1], s[0] - 1)) if s[1] > cur[1] else 0.0
                cur[1] = max(cur[1], s[1])
            else:
                out.append(cur)
                cur = [s[0], s[1], c, s[3]]
        out.append(cur)
    return out


def _snap(segs: list[list[float]], cross: list[list[float]], reach: float) -> None:
    """Extend each end of `segs` to a perpendicular ruling within `reach` that spans it."""
    for s in segs:
        for end in (0, 1):
            best = None
            for a0, a1, c, *_ in cross:
                if not (a0 - reach <= s[2] <= a1 + reach):
                    continue
                d = abs(c - s[end])
                inside = (c > s[end]) if end == 1 else (c < s[end])
                if d <= reach and (best is None or d < best[0]) and (inside or d <= reach):
                    best = (d, c)
            if best is not None:
                if end == 0:
                    s[0] = min(s[0], best[1])
                else:
                    s[1] = max(s[1], best[1])


def _under(boxes: Sequence[Box], horizontal: bool, margin: float,
           cross: list[list[float]]) -> Callable[[float, float, float], bool]:
    """Whether a gap from `a` to `b` in a line at `c` lies inside one of `boxes`; for
    a column line, also inside a table: some row line crosses it within the gap (the
    space between two tables, one above the other under a seal, has none)."""
    def covers(a: float, b: float, c: float) -> bool:
        if not horizontal and not any(
                a < s[2] < b and s[0] - margin <= c <= s[1] + margin for s in cross):
            return False
        for x0, y0, x1, y1 in boxes:
            lo, hi, c0, c1 = (x0, x1, y0, y1) if horizontal else (y0, y1, x0, x1)
            if lo - margin <= a and b <= hi + margin and c0 <= c <= c1:
                return True
        return False

    return covers


def detect_rulings(binary: np.ndarray, seals: Sequence[Box] = ()) -> list[Ruling]:
    """Straight ruling segments of an ink mask (ink = 255), in its pixel coordinates.

    A line of a table broken where a seal was taken out of the image (`seals`, boxes
    in pixels) is joined across it, however long the gap.
    """
    h_img, w = binary.shape
    h = min(h_img, int(1.5 * w))  # one page's height, also in a stack of pages
    hsegs = _segments(_line_mask(binary, True), True, w)
    vsegs = _segments(_line_mask(binary, False), False, h)
    tol = max(4.0, w / 300)
    margin = max(12.0, w / 80)
    raw_h, raw_v = list(hsegs), list(vsegs)
    hsegs = _merge_collinear(hsegs, tol, max_gap=max(12.0, w / 80),
                             covers=_under(seals, True, margin, raw_v) if seals else None)
    vsegs = _merge_collinear(vsegs, tol, max_gap=max(12.0, h / 110),
                             covers=_under(seals, False, margin, raw_h) if seals else None)
    reach = max(10.0, w / 100)
    # Character strokes chained along a text line are long too, but a table ruling
    # ends on perpendicular rulings at both ends (or is very long).
    # A free-standing line must also be nearly solid (chained strokes leave gaps).
    v_long = [s for s in vsegs if s[1] - s[0] >= h / 25]
    hsegs = [s for s in hsegs if _solid(s, w / 4) or _touches_both(s, v_long, reach)]
    vsegs = [s for s in vsegs if _solid(s, h / 6) or _touches_both(s, hsegs, reach)
             or _clip_to_crossings(s, hsegs, reach)]
    hsegs = [s for s in hsegs if _solid(s, w / 4) or _touches_both(s, vsegs, reach)
             or _clip_to_crossings(s, vsegs, reach)]
    _snap(hsegs, vsegs, reach)
    _snap(vsegs, hsegs, reach)
    hsegs = _merge_collinear(hsegs, tol, max_gap=1.0)
    vsegs = _merge_collinear(vsegs, tol, max_gap=1.0)
    out = [Ruling(x0=s[0], top=s[2], x1=s[1], bottom=s[2]) for s in hsegs]
    out += [Ruling(x0=s[2], top=s[0], x1=s[2], bottom=s[1]) for s in vsegs]
    return out


def _solid(s: list[float], min_len: float) -> bool:
    length = s[1] - s[0] + 1
    return length >= min_len and s[3] >= 0.9 * length


def _clip_to_crossings(s: list[float], cross: list[list[float]], reach: float) -> bool:
    """A ruling joined to a stray stroke beyond the table (a heading's character just
    above it) overshoots: keep it from its first to its last perpendicular crossing."""
    hits = [c for a0, a1, c, *_ in cross
            if a0 - reach <= s[2] <= a1 + reach and s[0] - reach <= c <= s[1] + reach]
    if len(hits) < 2 or max(hits) - min(hits) < 0.5 * (s[1] - s[0]):
        return False
    s[0], s[1] = max(s[0], min(hits)), min(s[1], max(hits))
    return True


def _touches_both(s: list[float], cross: list[list[float]], reach: float) -> bool:
    def near(end: float) -> bool:
        return any(
            a0 - reach <= s[2] <= a1 + reach and abs(c - end) <= reach for a0, a1, c, *_ in cross
        )

    return near(s[0]) and near(s[1])


def ruling_mask(shape: tuple[int, int], rulings: list[Ruling], width: int = 3) -> np.ndarray:
    """The rulings drawn as lines (255) on a blank mask."""
    m = np.zeros(shape, np.uint8)
    for r in rulings:
        cv2.line(m, (round(r.x0), round(r.top)), (round(r.x1), round(r.bottom)), 255, width)
    return m
