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

Box = tuple[float, float, float, float]

GAP_SHARE = 340  # gaps in a line up to 1/340 of the page width (5 px at 200 dpi) are closed


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last + 1) of each run of True in a 1-D array."""
    d = np.diff(np.concatenate([[False], flags.astype(bool), [False]]).astype(np.int8))
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(),
                    strict=True))


def _line_mask(binary: np.ndarray, horizontal: bool,
               seals: Sequence[Box] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Runs of ink at least a little longer than a character, along one direction:
    (runs with small gaps closed, runs as inked).

    Sizes follow the page width (the print's scale): a long screenshot of several
    stacked pages is tall, but its rows are no taller.
    """
    width = binary.shape[1]
    # A thin line binarised from a blurred low-resolution scan breaks into dashes a
    # few pixels apart: close those gaps first, or no run is long enough to keep.
    # Not under a seal, whose lettering and rim it would chain into lines. How solid
    # a line is stays measured on the runs as inked: strokes of a title's characters
    # chained by the closing are no free-standing line.
    gap = max(3, round(width / GAP_SHARE))
    closing = np.ones((1, gap) if horizontal else (gap, 1), np.uint8)
    closed = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, closing)
    for x0, y0, x1, y1 in seals:
        box = np.s_[max(0, int(y0)) : max(0, int(y1) + 1), max(0, int(x0)) : max(0, int(x1) + 1)]
        closed[box] = binary[box]
    kernel = _run_kernel(width, horizontal)
    solid = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, kernel), solid


def _run_kernel(width: int, horizontal: bool) -> np.ndarray:
    """The opening that keeps runs of ink a little longer than a character."""
    k = max(20, width // 70) if horizontal else max(20, int(0.018 * width))
    return cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1) if horizontal else (1, k))


def _segments(masks: tuple[np.ndarray, np.ndarray], horizontal: bool,
              scale: int, seals: Sequence[Box] = ()) -> list[list[float]]:
    """One straight segment per connected run of `_line_mask`'s first mask:
    [a0, a1, c, solid] along and across the line, `solid` the number of places
    along it where the second mask has ink. Runs inside a seal's box that bow
    like its rim are left out."""
    mask, ink = masks
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
            if xs.size == 0 or w < 2 * h or _rim_piece((x, y, x + w, y + h), xs, ys, seals):
                continue
            inked_at = sub & (ink[y : y + h, x : x + w] > 0)
            bands = _bands(sub, w, 2 * k)
            if len(bands) < 2:
                inked = np.count_nonzero(inked_at.any(axis=0))
                segs.append([float(x), float(x + w - 1), float(np.median(ys) + y), float(inked)])
                continue
            for r0, r1 in bands:
                bys, bxs = np.nonzero(sub[r0 : r1 + 1])
                inked = np.count_nonzero(inked_at[r0 : r1 + 1].any(axis=0))
                segs.append([float(x + bxs.min()), float(x + bxs.max()),
                             float(np.median(bys) + y + r0), float(inked)])
        else:
            sub = (labels[y : y + h, x : x + w] == i) & (mask[y : y + h, x : x + w] > 0)
            ys, xs = np.nonzero(sub)
            if ys.size == 0 or h < 2 * w or _arc(ys, xs) \
                    or _rim_piece((x, y, x + w, y + h), ys, xs, seals):
                continue
            inked = np.count_nonzero((sub & (ink[y : y + h, x : x + w] > 0)).any(axis=1))
            segs.append([float(y), float(y + h - 1), float(np.median(xs) + x), float(inked)])
    return segs


LINE_ROW = 0.6  # of a run's width: a row inked this far across it is a line's


def _bands(sub: np.ndarray, width: int, apart: int) -> list[tuple[int, int]]:
    """The rows of a horizontal run that are line, inked across most of it, in bands
    more than `apart` px apart: row lines that a label's strokes between them chained
    into one run (a 30-px row of 8-pt print on a black-and-white scan, 10833-0044),
    each a line of its own; a doubled line stays one band."""
    bands: list[list[int]] = []
    for r in np.nonzero(sub.sum(axis=1) >= LINE_ROW * width)[0]:
        if bands and r - bands[-1][1] <= apart:
            bands[-1][1] = int(r)
        else:
            bands.append([int(r), int(r)])
    return [(a, b) for a, b in bands]


ARC_BOW = 0.06  # a short stroke bowing more than this share of its length is an arc
SEAL_BOW = 2.0  # px: under a seal, a run bowing more is its rim (rulings there: 1.4 at most)


def _arc(along: np.ndarray, across: np.ndarray) -> bool:
    """Whether a short upright stroke bows like the rim of a seal printed black (a
    bilevel scan keeps no red to tell it by): its centre line leaves the straight
    line through its ends by more than a ruling ever does."""
    length = int(along.max() - along.min()) + 1
    return length >= 20 and _bow(along, across) > max(3.0, ARC_BOW * length)


def _rim_piece(box: Box, along: np.ndarray, across: np.ndarray,
               seals: Sequence[Box]) -> bool:
    """Whether a run lies inside a seal's box and bows there: what suppressing a red
    seal left of its rim in grey (a ruling under a seal is straight)."""
    x0, y0, x1, y1 = box
    return any(sx0 <= x0 and x1 <= sx1 and sy0 <= y0 and y1 <= sy1
               for sx0, sy0, sx1, sy1 in seals) and _bow(along, across) > SEAL_BOW


def _bow(along: np.ndarray, across: np.ndarray) -> float:
    """Px by which a run's centre line leaves the straight line through its ends."""
    _steps, step = np.unique(along, return_inverse=True)
    centre = np.bincount(step, weights=across) / np.bincount(step)
    if centre.size < 3:
        return 0.0
    chord = np.linspace(centre[0], centre[-1], centre.size)
    return float(np.abs(centre - chord).max())


OFF_LINE = 2.0  # px: a group's median this far from its most solid piece is not the line


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
        # Strokes of text beside a column line chain into its group, and their median
        # drew a clean 300-dpi line 7 px off (10201-0000): the line is where its most
        # solid piece is, when the median is off that piece. Of the longer pieces
        # only: a dotted line (black and white scan) has no solid run, and one
        # character's stroke 4 px beside it drew it there, off its dots (10313-0013).
        longest = max(s[1] - s[0] for s in g)
        solid = float(max((s for s in g if s[1] - s[0] >= longest / 2),
                          key=lambda s: s[3])[2])
        if abs(solid - c) > OFF_LINE:
            c = solid
        g.sort(key=lambda s: s[0])
        cur = [g[0][0], g[0][1], c, g[0][3]]
        for s in g[1:]:
            if s[0] - cur[1] <= max_gap or (covers is not None and covers(cur[1], s[0], c)):
                # the solid share of the part that reaches beyond the line so far
                beyond = max(0.0, s[1] - max(cur[1], s[0] - 1))
                cur[3] += s[3] * beyond / (s[1] - s[0] + 1)
                cur[1] = max(cur[1], s[1])
            else:
                out.append(cur)
                cur = [s[0], s[1], c, s[3]]
        out.append(cur)
    return out


BENT = 3  # of the tolerance across a line: how far its two ends may lie apart past a seal


def _bent_under_a_seal(segs: list[list[float]], off: float,
                       covers: Callable[[float, float, float], bool]) -> list[list[float]]:
    """A row line broken by a seal whose ends on either side lie a few pixels apart
    (a photo's page bent: 7 px at 150 dpi, 10399-0007) is one line, not two rows'
    ends: no row is that low. Joined where the gap between them is under the seal."""
    segs = sorted(segs, key=lambda s: s[0])
    joined = True
    while joined:
        joined = False
        for a in segs:
            ahead = [b for b in segs if b is not a and b[0] > a[1] and abs(b[2] - a[2]) <= off
                     and covers(a[1], b[0], a[2]) and covers(a[1], b[0], b[2])]
            if not ahead:
                continue
            b = min(ahead, key=lambda b: b[0])
            la, lb = a[1] - a[0] + 1, b[1] - b[0] + 1
            a[2] = (a[2] * la + b[2] * lb) / (la + lb)  # where most of its ink lies
            a[1], a[3] = b[1], a[3] + b[3]
            segs.remove(b)
            joined = True
            break
    return segs


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
           cross: list[list[float]],
           beside: Sequence[list[float]] = (), short: float = 0.0,
           ) -> Callable[[float, float, float], bool]:
    """Whether a gap from `a` to `b` in a line at `c` lies inside one of `boxes`; for
    a column line, also inside a table: some row line crosses it within the gap (or
    the gap is `short`, less than the space between two tables), and some other column
    line (`beside`) runs unbroken past it (the space between two tables, one above the
    other under a seal, breaks every column line)."""
    def covers(a: float, b: float, c: float) -> bool:
        if not horizontal and b - a > short and not any(
                a < s[2] < b and s[0] - margin <= c <= s[1] + margin for s in cross):
            return False
        if beside and not any(s[0] <= a + margin and b - margin <= s[1]
                              and abs(s[2] - c) > margin for s in beside):
            return False
        for x0, y0, x1, y1 in boxes:
            lo, hi, c0, c1 = (x0, x1, y0, y1) if horizontal else (y0, y1, x0, x1)
            if lo - margin <= a and b <= hi + margin and c0 <= c <= c1:
                return True
        return False

    return covers


ONE_ROW = 20  # share of the page width: a column line shorter crosses one row at most


def detect_rulings(binary: np.ndarray, seals: Sequence[Box] = (), *,
                   dotted: bool = False) -> list[Ruling]:
    """Straight ruling segments of an ink mask (ink = 255), in its pixel coordinates.

    A line of a table broken where a seal was taken out of the image (`seals`, boxes
    in pixels) is joined across it, however long the gap. `dotted`: the image was
    black and white, and a thin line may be left as a trail of dots (`_trails`).
    """
    h_img, w = binary.shape
    h = min(h_img, int(1.5 * w))  # one page's height, also in a stack of pages
    hsegs = _segments(_line_mask(binary, True, seals), True, w, seals)
    vsegs = _segments(_line_mask(binary, False, seals), False, h, seals)
    tol = max(4.0, w / 300)
    margin = max(12.0, w / 80)
    raw_h, raw_v = list(hsegs), list(vsegs)
    hidden = _under(seals, True, margin, raw_v) if seals else None
    hsegs = _merge_collinear(hsegs, tol, max_gap=max(12.0, w / 80), covers=hidden)
    if hidden is not None:
        hsegs = _bent_under_a_seal(hsegs, BENT * tol, hidden)
    v_gap = max(12.0, h / 110)
    vsegs = _merge_collinear(vsegs, tol, max_gap=v_gap,
                             covers=_under(seals, False, margin, raw_h,
                                           _merge_collinear(raw_v, tol, max_gap=v_gap),
                                           short=2 * v_gap)
                             if seals else None)
    # A line found mostly through closed gaps may be a line of text whose strokes
    # touch: a ruling stands out from the paper on both sides (text has ink beside
    # its strokes on one side at least, the other being the gap between lines).
    hsegs = [s for s in hsegs if _mostly_solid(s) or _stands_out(binary, s, True)]
    # A stroke of a character as tall as a row nearly (a page cropped to its table,
    # its text large for its width) is solid too: a line one row high stands out, or
    # its ink runs on into a row line (a stroke stops short of it).
    reach = max(10.0, w / 100)
    # (beside a line one row high, the thick row lines it meets are inked for a
    # good share of its length: their ink is theirs, not text's; 10533-0006)
    vsegs = [s for s in vsegs if (_mostly_solid(s) and (
        s[1] - s[0] >= w / ONE_ROW or _runs_into(binary, s, hsegs, reach)))
        or _stands_out(binary, s, False, hsegs)]
    h_cand = list(hsegs)
    if seals:
        # (row lines only: the short strokes of a seal's lettering so carried on
        # made column lines between two tables)
        _on_to_a_line([s for s in hsegs if s[1] - s[0] >= w / 4],
                      [s for s in vsegs if s[1] - s[0] >= h / 25], seals, reach)
    # Character strokes chained along a text line are long too, but a table ruling
    # ends on perpendicular rulings at both ends (or is very long).
    # A free-standing line must also be nearly solid (chained strokes leave gaps).
    v_long = [s for s in vsegs if s[1] - s[0] >= h / 25]
    # (A row line joined across a seal that reaches past the table is cut back to
    # the table's column lines.)
    hsegs = [s for s in hsegs if _solid(s, w / 4) or _touches_both(s, v_long, reach)
             or _clip_to_crossings(s, v_long, reach)]
    v_all = vsegs
    vsegs = [s for s in vsegs if _solid(s, h / 6) or _touches_both(s, hsegs, reach)
             or _clip_to_crossings(s, hsegs, reach)]
    hsegs = [s for s in hsegs if _solid(s, w / 4) or _touches_both(s, vsegs, reach)
             or _clip_to_crossings(s, vsegs, reach)]
    if dotted:
        # (the trails, found once: each pass weighs them against the lines it has)
        trails = (_trails(binary, False, h), _trails(binary, True, w))
        _add_dotted(binary, hsegs, vsegs, v_all, reach, seals, trails)
    # (column lines as found: merged, one short line may take another's place)
    more_h, more_v = _row_boxes(h_cand, raw_v, hsegs, vsegs, tol, w / 4)
    hsegs += more_h
    vsegs += more_v
    if dotted:
        # A border left as a few dots, too far apart to trail (10437-0029: 1 to 3
        # a row), is where the lines ruled up to it end; then the trails that run
        # on to it from lines found up to the line before it are held by it.
        vsegs += _ends_in_line(hsegs, vsegs, tol, reach)
        hsegs += _ends_in_line(vsegs, hsegs, tol, reach, least=3)
        _add_dotted(binary, hsegs, vsegs, v_all, reach, seals, trails)
    _snap(hsegs, vsegs, reach)
    _snap(vsegs, hsegs, reach)
    hsegs = _merge_collinear(hsegs, tol, max_gap=1.0)
    vsegs = _merge_collinear(vsegs, tol, max_gap=1.0)
    out = [Ruling(x0=s[0], top=s[2], x1=s[1], bottom=s[2]) for s in hsegs]
    out += [Ruling(x0=s[2], top=s[0], x1=s[2], bottom=s[1]) for s in vsegs]
    return out


def _runs_into(binary: np.ndarray, s: list[float], rows: list[list[float]],
               reach: float) -> bool:
    """Whether a column line's ink, as inked, runs from its middle unbroken into a
    row line (a photo's short piece of a ruling does; a character's stroke stops a
    few px short, a gap the closing of `_line_mask` bridged)."""
    x = round(s[2])
    strip: np.ndarray = np.asarray(binary[:, max(0, x - 1) : x + 2].any(axis=1))
    mid = round((s[0] + s[1]) / 2)
    if not strip[mid]:
        return False
    paper = np.flatnonzero(~strip)
    top = int(paper[paper < mid].max()) + 1 if (paper < mid).any() else 0
    bottom = int(paper[paper > mid].min()) - 1 if (paper > mid).any() else len(strip) - 1

    def meets(r: list[float], end: int) -> bool:
        if not r[0] - reach <= s[2] <= r[1] + reach:
            return False
        # (the row line's ink continues the run: it starts or stops at the row line's
        # edge, a pixel or two off its centre)
        if abs(r[2] - end) <= 2:
            return True
        # A photo's bowed row line lies off its median at the table's ends (10881-0015:
        # 12 px at a one-row table's right border): there the run turns into the row
        # line's ink, which runs on sideways far longer than a character's stroke.
        return (abs(r[2] - end) <= BOWED_END * (s[1] - s[0])
                and _runs_sideways(binary, x, end, round(3 * reach)))

    return any(meets(r, top) or meets(r, bottom) for r in rows)


BOWED_END = 0.3  # of a column line's length: how far a bowed row line's end may lie off


def _runs_sideways(binary: np.ndarray, x: int, y: int, length: int) -> bool:
    """Whether ink runs unbroken from column x, within 2 px of row y, for `length` px
    to one side."""
    inked = np.asarray(binary[max(0, y - 2) : y + 3].any(axis=0))
    left, right = inked[max(0, x - length) : max(0, x - 1)], inked[x + 2 : x + length + 1]
    return any(side.size >= length - 2 and bool(side.all()) for side in (left, right))


def _add_dotted(binary: np.ndarray, hsegs: list[list[float]], vsegs: list[list[float]],
                v_all: list[list[float]], reach: float, seals: Sequence[Box],
                trails: tuple[list[list[float]], list[list[float]]]) -> None:
    """Add to `hsegs` and `vsegs` the lines a black-and-white scan left as dots, of
    `trails` (`_trails`: column, then row)."""
    # Trails of dots hold each other up: a table's border may be dotted on two
    # sides at its corner, neither crossing a line found solid (10351-0028).
    v_dots = _dot_trails(binary, vsegs, hsegs, False, reach, seals, trails[0])
    h_dots = _dot_trails(binary, hsegs, vsegs, True, reach, seals, trails[1])
    vsegs += [s for s in v_dots if _held(s, hsegs + h_dots, reach)]
    hsegs += [s for s in h_dots if _held(s, vsegs, reach) or _like_two(s, hsegs, reach)]
    # a short column line stands on a dotted row line (a last row's, 10351-0028)
    kept = {id(s) for s in vsegs}
    # (one that touched two lines found solid is kept already; and one drawn off
    # its ink, a group of pieces of two tables' lines, stands out from nothing)
    vsegs += [s for s in v_all if id(s) not in kept and _touches_both(s, hsegs, reach)
              and _stands_out(binary, s, False)]


def _ends_in_line(segs: list[list[float]], cross: list[list[float]], tol: float,
                  reach: float, least: int = 2) -> list[list[float]]:
    """Lines of one table that end at one place where no perpendicular line runs
    from the first of them to the last: there a line their table has lost, a border
    a scanner's threshold left as a few dots, too far apart to trail (10437-0029: 1
    to 3 dots a row). `least` of them, each next one tied to the one before by a
    perpendicular line across both (the same table: two tables' lines ending in line
    are not one border). Returns the lines to add."""
    out: list[list[float]] = []
    for end in (0, 1):
        groups: list[list[list[float]]] = []
        for s in sorted(segs, key=lambda s: s[end]):
            if groups and s[end] - groups[-1][0][end] <= tol:
                groups[-1].append(s)
            else:
                groups.append([s])
        for chain in (c for g in groups for c in _tied(g, cross, reach)):
            at = float(np.median([t[end] for t in chain]))
            lo, hi = chain[0][2], chain[-1][2]
            if len(chain) < least or any(
                    abs(c - at) <= reach and a0 - reach <= lo and hi <= a1 + reach
                    for a0, a1, c, *_ in cross):
                continue
            # as far as the nearest line across them runs (the border of rows
            # whose own lines stop short of it too)
            beside = [(abs(c - at), a0, a1) for a0, a1, c, *_ in cross
                      if a0 - reach <= lo and hi <= a1 + reach]
            if beside:
                _, a0, a1 = min(beside)
                lo, hi = min(lo, a0), max(hi, a1)
            out.append([lo, hi, at, 0.0])
    return out


def _tied(lines: list[list[float]], cross: list[list[float]],
          reach: float) -> list[list[list[float]]]:
    """Parallel lines in runs, in order across them, each next one tied to the one
    before by a perpendicular line that crosses both."""
    runs: list[list[list[float]]] = []
    for s in sorted(lines, key=lambda s: s[2]):
        last = runs[-1][-1] if runs else None
        if last is not None and any(
                a0 - reach <= last[2] and s[2] <= a1 + reach
                and max(s[0], last[0]) <= c <= min(s[1], last[1])
                for a0, a1, c, *_ in cross):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _row_boxes(h_cand: list[list[float]], v_cand: list[list[float]],
               hsegs: list[list[float]], vsegs: list[list[float]],
               tol: float, min_len: float) -> tuple[list[list[float]], list[list[float]]]:
    """A row of a table alone on its page (the rest of the table on the page before or
    after): its column lines are as short as the row, too short to tell from the
    strokes of a character by themselves, and a row line left less than solid has
    nothing to stand on. Together they make a box no text makes: two long row lines,
    one under the other and of one length, with three column lines or more standing
    on both, the first and last at their ends. Returns what the box adds to the lines
    kept (`hsegs`, `vsegs`)."""
    rows = sorted((s for s in h_cand if s[1] - s[0] >= min_len), key=lambda s: s[2])
    add_h: list[list[float]] = []
    add_v: list[list[float]] = []
    for i, top in enumerate(rows):
        # the next row line under it, of the same length
        bot = next((b for b in rows[i + 1 :] if b[0] < top[1] and top[0] < b[1]), None)
        if bot is None or abs(bot[0] - top[0]) > 3 * tol or abs(bot[1] - top[1]) > 3 * tol:
            continue
        cols = sorted((v for v in v_cand if abs(v[0] - top[2]) <= tol
                       and abs(v[1] - bot[2]) <= tol and top[0] - tol <= v[2] <= top[1] + tol),
                      key=lambda v: v[2])
        if len(cols) < 3 or cols[0][2] - top[0] > 3 * tol or top[1] - cols[-1][2] > 3 * tol:
            continue
        add_h += [s for s in (top, bot) if not _kept(s, hsegs + add_h, tol)]
        add_v += [v for v in cols if not _kept(v, vsegs + add_v, tol)]
    return add_h, add_v


def _kept(s: list[float], kept: list[list[float]], tol: float) -> bool:
    return any(abs(k[2] - s[2]) <= tol and min(k[1], s[1]) - max(k[0], s[0]) >= 0.8 * (s[1] - s[0])
               for k in kept)


def _on_to_a_line(rows: list[list[float]], columns: list[list[float]], seals: Sequence[Box],
                  reach: float) -> None:
    """A row line ends on a column line; one that stops under a seal, on none, lost
    its rest to the seal: carry it on to a column line that crosses it there, the one
    that most of the other row lines end on (the nearest if none does: a cell may span
    on past it)."""
    for s in rows:
        for end, step in ((0, -1.0), (1, 1.0)):
            x, y = s[end], s[2]
            box = next(((x0, x1) for x0, y0, x1, y1 in seals
                        if x0 <= x <= x1 and y0 <= y <= y1), None)
            if box is None:
                continue
            spanning = [c for a0, a1, c, *_ in columns if a0 - reach <= y <= a1 + reach]
            if any(abs(c - x) <= reach for c in spanning):
                continue
            ahead = [c for c in spanning
                     if (c - s[end]) * step > 0 and box[0] - reach <= c <= box[1] + reach]
            if ahead:
                s[end] = min(ahead, key=lambda c: (
                    -sum(abs(r[end] - c) <= reach for r in rows if r is not s), abs(c - s[end])))


DOT_GAP_SHARE = 90  # dots of a thresholded line up to 1/90 of the page width apart (14 px)


def _trails(binary: np.ndarray, horizontal: bool, scale: int) -> list[list[float]]:
    """Trails of dots along one direction: dots within a strip 3 px wide, never
    further apart than a gap no stroke of text leaves."""
    width = binary.shape[1]
    gap = max(5, round(width / DOT_GAP_SHARE))
    wide = cv2.dilate(binary, np.ones((3, 1) if horizontal else (1, 3), np.uint8))
    closed = cv2.morphologyEx(wide, cv2.MORPH_CLOSE,
                              np.ones((1, gap) if horizontal else (gap, 1), np.uint8))
    kernel = _run_kernel(width, horizontal)
    mask = cv2.morphologyEx(closed, cv2.MORPH_OPEN, kernel)
    # (one dot missing leaves a gap of two: the pieces are one trail)
    return _merge_collinear(_segments((mask, binary), horizontal, scale), 3.0, 2 * gap)


def _dot_trails(binary: np.ndarray, have: list[list[float]], cross: list[list[float]],
                horizontal: bool, reach: float, seals: Sequence[Box],
                trails: list[list[float]]) -> list[list[float]]:
    """Of `trails` (`_trails`), those that may be lines a scanner's threshold left (a
    thin grey line printed near its level) beside the lines found, with clear paper
    on both sides (text has ink beside its strokes). Only what the lines found do not
    cover already, and nothing by a seal (the dots of its lettering and rim line up
    too). Whether a trail is a line is for `_held` to say."""
    out = []
    # (copies: a trail taken is a line, which `_snap` extends, and a later pass
    # weighs the trail as found)
    for s in [p for t in trails for p in _beyond(list(t), have, reach)]:
        box = (s[0], s[2], s[1], s[2]) if horizontal else (s[2], s[0], s[2], s[1])
        if any(box[0] < x1 and x0 < box[2] and box[1] < y1 and y0 < box[3]
               for x0, y0, x1, y1 in seals):
            continue
        if _stands_out(binary, s, horizontal, cross) \
                and _dots_alone(binary, s, horizontal, cross):
            out.append(s)
    return out


def _beyond(s: list[float], have: list[list[float]], reach: float) -> list[list[float]]:
    """A trail, when the lines found cover less of it than 0.8; else what it runs on
    past their ends, if longer than `2 * reach`: the last cell of a row whose line
    was found up to the column line before a dotted border (10437-0029)."""
    # (a line found a few px off is the same line: a column that narrow is none)
    on = [h for h in have if abs(h[2] - s[2]) <= reach and h[0] < s[1] and s[0] < h[1]]
    covered = sum(min(s[1], h[1]) - max(s[0], h[0]) for h in on)
    if covered < 0.8 * (s[1] - s[0] + 1):
        return [s]
    lo, hi = min(h[0] for h in on), max(h[1] for h in on)
    share = s[3] / (s[1] - s[0] + 1)
    return [[a, b, s[2], share * (b - a + 1)] for a, b in ((s[0], lo), (hi, s[1]))
            if b - a > 2 * reach]


def _like_two(s: list[float], lines: list[list[float]], reach: float) -> bool:
    """Whether a trail of dots starts and ends where two lines found do: a row line of
    their table whose border is dotted where it would end (10351-0028's last row)."""
    return sum(abs(t[0] - s[0]) <= reach and abs(t[1] - s[1]) <= reach for t in lines) >= 2


HELD_BY_ONE_END = 5  # reaches: 105 px for 10437-0029's line, specks of text 59 at most


def _held(s: list[float], cross: list[list[float]], reach: float) -> bool:
    """Whether a trail of dots crosses two perpendicular lines or ends on them; or,
    if longer than `HELD_BY_ONE_END` reaches, ends on one and crosses another (the
    dots of a column line in a table's last rows may stop short of its bottom line,
    10437-0029; shorter trails so held are specks of text beside a row line)."""
    crossed = sum(a0 - reach <= s[2] <= a1 + reach and s[0] < c < s[1]
                  for a0, a1, c, *_ in cross)
    if crossed >= 2 or _touches_both(s, cross, reach):
        return True
    ends = sum(any(a0 - reach <= s[2] <= a1 + reach and abs(c - end) <= reach
                   for a0, a1, c, *_ in cross) for end in (s[0], s[1]))
    return crossed + ends >= 2 and s[1] - s[0] >= HELD_BY_ONE_END * reach


DOT_FLANK = 0.3  # most share of a dotted line's dots with ink 3-7 px beside them
DOT_RUN = 6  # px: longest median run of ink along a dotted line (its dots: 1-3)
DOT_SOLID = 0.7  # ... unless ink covers this share of it (a line left almost whole)
MIN_DOTS = 3  # ... or of fewer dots than this
STROKE_SHARE = 0.5  # ... or with this share of its ink in one run longer than a dot


def _dots_alone(binary: np.ndarray, s: list[float], horizontal: bool,
                cross: list[list[float]]) -> bool:
    """Whether a dotted line's dots are dots, a few px long, with clear paper right
    beside them (where no perpendicular line crosses): a column of 0s chained through
    the row lines has the other side of each 0 a few px away."""
    img = binary if horizontal else binary.T
    a0, a1, c = int(s[0]), int(s[1]) + 1, round(s[2])
    on = np.asarray((img[max(0, c - 2) : c + 3, a0:a1] > 0).any(axis=0))
    along = np.arange(a0, a1)
    for b0, b1, x, *_ in cross:
        if b0 - 3 <= s[2] <= b1 + 3:
            on &= np.abs(along - x) > 3
    if not on.any():
        return False
    # a threshold breaks a line into dots a few px long, or leaves it mostly whole
    # (what follows is for a line it broke)
    if float(on.mean()) < DOT_SOLID:
        lengths = np.array([b - a for a, b in runs(on)])
        longest = int(lengths.max())
        # digits down a column (1s between the row lines) leave a stroke of their
        # height in each row, and paper for the rest; a 1 in one row with a speck or
        # two of the next row's digits holds most of its ink in one stroke
        # (10557-0045: a trail down "1" and "14" cut the cells in two, the 1s lost);
        # and two dots between row lines are a colon (单位：万元, 10351-0028)
        if float(np.median(lengths)) > DOT_RUN or lengths.size < MIN_DOTS or (
                longest > DOT_RUN and longest >= STROKE_SHARE * on.sum()):
            return False
    sides = [img[max(0, c - 7) : max(0, c - 2), a0:a1], img[c + 3 : c + 8, a0:a1]]
    return max(float((side[:, on] > 0).any(axis=0).mean()) for side in sides) <= DOT_FLANK


def _mostly_solid(s: list[float]) -> bool:
    return s[3] >= 0.5 * (s[1] - s[0] + 1)


FLANK_CLEAR = 0.2  # most ink a ruling may have beside it, on either side


def _stands_out(binary: np.ndarray, s: list[float], horizontal: bool,
                cross: Sequence[list[float]] = ()) -> bool:
    """Whether, where the line has ink, the paper a little way off both its sides is
    mostly clear (a line of text is inked as much beside its strokes as along them).
    Where a perpendicular line of `cross` meets it, its ink is that line's: left out
    (a trail of dots at a table's border has its row lines beside its few dots)."""
    img = binary if horizontal else binary.T
    a0, a1, c = int(s[0]), int(s[1]) + 1, round(s[2])
    d = max(5, round(binary.shape[1] / GAP_SHARE))
    on = np.asarray((img[max(0, c - 2) : c + 3, a0:a1] > 0).any(axis=0))
    along = np.arange(a0, a1)
    for b0, b1, x, *_ in cross:
        if b0 - 2 * d <= s[2] <= b1 + 2 * d:
            on &= np.abs(along - x) > 3
    if not on.any():
        return False
    sides = [img[max(0, c - 2 * d) : max(0, c - d), a0:a1], img[c + d + 1 : c + 2 * d + 1, a0:a1]]
    shares = [float((side[:, on] > 0).mean()) for side in sides if side.shape[0]]
    return bool(shares) and max(shares) <= FLANK_CLEAR


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
