"""Table 4 (administrative reviews and litigation) mapped from a scanned grid."""

from __future__ import annotations

from extractors.layout import Grid
from extractors.template.reviews import map_reviews
from tests.grids import text_grid

GROUP = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _table(numbers: list[str]) -> Grid:
    rows = [["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9,
            GROUP + ["未经复议直接起诉"] + [""] * 4 + ["复议后起诉"] + [""] * 4,
            [""] * 5 + GROUP + GROUP,
            numbers]
    return text_grid(rows, width=40.0, page=3)


def test_the_row_of_numbers_is_found_with_one_misread_cell() -> None:
    numbers = ["1", "2", "。x", "0", "3", "0", "0", "0", "0", "0", "4", "0", "0", "1", "5"]
    out = map_reviews(_table(numbers))
    values = {p.rsplit(".", 2)[-2] + "." + p.rsplit(".", 1)[-1]: v.value
              for p, v in out.values.items()}
    assert values["administrative_review.upheld"] == 1
    assert values["administrative_review.other"] is None  # unreadable, and said so
    assert values["litigation_after_review.total"] == 5
    assert [f.code for f in out.findings] == ["unreadable_cell"]


def test_the_row_of_numbers_is_found_with_a_third_of_its_readings_misread() -> None:
    # A blurred 150-dpi photo whose blank cells print its zeros: of the ten cells
    # holding a number, three read as letters.
    numbers = ["", "a", "", "", "3", "1", "", "2", "3", "6", "", "2", "家", "1", "S"]
    out = map_reviews(_table(numbers))
    assert out.values["reviews_and_litigation.litigation_direct.total"].value == 6
    assert out.values["reviews_and_litigation.litigation_after_review.total"].value is None
    assert [f.code for f in out.findings] == ["unreadable_cell"] * 3


def test_a_row_of_words_is_not_taken_for_numbers() -> None:
    # more words than half as many numbers
    out = map_reviews(_table(["甲", "乙", "丙", "丁", "戊"] + ["0"] * 9 + [""]))
    assert all(v.value is None for v in out.values.values())
    assert [f.code for f in out.findings] == ["missing_row"]


def test_table_4_is_known_by_its_litigation_headings_when_its_first_heading_is_lost() -> None:
    from extractors.template.reviews import is_reviews

    table = _table(["0"] * 15)
    assert is_reviews(table)
    table.cells[0].text = ""  # 行政复议 blurred away
    assert is_reviews(table)
    lone = text_grid([["行政诉讼", "1", "2"], ["其他", "3", "4"]], width=40.0, page=3)
    assert not is_reviews(lone)  # one litigation word is not table 4


def _with_stray_column(numbers: list[str], at: int) -> Grid:
    """The table with a stray column line before column `at` (a tall character of
    未经复议直接起诉 read as a ruling at 300 dpi): the heading over the split keeps
    one cell over both columns, the row of numbers is split in two."""
    base = _table(numbers)
    rows: list[list[str]] = [[] for _ in range(base.n_rows)]
    for c in sorted(base.cells, key=lambda c: c.col):
        rows[c.row].append(c.text)
    split = [[*r[:at], "", *r[at:]] for r in rows]
    grid = text_grid(split, width=40.0, page=3)
    for row in range(base.n_rows - 1):
        left = next(c for c in grid.cells if c.row == row and c.col == at - 1)
        grid.cells.remove(next(c for c in grid.cells if c.row == row and c.col == at))
        left.col_span = 2
    return grid


def test_a_stray_column_line_does_not_shift_the_numbers() -> None:
    # doc-10089-0009 (clean 300 dpi): a 16th or 19th column was made by strokes of
    # the headings, and the last 15 columns were taken: 9 of 15 numbers wrong.
    numbers = ["1", "—", "2", "1", "4", "—", "—", "2", "—", "2", "3", "—", "3", "—", "6"]
    out = map_reviews(_with_stray_column(numbers, 6))
    got = [v.value for v in out.values.values()]
    assert got == [1, 0, 2, 1, 4, 0, 0, 2, 0, 2, 3, 0, 3, 0, 6]
    assert not out.findings


def test_a_stray_column_without_the_fifteen_headings_keeps_the_last_fifteen_columns() -> None:
    numbers = [str(i) for i in range(15)]
    grid = _with_stray_column(numbers, 6)
    for c in grid.cells:
        if c.text == "尚未审结":
            c.text = "尚丰审结"  # one heading misread: the headings cannot place the numbers
    out = map_reviews(grid)
    assert [v.value for v in out.values.values()][-3:] == [12, 13, 14]


def test_a_row_printing_its_zeros_as_none_is_found_with_half_of_them_misread() -> None:
    # A blurred 150-dpi photo of a report printing its zeros 无 (10313-0006): seven
    # of its eleven 无 read 光 or 元. The row was lost, and 15 fields with it.
    numbers = ["光", "光", "无", "无", "光", "1", "光", "元",
               "1", "2", "无", "光", "无", "光", "光"]
    out = map_reviews(_table(numbers))
    values = {p.split(".", 1)[1]: v.value for p, v in out.values.items()}
    assert values["litigation_direct.upheld"] == 1
    assert values["litigation_direct.total"] == 2
    assert values["administrative_review.other"] == 0  # 无
    # what the lookalikes are is for the report-wide test of 无 (none_marks)
    assert values["administrative_review.upheld"] is None
    assert {f.code for f in out.findings} == {"unreadable_cell"}
    # lookalikes alone are no row of numbers
    out = map_reviews(_table(["光"] * 15))
    assert [f.code for f in out.findings] == ["missing_row"]


def test_a_blank_row_of_a_report_printing_its_zeros_as_blanks_is_its_row_of_numbers() -> None:
    # 10423-0039: every figure of table 4 a 0 printed blank, one speck read 一.
    out = map_reviews(_table([""] * 14 + ["一"]))
    values = {p.split(".", 1)[1]: v.value for p, v in out.values.items()}
    assert values["administrative_review.upheld"] == 0
    assert values["litigation_after_review.pending"] == 0
    assert values["litigation_after_review.total"] is None  # the speck: unreadable
    assert [f.code for f in out.findings] == ["unreadable_cell"]
    # three specks are no blank row
    out = map_reviews(_table([""] * 12 + ["一", "、", "一"]))
    assert [f.code for f in out.findings] == ["missing_row"]
    # nor is a sliver under the headings (a doubled line), where the row was lost
    grid = _table([""] * 14 + ["一"])
    for c in grid.cells:
        if c.row == 3:
            c.bbox = (c.bbox[0], c.bbox[1], c.bbox[2], c.bbox[1] + 6)
    out = map_reviews(grid)
    assert [f.code for f in out.findings] == ["missing_row"]


def test_table_4_is_known_by_its_header_cells_when_every_heading_is_misread() -> None:
    from extractors.layout import GridCell
    from extractors.template.reviews import is_reviews

    # 10375-0028 (200 dpi, black and white, printing 0 as —): every heading misread,
    # its 总计 read 总江 and 2; found 4 rows of 15 columns, table 4 was not known.
    misread = ["防果燃辣", "结果所正", "其他淳襄", "尚貞15", "总江"]
    grid = text_grid([[""] * 15, [""] * 15, misread + misread + misread,
                      ["—", "0"] + ["—"] * 13], width=40.0, page=4)
    grid.cells = [c for c in grid.cells if c.row >= 2]

    def merged(row: int, col: int, span: int, text: str) -> GridCell:
        return GridCell(row=row, col=col, row_span=1, col_span=span, page=4, text=text,
                        bbox=(40.0 * col, 30.0 * row, 40.0 * (col + span), 30.0 * row + 30))

    grid.cells += [merged(0, 0, 5, "行技是："), merged(0, 5, 10, "行A"),
                   merged(1, 5, 5, "表性是注直提好"), merged(1, 10, 5, "雙议仔起活")]
    assert is_reviews(grid)
    out = map_reviews(grid)
    assert out.values["reviews_and_litigation.administrative_review.corrected"].value == 0
    # cells of another width beside each other make no table 4
    for c in grid.cells:
        if c.col_span == 10:
            c.col_span = 9
        elif c.col_span == 5:
            c.col_span = 4
    assert not is_reviews(grid)


def test_a_row_of_numbers_that_lost_its_column_lines_is_split_by_where_they_stand() -> None:
    # 10761-0004, a black-and-white 150-dpi scan: the data row's dotted column lines
    # were lost but for six, its fifteen numbers in seven cells ("6 8 5 2" one word)
    from extractors.layout import GridCell, Word

    table = _table(["0"] * 15)
    table.cells = [c for c in table.cells if c.row < 3]
    spans = [(0, 4, "6852"), (4, 1, "21"), (5, 1, "0"), (6, 3, "200"), (9, 2, "27"),
             (11, 3, "620"), (14, 1, "15")]
    for col, span, text in spans:
        x0, x1 = 40.0 * col, 40.0 * (col + span)
        word = Word(text, (x0 + 10, 95, x1 - 10, 105), 0.95, source="ocr")
        table.cells.append(GridCell(row=3, col=col, row_span=1, col_span=span, page=3,
                                    bbox=(x0, 90, x1, 120), words=[word], text=text,
                                    confidence=0.95, scanned=True))
    out = map_reviews(table)
    got = [out.values[f"reviews_and_litigation.{g}.{c}"].value
           for g in ("administrative_review", "litigation_direct", "litigation_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]
    assert got == [6, 8, 5, 2, 21, 0, 2, 0, 0, 2, 7, 6, 2, 0, 15]
    # split by a guess: each split number is doubtful, for the identities to vouch
    assert out.values["reviews_and_litigation.administrative_review.upheld"].confidence <= 0.6


def test_a_row_printing_its_zeros_as_none_is_found_with_none_of_them_read_so() -> None:
    # 10785-0006, a heavy 150-dpi photo: of ten 无 not one read 无 (光 元 先 北 家), beside
    # five numbers read surely. The row was lost, and 15 fields with it.
    numbers = ["北", "2", "光", "元", "家", "元", "光", "元", "3", "3", "光", "3", "3", "先", "6"]
    out = map_reviews(_table(numbers))
    values = {p.split(".", 1)[1]: v.value for p, v in out.values.items()}
    assert values["administrative_review.corrected"] == 2
    assert values["litigation_after_review.total"] == 6
    assert "missing_row" not in {f.code for f in out.findings}
    # lookalikes of 无 beside no number are still no row of numbers
    out = map_reviews(_table(["光", "元", "先"] + ["家"] * 12))
    assert [f.code for f in out.findings] == ["missing_row"]
