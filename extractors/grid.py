"""Ruling lines -> table grids with row and column spans; words -> cells.

Works the same for PDF vector lines and for lines found in pixels: collinear
pieces are merged, crossing lines form tables (connected components), the
distinct line positions give the elementary grid, and two neighbouring
elementary cells are one merged cell when no ruling separates them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from extractors.layout import Grid, GridCell, PageLayout, Word
from extractors.text import join_text


@dataclass
class _Seg:
    pos: float  # y of a horizontal line, x of a vertical one
    start: float
    end: float


def _cluster(values: list[float], tol: float) -> list[float]:
    """Representative positions of values closer than tol."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _merge_segments(segs: list[_Seg], tol: float, gap: float) -> list[_Seg]:
    """Snap collinear pieces to one position and join pieces with small gaps."""
    if not segs:
        return []
    positions = _cluster([s.pos for s in segs], tol)
    by_pos: dict[float, list[_Seg]] = {}
    for s in segs:
        p = min(positions, key=lambda q: abs(q - s.pos))
        by_pos.setdefault(p, []).append(s)
    merged: list[_Seg] = []
    for p, group in by_pos.items():
        group.sort(key=lambda s: s.start)
        cur = _Seg(p, group[0].start, group[0].end)
        for s in group[1:]:
            if s.start <= cur.end + gap:
                cur.end = max(cur.end, s.end)
            else:
                merged.append(cur)
                cur = _Seg(p, s.start, s.end)
        merged.append(cur)
    return merged


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _coverage(segs: list[_Seg], pos: float, lo: float, hi: float, tol: float) -> float:
    """Fraction of [lo, hi] covered by segments at `pos`."""
    length = hi - lo
    if length <= 0:
        return 1.0
    spans = sorted((max(s.start, lo), min(s.end, hi)) for s in segs if abs(s.pos - pos) <= tol)
    covered, reach = 0.0, lo
    for a, b in spans:
        a = max(a, reach)
        if b > a:
            covered += b - a
            reach = b
    return covered / length


def default_tolerance(page: PageLayout) -> float:
    # PDF points: 2pt; pixels: about 2pt at the image's resolution.
    return 2.0 if page.kind == "digital" else max(3.0, page.width / 300.0)


END_REACH = 3  # tolerances: how far short of a line a scan's line may end and meet it


def build_grids(page: PageLayout, tol: float | None = None) -> list[Grid]:
    """Every ruled table on the page, top to bottom, with words assigned to cells."""
    tol = default_tolerance(page) if tol is None else tol
    hs: list[_Seg] = []
    vs: list[_Seg] = []
    for r in page.rulings:
        if r.horizontal:
            hs.append(_Seg((r.top + r.bottom) / 2, min(r.x0, r.x1), max(r.x0, r.x1)))
        else:
            vs.append(_Seg((r.x0 + r.x1) / 2, min(r.top, r.bottom), max(r.top, r.bottom)))
    min_len = 3 * tol
    hs = [s for s in _merge_segments(hs, tol, tol * 1.5) if s.end - s.start >= min_len]
    if page.kind == "scan" and page.obscured:
        # a row line runs across the table, beyond any seal on it: one lying wholly
        # under a seal is a stroke of the seal left by its suppression (10809-0017, a
        # clean 300-dpi scan: across two cells, it cut a 1 in two, read as a dash)
        hs = [s for s in hs if not any(
            b[0] - tol <= s.start and s.end <= b[2] + tol and b[1] <= s.pos <= b[3]
            for b in page.obscured)]
    vs = [s for s in _merge_segments(vs, tol, tol * 1.5) if s.end - s.start >= min_len]
    if len(hs) < 2 or len(vs) < 2:
        return []

    # Tables are connected components of crossing lines. A scan's dotted line may
    # end a dot's gap short of the line it meets (10761-0004, 150 dpi: 8 px).
    reach = tol if page.kind == "digital" else END_REACH * tol
    uf = _UnionFind(len(hs) + len(vs))
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if (h.start - reach <= v.pos <= h.end + reach
                    and v.start - reach <= h.pos <= v.end + reach):
                uf.union(i, len(hs) + j)
    comps: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
    for i, h in enumerate(hs):
        comps.setdefault(uf.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        comps.setdefault(uf.find(len(hs) + j), ([], []))[1].append(v)

    grids = []
    for ch, cv in comps.values():
        if len(ch) < 2 or len(cv) < 2:
            continue
        grid = _grid_from_lines(ch, cv, tol, page)
        if grid is not None:
            grids.append(grid)
    grids = [g for g in grids if not _frames_another(g, grids, tol)]
    grids.sort(key=lambda g: g.bbox[1])
    assign_words(grids, page.words)
    return grids


def _frames_another(g: Grid, grids: list[Grid], tol: float) -> bool:
    """A few lines around a whole table (a photographed sheet's edges, a box drawn
    round the page) are a frame, not a table: no table holds another."""
    if g.n_rows > 3 and g.n_cols > 3:
        return False
    x0, t, x1, b = g.bbox
    return any(
        o is not g and x0 - tol <= o.bbox[0] and o.bbox[2] <= x1 + tol
        and t - tol <= o.bbox[1] and o.bbox[3] <= b + tol
        for o in grids
    )


SHORT_COLUMN = 3  # rows: a lone column line through no more is doubted in a long scanned table
WHOLE_ROW = 0.9  # of a row's height: a line through it top to bottom
SECTION_LINES = 3  # short lines through the same rows that rule a section of their own


def _true_columns(xs: list[float], ys: list[float], vs: list[_Seg], snap: float) -> list[float]:
    """The column lines of a long scanned table that are columns.

    A "column line" inside one row is a stroke of noise or a smudge: real column
    lines run through several rows, unless two or more rule the table's first or
    last row top to bottom. A line through a few rows only, in one piece,
    where the rows around it are ruled alike (the same long column lines above,
    beside and below it) splits nothing the table splits: an arc of a seal
    printed black (a bilevel scan) or a fold. A short section of its own (table
    2's rows of four columns between rows of two) is ruled unlike its neighbours.
    """
    def on(x: float, r: int) -> bool:
        return _coverage(vs, x, ys[r], ys[r + 1], snap) >= 0.5

    crossed = {x: [r for r in range(len(ys) - 1) if on(x, r)] for x in xs[1:-1]}
    long = {x: len(rows) > SHORT_COLUMN or sum(abs(v.pos - x) <= snap for v in vs) > 1
            for x, rows in crossed.items()}

    def whole(x: float, r: int) -> bool:
        return _coverage(vs, x, ys[r], ys[r + 1], snap) >= WHOLE_ROW

    def column(x: float) -> bool:
        rows = crossed[x]
        if len(rows) == 1:
            # The first or last row ruled into columns of its own, top to bottom, by
            # two lines or more: a section the page break cut (a row of table 2)
            return rows[0] in (0, len(ys) - 2) and whole(x, rows[0]) and any(
                abs(o - x) > snap and crossed[o] == rows and whole(o, rows[0]) for o in crossed)
        if not rows:
            return False
        if long[x]:
            return True
        # Three lines or more ruling the same rows top to bottom are a section of its
        # own, though the long lines beside it do not line up with its first (a
        # photo's curl put it 8 px off the one below, 10749-0006); a seal has two sides.
        alike = [o for o in crossed if crossed[o] == rows and all(whole(o, r) for r in rows)]
        if x in alike and len(alike) >= SECTION_LINES:
            return True
        others = [o for o in crossed if abs(o - x) > snap and long[o]]
        around = [r for r in (rows[0] - 1, rows[-1] + 1) if 0 <= r < len(ys) - 1]
        ruled = {tuple(on(o, r) for o in others) for r in [*rows, *around]}
        return not around or len(ruled) > 1

    return [xs[0], *(x for x in xs[1:-1] if column(x)), xs[-1]]


# tolerances: no row is this thin (2.5 x 4.2 px at 150 dpi, where a row of 9-pt text
# is 40 px at the least); a table's top or foot line found in pieces this far apart
# is one line, broken by a threshold or a photo's tilt (10761-0004: its foot at 507
# and 514 px, 150 dpi; the sliver row under its row of numbers was taken for it)
SLIVER_ROW = 2.5


def _without_slivers(ys: list[float], hs: list[_Seg], least: float, snap: float,
                     ) -> tuple[list[float], list[_Seg]]:
    """The table's first and last row lines, each taken as one line at the mean of
    its pieces where they lie closer than `least`. (A sliver row inside the table
    is left: the cells beside it are found by their labels, and a cell's crop
    reaching to the mean would take in a piece of the line; 10737-0015.)"""
    if len(ys) < 4:
        return ys, hs
    pairs = [(0, 1), (len(ys) - 2, len(ys) - 1)]
    pairs = [(i, j) for i, j in pairs if ys[j] - ys[i] < least]
    if not pairs:
        return ys, hs
    at = {ys[i]: (ys[i] + ys[j]) / 2 for i, j in pairs} | {
        ys[j]: (ys[i] + ys[j]) / 2 for i, j in pairs}
    moved = []
    for h in hs:
        near = min(ys, key=lambda y: abs(y - h.pos))
        moved.append(_Seg(at[near], h.start, h.end) if near in at and abs(near - h.pos) <= snap
                     else h)
    return sorted(set(at.get(y, y) for y in ys)), moved


def _grid_from_lines(
    hs: list[_Seg], vs: list[_Seg], tol: float, page: PageLayout
) -> Grid | None:
    ys = _cluster([h.pos for h in hs], tol)
    xs = _cluster([v.pos for v in vs], tol)
    snap = tol * 1.5
    if page.kind == "scan":
        ys, hs = _without_slivers(ys, hs, SLIVER_ROW * tol, snap)
    if page.kind == "scan" and len(ys) > 8:
        xs = _true_columns(xs, ys, vs, snap)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1:
        return None

    text_split = _text_split(page, xs, ys, vs, snap) if page.kind == "scan" else None

    def v_boundary(ci: int, r: int) -> bool:  # a line at xs[ci] between rows ys[r]..ys[r+1]
        if _coverage(vs, xs[ci], ys[r], ys[r + 1], snap) >= 0.5:
            return True
        return text_split is not None and text_split(ci, r)

    def h_boundary(ri: int, c: int) -> bool:
        return _coverage(hs, ys[ri], xs[c], xs[c + 1], snap) >= 0.5

    uf = _UnionFind(nr * nc)
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not v_boundary(c + 1, r):
                uf.union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not h_boundary(r + 1, c):
                uf.union(r * nc + c, (r + 1) * nc + c)

    # Regions -> rectangles; a non-rectangular region (broken lines) grows to
    # its bounding rectangle, absorbing whatever it overlaps.
    owner = [uf.find(i) for i in range(nr * nc)]
    changed = True
    while changed:
        changed = False
        boxes: dict[int, list[int]] = {}
        for i, o in enumerate(owner):
            r, c = divmod(i, nc)
            b = boxes.setdefault(o, [r, c, r, c])
            b[0], b[1], b[2], b[3] = min(b[0], r), min(b[1], c), max(b[2], r), max(b[3], c)
        for o, (r0, c0, r1, c1) in boxes.items():
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if owner[r * nc + c] != o:
                        other = owner[r * nc + c]
                        owner = [o if x == other else x for x in owner]
                        changed = True
            if changed:
                break

    cells: list[GridCell] = []
    seen: set[int] = set()
    for o in owner:
        if o in seen:
            continue
        seen.add(o)
        members = [k for k, x in enumerate(owner) if x == o]
        rows = [k // nc for k in members]
        cols = [k % nc for k in members]
        r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
        cells.append(
            GridCell(
                row=r0,
                col=c0,
                row_span=r1 - r0 + 1,
                col_span=c1 - c0 + 1,
                bbox=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]),
                page=page.number,
                scanned=page.kind == "scan",
            )
        )
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(
        pages=[page.number],
        bbox=(xs[0], ys[0], xs[-1], ys[-1]),
        n_rows=nr,
        n_cols=nc,
        cells=cells,
        col_edges=xs,
        row_edges=ys,
    )


def _text_split(page: PageLayout, xs: list[float], ys: list[float], vs: list[_Seg],
                snap: float) -> Callable[[int, int], bool]:
    """Scans: a column line lost in a row (under a seal, in a photo's glare) still
    separates cells when the line stands elsewhere in the table and the row has
    text on both sides of it that no text line crosses."""
    height = ys[-1] - ys[0]
    words = [w for w in page.words
             if xs[0] <= w.cx <= xs[-1] and ys[0] <= w.cy <= ys[-1]]

    def split(ci: int, r: int) -> bool:
        x = xs[ci]
        if _coverage(vs, x, ys[0], ys[-1], snap) * height < 0.3 * height:
            return False
        row = [w for w in words if ys[r] <= w.cy < ys[r + 1]]
        if any(w.x0 < x - snap and w.x1 > x + snap for w in row):
            return False
        left = any(xs[ci - 1] <= w.cx < x for w in row)
        right = any(x <= w.cx < xs[ci + 1] for w in row) if ci + 1 < len(xs) else False
        return left and right

    return split


def assign_words(grids: list[Grid], words: list[Word]) -> None:
    """Put each word into the cell that holds its centre; set each cell's text."""
    for g in grids:
        xs, ys = g.col_edges, g.row_edges
        index: dict[tuple[int, int], GridCell] = {}
        for cell in g.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    index[(r, c)] = cell
        for w in words:
            if not (xs[0] <= w.cx <= xs[-1] and ys[0] <= w.cy <= ys[-1]):
                continue
            c = min(bisect_right(xs, w.cx) - 1, g.n_cols - 1)
            r = min(bisect_right(ys, w.cy) - 1, g.n_rows - 1)
            target = index.get((r, c))
            if target is not None:
                target.words.append(w)
        for cell in g.cells:
            cell.text = join_text(cell.words)
            cell.confidence = min((w.confidence for w in cell.words), default=1.0)


def words_outside(words: list[Word], grids: list[Grid], margin: float = 1.0) -> list[Word]:
    """Words that belong to no table (prose, headings)."""
    out = []
    for w in words:
        inside = any(
            g.bbox[0] - margin <= w.cx <= g.bbox[2] + margin
            and g.bbox[1] - margin <= w.cy <= g.bbox[3] + margin
            for g in grids
        )
        if not inside:
            out.append(w)
    return out


__all__ = ["assign_words", "build_grids", "default_tolerance", "words_outside"]
