"""Tables continued on the next page are joined to their first part.

Real reports split table 3 across pages without repeating the header, and
PDF flip-books push its last row onto a later page. A table that starts a page
continues the table that ended the previous page when no heading stands
between them, it does not open with a header of its own, and its column
lines fall on the first part's column lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from extractors.layout import Grid, GridCell, PageLayout
from extractors.text import group_lines, line_text

_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_NEW_TABLE = ("勾稽关系", "申请人情况", "行政复议")


def _opens_new_table(grid: Grid) -> bool:
    head = "".join(c.text for c in grid.cells if c.row <= 1)
    return any(marker in head for marker in _NEW_TABLE)


def _heading_between(page: PageLayout, lo: float, hi: float) -> bool:
    words = [w for w in page.words if lo <= w.cy <= hi]
    return any(_HEADING.match(line_text(line).strip()) for line in group_lines(words))


def _tolerance(grid: Grid) -> float:
    return max(3.0, 0.01 * (grid.bbox[2] - grid.bbox[0]))


# Photographed pages are each corrected to their own scale: the same table may be
# this much wider on one page than on the next, when enough column lines agree.
PHOTO_SCALE = 0.15
MIN_EDGES_RESCALED = 5
# A photo whose perspective was not fully corrected squeezes one side of its table:
# the same column lines, in the same number, drift this far (share of the width).
KEYSTONE = 0.03
MANY_EDGES = 8  # with this many column lines, one may be off
SAME_LINE = 0.015  # column lines of two parts this close (share of the width) agree
# ... and closer than this are one line when the parts are joined: no column of the
# template is this narrow, and a curled photo may bend a line this far.
ONE_LINE = 0.025


def _same_frame(first: Grid, cont: Grid, tol: float, page_ratio: float = 1.0) -> bool:
    """One table's width, and every column line of one part on a line of the other
    (scanned pages shift and scale a little, so compare relative positions).

    `page_ratio` is the first part's page width over the continuation's: a
    photographed page corrected to another scale scales its tables alike.
    """
    fw = first.col_edges[-1] - first.col_edges[0]
    cw = cont.col_edges[-1] - cont.col_edges[0]
    if fw <= 0 or cw <= 0 or abs(fw - cw) > PHOTO_SCALE * fw:
        return False
    # (a line a photo doubled, a few px apart, is one line: `_one_each`)
    rel_f = _one_each([(x - first.col_edges[0]) / fw for x in first.col_edges])
    rel_c = _one_each([(x - cont.col_edges[0]) / cw for x in cont.col_edges])
    small, large = sorted((rel_f, rel_c), key=len)
    if len(rel_f) == len(rel_c) >= MIN_EDGES_RESCALED and all(
            abs(a - b) <= KEYSTONE for a, b in zip(rel_f, rel_c, strict=True)):
        return True  # line for line, a photo's uncorrected keystone aside
    same_width = abs(fw - cw) <= max(tol, 0.04 * fw)
    same_share = abs(fw - cw * page_ratio) <= 0.04 * fw  # of its own page's width
    if not (same_width or same_share) and len(small) < MIN_EDGES_RESCALED:
        return False  # a width that differs is believed only on many matching lines
    # A photo's curl may move one line of many a little further (a label column's,
    # drawn only in part of the table).
    misses = sum(min(abs(a - b) for b in large) > SAME_LINE for a in small)
    return misses <= (1 if len(small) >= MANY_EDGES else 0)


def _one_each(rel: list[float]) -> list[float]:
    """Relative column lines, those closer than `ONE_LINE` taken once: no column of
    the template is that narrow, and a heavy photo draws a thick line as two."""
    out: list[float] = []
    for x in rel:
        if not out or x - out[-1] >= ONE_LINE:
            out.append(x)
    return out


def _to_first(first: Grid, cont: Grid) -> Callable[[float], float]:
    """Map an x of the continuation onto the first part's frame: line onto line when
    both parts have the same column lines, else by their width."""
    if len(first.col_edges) == len(cont.col_edges):
        fe, ce = list(first.col_edges), list(cont.col_edges)
        return lambda x: float(np.interp(x, ce, fe))
    shift = _lost_border(first, cont)
    if shift is not None:
        return lambda x: x + shift
    f0, c0 = first.col_edges[0], cont.col_edges[0]
    ratio = (first.col_edges[-1] - f0) / ((cont.col_edges[-1] - c0) or 1.0)
    return lambda x: f0 + (x - c0) * ratio


def _union_edges(a: list[float], b: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for x in sorted(a + b):
        if out and x - out[-1] <= tol:
            continue
        out.append(x)
    return out


def _nearest(edges: list[float], x: float) -> int:
    return min(range(len(edges)), key=lambda k: abs(edges[k] - x))


def stitch(pages: list[PageLayout], grids_by_page: dict[int, list[Grid]]) -> list[Grid]:
    """All tables of the document in order, continued parts merged into their first part.

    Parts follow each other directly: on the next page, or lower on the same page
    (a long screenshot of several pages stacked in one image).
    """
    out: list[Grid] = []
    strays: list[Grid] = []
    by_number = {p.number: p for p in pages}
    for page in pages:
        for g in grids_by_page.get(page.number, []):
            if len(g.cells) == 1 and not g.cells[0].text.strip():
                # One empty box (a photo's edge, a frame round the page) is no table,
                # and must not come between two parts of one.
                continue
            if out and _continues(out[-1], g, by_number[out[-1].pages[-1]], page):
                _append(out[-1], g, page)
            elif len(out) >= 2 and _stray_row(out[-1], out[-2]) and _continues(
                    out[-2], g, by_number[out[-2].pages[-1]], page,
                    over=by_number[out[-1].pages[0]]):
                # A row alone on the page between two parts, whose column lines a seal
                # took (10213-0031): the parts are joined past it, and it stays a
                # table of its own for the template to place what it can.
                strays.append(out.pop())
                _append(out[-1], g, page)
            else:
                out.append(g)
    return out + strays


STRAY_ROWS = 2  # a part this short, alone on its page, may have lost its column lines


def _stray_row(part: Grid, before: Grid) -> bool:
    """A grid of a row or two, alone on the page after `before`'s last page."""
    return (part.n_rows <= STRAY_ROWS and len(part.pages) == 1
            and part.pages[0] == before.pages[-1] + 1)


def _continues(first: Grid, cont: Grid, first_page: PageLayout, page: PageLayout,
               over: PageLayout | None = None) -> bool:
    """Whether `cont` continues `first`; `over`: a page between them, holding only
    a stray row of the table."""
    if _opens_new_table(cont):
        return False
    last_part_bottom = max(c.bbox[3] for c in first.cells if c.page == first_page.number)
    if first_page.number == page.number:
        if _heading_between(page, last_part_bottom, cont.bbox[1]):
            return False
    elif page.number != first_page.number + (1 if over is None else 2):
        return False
    elif _heading_between(first_page, last_part_bottom, first_page.height) or \
            _heading_between(page, 0, cont.bbox[1]) or \
            (over is not None and _heading_between(over, 0, over.height)):
        return False
    ratio = first_page.width / page.width if page.width else 1.0
    return _same_frame(first, cont, _tolerance(first), ratio) or \
        _lost_border(first, cont) is not None


def _lost_border(first: Grid, cont: Grid) -> float | None:
    """The shift that lays each column line of `cont` on one of `first`'s, when `cont`
    has every line of `first` but its first or its last: a border a black-and-white
    scan left as a few dots on one page only (10437-0029), so the parts cannot be
    compared by their widths. Of many lines only, laid on by a shift alone (a page
    photographed at another scale has none that lays them all)."""
    fe, ce = list(first.col_edges), list(cont.col_edges)
    if len(ce) < MANY_EDGES or len(fe) != len(ce) + 1:
        return None
    near = SAME_LINE * (fe[-1] - fe[0])
    for kept in (fe[1:], fe[:-1]):
        shift = float(np.median([a - b for a, b in zip(kept, ce, strict=True)]))
        if all(abs(a - b - shift) <= near for a, b in zip(kept, ce, strict=True)):
            return shift
    return None


def _append(first: Grid, cont: Grid, page: PageLayout) -> None:
    """Append `cont`'s rows; either part may lack column lines the other has (a part
    holding only rows whose labels span several columns), so both are re-based on
    the union of their column lines."""
    to_first = _to_first(first, cont)
    width = first.col_edges[-1] - first.col_edges[0]
    edges = _union_edges(first.col_edges, [to_first(x) for x in cont.col_edges],
                         max(_tolerance(first), ONE_LINE * width))
    # Cells already appended from other pages have boxes in their own page's frame:
    # re-base every cell of the first part by its column lines, not its box.
    old = first.col_edges
    for c in first.cells:
        c0 = _nearest(edges, old[c.col])
        c1 = _nearest(edges, old[min(c.col + c.col_span, len(old) - 1)])
        c.col, c.col_span = c0, max(1, c1 - c0)
    offset = first.n_rows
    moved = []
    for c in cont.cells:
        c0, c1 = _nearest(edges, to_first(c.bbox[0])), _nearest(edges, to_first(c.bbox[2]))
        moved.append(GridCell(row=c.row + offset, col=c0, row_span=c.row_span,
                              col_span=max(1, c1 - c0), bbox=c.bbox, page=c.page,
                              words=c.words, text=c.text, confidence=c.confidence,
                              scanned=c.scanned, obscured=c.obscured, scores=c.scores))
    first.cells.extend(moved)
    first.cells.sort(key=lambda c: (c.row, c.col))
    first.n_rows += cont.n_rows
    first.n_cols = len(edges) - 1
    first.col_edges = edges
    first.pages.append(page.number)
