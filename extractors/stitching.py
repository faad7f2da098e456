"""Tables continued on the next page are joined to their first part.

Real reports split table 3 across pages without repeating the header, and
PDF flip-books push its last row onto a later page. A table that starts a page
continues the table that ended the previous page when no heading stands
between them, it does not open with a header of its own, and its column
lines fall on the first part's column lines.
"""

from __future__ import annotations

import re

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


def _edge_map(first: Grid, cont: Grid, tol: float) -> list[int] | None:
    """For each column edge of `cont`, the index of the same edge in `first`."""
    out = []
    for x in cont.col_edges:
        j = min(range(len(first.col_edges)), key=lambda k: abs(first.col_edges[k] - x))
        if abs(first.col_edges[j] - x) > tol:
            return None
        out.append(j)
    if out[0] != 0 or out[-1] != len(first.col_edges) - 1:
        return None  # a different table width
    return out


def stitch(pages: list[PageLayout], grids_by_page: dict[int, list[Grid]]) -> list[Grid]:
    """All tables of the document in order, continued parts merged into their first part."""
    out: list[Grid] = []
    by_number = {p.number: p for p in pages}
    prev_page: PageLayout | None = None
    for page in pages:
        grids = grids_by_page.get(page.number, [])
        for i, g in enumerate(grids):
            if i == 0 and out and prev_page is not None and out[-1].pages[-1] == prev_page.number:
                last = out[-1]
                if _continues(last, g, by_number[last.pages[-1]], page):
                    _append(last, g, page)
                    continue
            out.append(g)
        prev_page = page
    return out


def _continues(first: Grid, cont: Grid, first_page: PageLayout, page: PageLayout) -> bool:
    if _opens_new_table(cont):
        return False
    last_part_bottom = max(c.bbox[3] for c in first.cells if c.page == first_page.number)
    if _heading_between(first_page, last_part_bottom, first_page.height):
        return False
    if _heading_between(page, 0, cont.bbox[1]):
        return False
    tol = max(3.0, 0.01 * (first.bbox[2] - first.bbox[0]))
    return _edge_map(first, cont, tol) is not None


def _append(first: Grid, cont: Grid, page: PageLayout) -> None:
    tol = max(3.0, 0.01 * (first.bbox[2] - first.bbox[0]))
    edge = _edge_map(first, cont, tol)
    assert edge is not None
    offset = first.n_rows
    for c in cont.cells:
        col0 = edge[c.col]
        col1 = edge[c.col + c.col_span]
        first.cells.append(
            GridCell(
                row=c.row + offset,
                col=col0,
                row_span=c.row_span,
                col_span=col1 - col0,
                bbox=c.bbox,
                page=c.page,
                words=c.words,
                text=c.text,
                confidence=c.confidence,
            )
        )
    first.n_rows += cont.n_rows
    first.pages.append(page.number)
