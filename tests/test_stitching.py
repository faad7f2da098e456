"""Tables continued on the next page (`extractors.stitching`)."""

from __future__ import annotations

import math

from extractors.layout import Grid, GridCell, PageLayout, Word
from extractors.stitching import stitch

EDGES = [100.0, 300.0, 400.0, 480.0, 560.0, 640.0, 720.0, 800.0, 880.0, 960.0, 1040.0]


def _grid(page: int, scale: float, rows: int, top: float, header: str = "",
          left: float = 100) -> Grid:
    edges = [left + (x - 100) * scale for x in EDGES]
    cells = []
    for r in range(rows):
        for c in range(len(edges) - 1):
            text = header if (r == 0 and c == 0 and header) else ("0" if c else f"row {r}")
            cells.append(GridCell(row=r, col=c, row_span=1, col_span=1, page=page,
                                  bbox=(edges[c], top + 30 * r, edges[c + 1], top + 30 * r + 30),
                                  text=text))
    return Grid(pages=[page], bbox=(edges[0], top, edges[-1], top + 30 * rows), n_rows=rows,
                n_cols=len(edges) - 1, cells=cells, col_edges=edges)


def _pages() -> list[PageLayout]:
    return [PageLayout(number=n, width=1200, height=1700, kind="scan") for n in (1, 2)]


def test_a_photographed_continuation_at_another_scale_is_stitched() -> None:
    first = _grid(1, 1.0, 20, 900, header="申请人情况")
    cont = _grid(2, 0.92, 6, 100)  # the next photo, corrected to a scale 8 % smaller
    out = stitch(_pages(), {1: [first], 2: [cont]})
    assert len(out) == 1 and out[0].n_rows == 26 and out[0].pages == [1, 2]


def test_a_narrower_table_with_few_columns_is_not_taken_for_a_continuation() -> None:
    first = _grid(1, 1.0, 20, 900, header="申请人情况")
    cont = _grid(2, 0.92, 6, 100)
    cont.col_edges = [cont.col_edges[0], cont.col_edges[5], cont.col_edges[-1]]
    out = stitch(_pages(), {1: [first], 2: [cont]})
    assert len(out) == 2
    far = _grid(2, 0.8, 6, 100)  # a fifth narrower: another table
    assert len(stitch(_pages(), {1: [first], 2: [far]})) == 2


def test_a_few_columns_at_another_scale_join_when_their_page_is_scaled_alike() -> None:
    first = _grid(1, 1.0, 20, 900, header="申请人情况")
    cont = _grid(2, 0.9, 6, 100)
    cont.col_edges = [cont.col_edges[0], cont.col_edges[5], cont.col_edges[-1]]
    pages = _pages()
    pages[1].width = pages[0].width * 0.9  # the second photo was corrected 10 % smaller
    out = stitch(pages, {1: [first], 2: [cont]})
    assert len(out) == 1 and out[0].n_rows == 26


def test_a_third_part_keeps_the_second_parts_cells_in_their_columns() -> None:
    # The middle photo was not corrected: its table sits further right and wider.
    # Re-basing on the third part must not read the second part's boxes in the
    # first part's frame.
    first = _grid(1, 1.0, 20, 900, header="申请人情况")
    middle = _grid(2, 1.08, 6, 100, left=250)
    last = _grid(3, 1.0, 6, 100)
    pages = [PageLayout(number=n, width=1200, height=1700, kind="scan") for n in (1, 2, 3)]
    out = stitch(pages, {1: [first], 2: [middle], 3: [last]})
    assert len(out) == 1 and out[0].n_rows == 32 and out[0].n_cols == 10
    for r in range(32):
        assert sorted(c.col for c in out[0].cells if c.row == r) == list(range(10)), r


def test_a_continuation_squeezed_by_an_uncorrected_keystone_is_stitched_line_for_line() -> None:
    first = _grid(1, 1.0, 20, 900, header="申请人情况")
    cont = _grid(2, 1.0, 6, 100)
    # the right of the photo is farther from the lens: lines drift left, up to 2 %
    span = EDGES[-1] - EDGES[0]
    cont.col_edges = [x - 0.02 * span * math.sin(math.pi * (x - EDGES[0]) / span)
                      for x in cont.col_edges]
    for c in cont.cells:
        c.bbox = (cont.col_edges[c.col], c.bbox[1], cont.col_edges[c.col + 1], c.bbox[3])
    out = stitch(_pages(), {1: [first], 2: [cont]})
    assert len(out) == 1 and out[0].n_rows == 26 and out[0].n_cols == 10
    for r in range(26):
        assert sorted(c.col for c in out[0].cells if c.row == r) == list(range(10)), r
    other = _grid(2, 1.0, 6, 100)  # the same number of lines, placed differently
    other.col_edges = [other.col_edges[0]] + [x + 60 for x in other.col_edges[1:-1]] + \
        [other.col_edges[-1]]
    assert len(stitch(_pages(), {1: [first], 2: [other]})) == 2


def test_an_empty_box_at_a_photos_edge_does_not_break_a_table_in_two() -> None:
    first = _grid(1, 1.0, 20, 900, header="申请人情况")
    edge = Grid(pages=[2], bbox=(1140, 37, 1187, 1660), n_rows=1, n_cols=1, col_edges=[1140, 1187],
                cells=[GridCell(row=0, col=0, row_span=1, col_span=1, page=2,
                                bbox=(1140, 37, 1187, 1660), text="")])
    cont = _grid(2, 1.0, 6, 100)
    out = stitch(_pages(), {1: [first], 2: [edge, cont]})
    assert len(out) == 1 and out[0].n_rows == 26


def test_one_line_of_many_bent_by_a_curled_photo_neither_breaks_nor_splits_a_table() -> None:
    # The first part lacks a label column's line (its rows' labels span it), and its
    # photo's curl moved one value column's line by 1.8 % of the width.
    first = _grid(1, 1.0, 6, 1400, header="申请人情况")
    span = EDGES[-1] - EDGES[0]
    moved = [x - 0.018 * span if x == 560.0 else x for x in EDGES if x != 300.0]
    first.col_edges = moved
    first.n_cols = len(moved) - 1
    first.cells = [c for c in first.cells if c.col < first.n_cols]
    for c in first.cells:
        c.bbox = (moved[c.col], c.bbox[1], moved[c.col + 1], c.bbox[3])
    cont = _grid(2, 1.0, 6, 100)
    out = stitch(_pages(), {1: [first], 2: [cont]})
    assert len(out) == 1 and out[0].n_rows == 12
    assert out[0].n_cols == 10  # one line where the parts' lines nearly meet, no sliver
    far = _grid(2, 1.0, 6, 100)  # two lines off: another table
    far.col_edges = [x + 0.03 * span if x in (560.0, 720.0) else x for x in far.col_edges]
    assert len(stitch(_pages(), {1: [first], 2: [far]})) == 2


def test_parts_either_side_of_a_row_that_lost_its_column_lines_are_joined() -> None:
    # 10213-0031: table 3's 18 rows on page 2, one row alone on page 3 whose column
    # lines a seal took (a grid of 4 columns, narrower), its last 7 rows on page 4.
    pages = [PageLayout(number=n, width=1200, height=1700, kind="scan") for n in (1, 2, 3)]
    first, last = _grid(1, 1.0, 18, 900, header="申请人情况"), _grid(3, 1.0, 7, 100)
    row = _grid(2, 1.0, 1, 100)
    row.col_edges = [*row.col_edges[:4], 600.0]
    out = stitch(pages, {1: [first], 2: [row], 3: [last]})
    assert [(g.pages, g.n_rows) for g in out] == [([1, 3], 25), ([2], 1)]
    # not past a heading on the page between, nor past more than a row or two
    pages[1].words = [Word("四、政府信息公开行政复议、行政诉讼情况", (100, 300, 800, 330), 0.99)]
    assert len(stitch(pages, {1: [first], 2: [row], 3: [last]})) == 3
    pages[1].words = []
    rows = _grid(2, 1.0, 3, 100)
    rows.col_edges = [*rows.col_edges[:4], 600.0]
    assert len(stitch(pages, {1: [first], 2: [rows], 3: [last]})) == 3


def test_a_last_row_whose_photo_doubled_two_column_lines_is_stitched() -> None:
    # 10339-0046: table 3's last row alone atop page 4 of heavy photos. Its label
    # spans the first three columns (two lines fewer), and two of its column lines
    # came out doubled, 6 px apart: as many lines as the first part, but not the
    # same ones, and the row was left a table of its own (7 fields lost).
    first = _grid(1, 1.0, 20, 900, header="申请人情况")
    row = _grid(2, 0.97, 1, 100)
    edges = [x for x in row.col_edges if x not in (row.col_edges[1], row.col_edges[2])]
    row.col_edges = sorted([*edges, edges[3] + 6.0, edges[5] + 5.0])
    row.n_cols = len(row.col_edges) - 1
    row.cells = [GridCell(row=0, col=c, row_span=1, col_span=1, page=2, text="0",
                          bbox=(row.col_edges[c], 100.0, row.col_edges[c + 1], 130.0))
                 for c in range(row.n_cols)]
    assert len(row.col_edges) == len(first.col_edges)
    out = stitch(_pages(), {1: [first], 2: [row]})
    assert len(out) == 1 and out[0].n_rows == 21


def test_a_continuation_that_lost_its_left_border_is_stitched_column_for_column() -> None:
    # 10437-0029 (150 dpi, black and white): table 3's part on page 3 lost its left
    # border to the threshold, as every other line stood 2 px right of page 2's. Its
    # width a twentieth less, the parts were not joined, page 3's part was taken for
    # table 3, and 63 fields of page 2's were lost.
    first = _grid(1, 1.0, 20, 900, header="申请人情况")
    cont = _grid(2, 1.0, 6, 100)
    for c in cont.cells:
        c.bbox = (c.bbox[0] + 2, c.bbox[1], c.bbox[2] + 2, c.bbox[3])
    cont.col_edges = [x + 2 for x in cont.col_edges[1:]]
    cont.n_cols -= 1
    cont.cells = [c for c in cont.cells if c.col > 0]
    out = stitch(_pages(), {1: [first], 2: [cont]})
    assert len(out) == 1 and out[0].n_rows == 26 and out[0].n_cols == len(EDGES) - 1
    moved = [c for c in out[0].cells if c.row >= 20]
    assert sorted({c.col for c in moved}) == list(range(1, len(EDGES) - 1))
    # one line off besides: not the same table
    cont.col_edges[4] += 40
    assert len(stitch(_pages(), {1: [first], 2: [cont]})) == 2
