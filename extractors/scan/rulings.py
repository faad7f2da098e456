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

import cv2
import numpy as np

from extractors.layout import Ruling


def _line_mask(binary: np.ndarray, horizontal: bool) -> np.ndarray:
    h, w = binary.shape
    size = w if horizontal else h
    long_k = max(25, size // 45)  # shortest run kept: shorter than the narrowest cell side
    gap_k = max(3, size // 300)  # breaks in faint lines up to this are bridged
    if horizontal:
        close = cv2.getStructuringElement(cv2.MORPH_RECT, (gap_k, 1))
        open_ = cv2.getStructuringElement(cv2.MORPH_RECT, (long_k, 1))
    else:
        close = cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap_k))
        open_ = cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_k))
    m = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, close)
    return cv2.morphologyEx(m, cv2.MORPH_OPEN, open_)


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
            segs.append([float(x), float(x + w - 1), float(np.median(ys) + y)])
        else:
            sub = (labels[y : y + h, x : x + w] == i) & (mask[y : y + h, x : x + w] > 0)
            ys, xs = np.nonzero(sub)
            if ys.size == 0 or h < 2 * w:
                continue
            segs.append([float(y), float(y + h - 1), float(np.median(xs) + x)])
    return segs


def _merge_collinear(segs: list[list[float]], tol_across: float, max_gap: float) -> list[list[float]]:
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
        cur = [g[0][0], g[0][1]]
        for s in g[1:]:
            if s[0] - cur[1] <= max_gap:
                cur[1] = max(cur[1], s[1])
            else:
                out.append([cur[0], cur[1], c])
                cur = [s[0], s[1]]
        out.append([cur[0], cur[1], c])
    return out


def _snap(segs: list[list[float]], cross: list[list[float]], reach: float) -> None:
    """Extend each end of `segs` to a perpendicular ruling within `reach` that spans it."""
    for s in segs:
        for end in (0, 1):
            best = None
            for a0, a1, c in cross:
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


def _touches(s: list[float], cross: list[list[float]], reach: float) -> bool:
    return any(
        a0 - reach <= s[2] <= a1 + reach and min(abs(c - s[0]), abs(c - s[1])) <= reach
        for a0, a1, c in cross
    )


def detect_rulings(binary: np.ndarray) -> list[Ruling]:
    """Straight ruling segments of an ink mask (ink = 255), in its pixel coordinates."""
    h, w = binary.shape
    hsegs = _segments(_line_mask(binary, True), True, w)
    vsegs = _segments(_line_mask(binary, False), False, h)
    tol = max(4.0, w / 300)
    hsegs = _merge_collinear(hsegs, tol, max_gap=max(12.0, w / 80))
    vsegs = _merge_collinear(vsegs, tol, max_gap=max(12.0, h / 110))
    reach = max(10.0, w / 100)
    _snap(hsegs, vsegs, reach)
    _snap(vsegs, hsegs, reach)
    hsegs = _merge_collinear(hsegs, tol, max_gap=1.0)
    vsegs = _merge_collinear(vsegs, tol, max_gap=1.0)
    # Short strokes touching no perpendicular ruling are text (一, —), not rulings.
    hsegs = [s for s in hsegs if s[1] - s[0] >= w / 8 or _touches(s, vsegs, reach)]
    vsegs = [s for s in vsegs if s[1] - s[0] >= h / 12 or _touches(s, hsegs, reach)]
    out = [Ruling(x0=a0, top=c, x1=a1, bottom=c) for a0, a1, c in hsegs]
    out += [Ruling(x0=c, top=a0, x1=c, bottom=a1) for a0, a1, c in vsegs]
    return out


def ruling_mask(shape: tuple[int, int], rulings: list[Ruling], width: int = 3) -> np.ndarray:
    """The rulings drawn as lines (255) on a blank mask."""
    m = np.zeros(shape, np.uint8)
    for r in rulings:
        cv2.line(m, (round(r.x0), round(r.top)), (round(r.x1), round(r.bottom)), 255, width)
    return m
