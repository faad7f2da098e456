"""Grid reconstruction from ruling lines: spans, broken lines, word assignment."""

from __future__ import annotations

from extractors.grid import build_grids
from extractors.layout import PageLayout, Ruling, Word
from tests.grids import merged_row


def _page(rulings: list[Ruling], words: list[Word] | None = None) -> PageLayout:
    return PageLayout(number=1, width=600, height=800, kind="digital",
                      words=words or [], rulings=rulings)


def _box(xs: list[float], ys: list[float]) -> list[Ruling]:
    """A full grid of lines at xs and ys."""
    out = [Ruling(xs[0], y, xs[-1], y) for y in ys]
    out += [Ruling(x, ys[0], x, ys[-1]) for x in xs]
    return out


def test_plain_grid() -> None:
    [g] = build_grids(_page(_box([0, 100, 200, 300], [0, 20, 40])))
    assert (g.n_rows, g.n_cols) == (2, 3)
    assert len(g.cells) == 6
    assert all(c.row_span == 1 and c.col_span == 1 for c in g.cells)


def test_merged_cells_from_missing_segments() -> None:
    xs, ys = [0, 100, 200, 300], [0, 20, 40, 60]
    rulings = [Ruling(0, y, 300, y) for y in (0, 60)]
    # row line at y=20 only under columns 1..2: column 0 spans rows 0-1
    rulings += [Ruling(100, 20, 300, 20), Ruling(0, 40, 300, 40)]
    # vertical line at x=200 missing in row 2: cols 1-2 merged there
    rulings += [Ruling(0, 0, 0, 60), Ruling(300, 0, 300, 60), Ruling(100, 0, 100, 60),
                Ruling(200, 0, 200, 40)]
    [g] = build_grids(_page(rulings))
    assert (g.n_rows, g.n_cols) == (3, 3)
    tall = g.cell_at(1, 0)
    assert tall is not None and (tall.row, tall.row_span, tall.col_span) == (0, 2, 1)
    wide = g.cell_at(2, 2)
    assert wide is not None and (wide.col, wide.col_span) == (1, 2)
    assert len(g.cells) == 9 - 1 - 1  # two merges of two elementary cells
    assert g.col_edges == xs and g.row_edges == ys


def test_broken_and_doubled_lines_are_merged() -> None:
    rulings = _box([0, 100, 200], [0, 30, 60])
    # the middle horizontal line drawn in two pieces with a small gap, and doubled
    rulings = [r for r in rulings if not (r.top == 30 and r.bottom == 30)]
    rulings += [Ruling(0, 30, 98.5, 30), Ruling(100.5, 30, 200, 30), Ruling(0, 31, 200, 31)]
    [g] = build_grids(_page(rulings))
    assert (g.n_rows, g.n_cols) == (2, 2)
    assert len(g.cells) == 4


def test_words_assigned_by_centre_and_joined() -> None:
    words = [
        Word("商", (10, 5, 20, 15)), Word("业", (20, 5, 30, 15)),
        Word("企", (10, 22, 20, 32)), Word("业", (20, 22, 30, 32)),
        Word("1", (150, 10, 155, 20)), Word("2", (155, 10, 160, 20)),
    ]
    [g] = build_grids(_page(_box([0, 100, 200], [0, 40]), words))
    assert g.cell_at(0, 0).text == "商业企业"  # type: ignore[union-attr]
    assert g.cell_at(0, 1).text == "12"  # type: ignore[union-attr]


def test_two_tables_on_one_page() -> None:
    rulings = _box([0, 100, 200], [0, 20, 40]) + _box([0, 50, 100, 150], [100, 120])
    grids = build_grids(_page(rulings))
    assert [(g.n_rows, g.n_cols) for g in grids] == [(2, 2), (1, 3)]


def test_no_table_without_crossing_lines() -> None:
    assert build_grids(_page([Ruling(0, 10, 100, 10), Ruling(0, 50, 100, 50)])) == []


def test_scan_column_line_lost_in_one_row_still_splits_by_text() -> None:
    ys = [0, 30, 60, 90]
    rulings = [Ruling(0, y, 200, y) for y in ys] + [Ruling(0, 0, 0, 90), Ruling(200, 0, 200, 90)]
    rulings.append(Ruling(100, 0, 100, 60))  # the middle line is missing in the last row
    words = [Word("规章", (20, 65, 60, 85), source="ocr"), Word("12", (140, 65, 160, 85),
                                                                source="ocr")]
    page = PageLayout(number=1, width=600, height=800, kind="scan", words=words, rulings=rulings)
    [g] = build_grids(page)
    assert g.cell_at(2, 0) is not g.cell_at(2, 1)
    assert g.cell_at(2, 1).text == "12"  # type: ignore[union-attr]
    # A text line across the gap means a merged cell: no split.
    page.words = [Word("行政许可 12", (20, 65, 160, 85), source="ocr")]
    [g] = build_grids(page)
    assert g.cell_at(2, 0) is g.cell_at(2, 1)
    # The digital path never splits by text (one word per glyph there).
    page.kind, page.words = "digital", words
    [g] = build_grids(page)
    assert g.cell_at(2, 0) is g.cell_at(2, 1)


def test_a_frame_round_the_page_is_not_a_table() -> None:
    # a photographed sheet's edges (or a drawn border) around a table, not touching it
    frame = _box([5, 595], [5, 400, 795])
    table = _box([50, 150, 250, 350, 450, 550], [100, 130, 160, 190, 220])
    grids = build_grids(_page(frame + table))
    assert [(g.n_rows, g.n_cols) for g in grids] == [(4, 5)]
    # two tables side by side in one frame are still two tables, and the frame goes
    other = _box([50, 150, 250, 350, 450, 550], [500, 530, 560, 590, 620])
    grids = build_grids(_page(frame + table + other))
    assert [(g.n_rows, g.n_cols) for g in grids] == [(4, 5), (4, 5)]


def test_cells_of_a_scanned_page_are_ocr_even_without_words() -> None:
    # a cell's text may come from re-reading its crop, with no word left in it:
    # it is still OCR, so validation and repair treat it as uncertain-able
    page = PageLayout(number=1, width=600, height=800, kind="scan",
                      rulings=_box([0, 100, 200], [0, 20, 40]))
    [g] = build_grids(page)
    assert all(c.source == "ocr" and not c.words for c in g.cells)
    [d] = build_grids(_page(_box([0, 100, 200], [0, 20, 40])))
    assert all(c.source == "pdf_text" for c in d.cells)


def test_a_lone_short_line_in_a_long_scanned_table_is_not_a_column() -> None:
    ys = [float(20 * i) for i in range(13)]  # 12 rows
    xs = [0.0, 100.0, 200.0, 300.0]
    rulings = _box(xs, ys)
    rulings.append(Ruling(250, ys[4], 250, ys[6]))  # an arc through two rows, alone
    rulings.append(Ruling(270, ys[2], 270, ys[5]))  # and another arc of the same seal
    # two short pieces on one line (the middle line of two 2-row sections) are a column
    rulings += [Ruling(150, ys[7], 150, ys[9]), Ruling(150, ys[10], 150, ys[12])]
    page = PageLayout(number=1, width=600, height=800, kind="scan", rulings=rulings)
    [g] = build_grids(page)
    assert [round(x) for x in g.col_edges] == [0, 100, 150, 200, 300]


def test_a_scanned_cell_over_two_value_columns_is_split_by_its_words() -> None:
    g, merged = merged_row("行政处罚", Word("40", (160, 5, 180, 15), 1.0, source="ocr"),
                           [0, 100, 150, 300])
    left, right = g.cell_part(0, 1), g.cell_part(0, 2)
    assert left is not None and right is not None
    assert (left.text, right.text) == ("", "40")  # "40" lies over the second column
    assert left.confidence <= 0.6 < right.confidence  # the blank may be a missed reading
    assert g.cell_part(0, 1, span=2) is merged  # a wide header column takes it whole
    merged.scanned = False
    assert g.cell_part(0, 1) is merged  # a PDF's merged cell is one value


def test_a_short_section_with_more_columns_keeps_its_lines() -> None:
    # table 2 of the 2021 format: a title row, three rows of four columns, then
    # sections of two columns; the inner lines of the first section are short and
    # alone on their x, yet they are columns
    ys = [float(20 * i) for i in range(13)]
    rulings = [Ruling(0, y, 400, y) for y in ys]
    rulings += [Ruling(0, ys[0], 0, ys[-1]), Ruling(400, ys[0], 400, ys[-1])]
    rulings.append(Ruling(100, ys[1], 100, ys[4]))  # first column line of the section
    rulings += [Ruling(200, ys[1], 200, ys[4]), Ruling(300, ys[1], 300, ys[4])]
    rulings += [Ruling(100, ys[5], 100, ys[7]), Ruling(100, ys[8], 100, ys[12])]
    page = PageLayout(number=1, width=600, height=800, kind="scan", rulings=rulings)
    [g] = build_grids(page)
    assert [round(x) for x in g.col_edges] == [0, 100, 200, 300, 400]


def test_a_short_section_whose_first_line_is_off_the_long_one_below_keeps_its_lines() -> None:
    # 10749-0006, a curled photo: table 2's first section ruled at 589, 805 and 1022 px,
    # the long column line of the sections below at 581. Taken for a seal's arcs (ruled
    # alike above and below), the section's three lines were lost, and its six values.
    ys = [float(20 * i) for i in range(13)]
    rulings = [Ruling(0, y, 400, y) for y in ys]
    rulings += [Ruling(0, ys[0], 0, ys[-1]), Ruling(400, ys[0], 400, ys[-1])]
    rulings += [Ruling(x, ys[1], x, ys[4]) for x in (110, 200, 300)]
    rulings += [Ruling(100, ys[5], 100, ys[7]), Ruling(100, ys[8], 100, ys[12])]
    page = PageLayout(number=1, width=600, height=800, kind="scan", rulings=rulings)
    [g] = build_grids(page)
    assert [round(x) for x in g.col_edges] == [0, 100, 110, 200, 300, 400]
    # two such lines are no section (a seal printed black has two sides)
    page.rulings = rulings[:-5] + rulings[-4:]
    [g] = build_grids(page)
    assert [round(x) for x in g.col_edges] == [0, 100, 400]


def test_the_first_row_ruled_into_columns_of_its_own_keeps_its_lines() -> None:
    # table 2 continued on the next page: its first row is the last row of a
    # four-column section (规范性文件 | 0 | 0 | 0), then sections of two columns
    ys = [float(20 * i) for i in range(11)]
    rulings = [Ruling(0, y, 400, y) for y in ys]
    rulings += [Ruling(0, ys[0], 0, ys[-1]), Ruling(400, ys[0], 400, ys[-1])]
    rulings += [Ruling(100, ys[0], 100, ys[-1])]
    rulings += [Ruling(200, ys[0] - 1, 200, ys[1] + 1), Ruling(300, ys[0] - 1, 300, ys[1] + 1)]
    page = PageLayout(number=1, width=600, height=800, kind="scan", rulings=rulings)
    [g] = build_grids(page)
    assert [round(x) for x in g.col_edges] == [0, 100, 200, 300, 400]
    # one such line alone in a row is a stroke, and so is a pair in a middle row
    for lines in ([Ruling(200, ys[0], 200, ys[1])],
                  [Ruling(200, ys[4], 200, ys[5]), Ruling(300, ys[4], 300, ys[5])]):
        page.rulings = rulings[:-2] + lines
        [g] = build_grids(page)
        assert [round(x) for x in g.col_edges] == [0, 100, 400]


def test_one_detection_across_a_lost_column_line_is_shared_by_its_characters() -> None:
    # "1  1  1" over three value columns whose lines were lost, detected as one word
    g, _merged = merged_row("规范性文件", Word("111", (130, 5, 570, 15), 0.98, source="ocr"),
                            [0, 100, 267, 433, 600])
    parts = [g.cell_part(0, c) for c in (1, 2, 3)]
    assert [p.text for p in parts if p is not None] == ["1", "1", "1"]
    assert all(p is not None and p.confidence <= 0.6 for p in parts)  # never certain


def _scan(rulings: list[Ruling]) -> PageLayout:
    # a 150-dpi page: lines within 4.2 px (1271 / 300) are one
    return PageLayout(number=1, width=1271, height=1793, kind="scan", rulings=rulings)


def test_a_foot_line_broken_into_pieces_a_few_px_apart_is_one_line() -> None:
    # 10761-0004 (black and white, 150 dpi): table 4's foot line found at 514 px along
    # its length and at 507 from its middle on; a row 7 px tall holds nothing
    xs = [0.0, 100.0, 200.0, 300.0]
    rulings = [Ruling(0, y, 300, y) for y in (0, 40)]
    rulings += [Ruling(0, 87, 300, 87), Ruling(120, 80, 300, 80)]
    rulings += [Ruling(x, 0, x, 87) for x in xs]
    [g] = build_grids(_scan(rulings))
    assert g.n_rows == 2 and [round(y, 1) for y in g.row_edges] == [0, 40, 83.5]
    assert all(c.row_span == 1 and c.col_span == 1 for c in g.cells)
    # a PDF's lines are where they are drawn
    [g] = build_grids(PageLayout(number=1, width=1271, height=1793, kind="digital",
                                 rulings=rulings))
    assert g.n_rows == 3
    # a row line in two pieces inside the table is left as found (10737-0015: a cell's
    # crop reaching to their mean took in a piece of the line, read as a dash)
    inner = [r for r in rulings if r.top != 40] + [Ruling(0, 36, 150, 36),
                                                   Ruling(150, 42, 300, 42)]
    [g] = build_grids(_scan(inner))
    assert [round(y, 1) for y in g.row_edges] == [0, 36, 42, 83.5]


def test_a_dotted_line_ending_a_dots_gap_short_of_the_line_it_meets_is_of_the_table() -> None:
    # 10761-0004: the last row of table 3 alone on a page, its dotted lines broken;
    # the label's left line began 8 px below the top line, and the foot line was
    # lost under the label. The label cell and its row were cut off.
    rulings = [Ruling(0, 0, 600, 0), Ruling(170, 44, 600, 44), Ruling(0, 8, 0, 52)]
    rulings += [Ruling(x, 0, x, 44) for x in (400, 500, 600)]
    [g] = build_grids(_scan(rulings))
    assert [round(x) for x in g.col_edges] == [0, 400, 500, 600]
    assert (g.n_rows, g.n_cols) == (1, 3)


def test_a_row_line_lying_wholly_under_a_seal_is_a_stroke_of_the_seal() -> None:
    # 10809-0017 (clean, 300 dpi): a stroke the seal's suppression left, 288 px long
    # across two value cells under the seal, was taken for a row line; it cut a
    # printed 1 in two, read as a dash, and hid a printed break.
    xs = [0.0, 200.0, 350.0, 500.0, 650.0]
    ys = [0.0, 60.0, 120.0, 180.0]
    rulings = [*_box(xs, ys), Ruling(350, 150, 650, 150)]
    page = _scan(rulings)
    page.obscured = [(300.0, 20.0, 700.0, 190.0)]
    [g] = build_grids(page)
    assert g.row_edges == ys  # the row lines under the seal run on beyond it, and stay
    # the same short line off the seal is the table's
    page.obscured = [(300.0, 20.0, 700.0, 130.0)]
    [g] = build_grids(page)
    assert [round(y) for y in g.row_edges] == [0, 60, 120, 150, 180]
