"""Rows of table 3 whose labels are misread past matching, known by their place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.layout import Grid
from extractors.options import ExtractOptions
from extractors.pipeline import Work, find_tables, load_document, read_pages, stitch_tables
from extractors.template import map_tables

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "digital"


def _tables(name: str) -> tuple[Work, dict[str, object]]:
    pdf = SAMPLES / f"{name}.pdf"
    w = Work(source=pdf.read_bytes(), filename=pdf.name, options=ExtractOptions())
    load_document(w)
    read_pages(w)
    find_tables(w)
    stitch_tables(w)
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text("utf-8"))
    return w, truth["numbers"]


def _garble(w: Work, labels: tuple[str, ...]) -> list[int]:
    """Overwrite the label cells holding `labels` as a blurred photo reads them."""
    rows = []
    for g in w.tables:
        for c in g.cells:
            if any(lab in c.text for lab in labels):
                c.text = "小以机天确认" if len(c.text) > 4 else "行减处费"
                rows.append(c.row)
    return rows


@pytest.mark.parametrize("name", ["plain-2021-county-2022", "plain-2019-bureau-2019"])
def test_misread_labels_between_known_rows_take_their_place(name: str) -> None:
    w, numbers = _tables(name)
    assert len(_garble(w, ("予以公开", "重复申请", "总计"))) >= 3
    mapping = map_tables(w.tables)
    for path in ("applications.results.granted.natural_person",
                 "applications.results.not_processed.duplicate.total",
                 "applications.results.total.other"):
        assert mapping.values[path].value == numbers[path], path
    placed = [f for f in mapping.findings if f.code == "row_by_position"]
    assert len(placed) == 3 and all(f.severity == "info" for f in placed)


def test_a_lost_row_leaves_its_neighbours_unplaced() -> None:
    # Two labels unreadable between the same known rows, but one of their rows gone:
    # the count no longer matches the template, so neither is guessed.
    w, _numbers = _tables("plain-2021-county-2022")
    grid = next(g for g in w.tables if any("重复申请" in c.text for c in g.cells))
    dup = next(c.row for c in grid.cells if "重复申请" in c.text)
    _garble(w, ("重复申请", "信访举报"))
    grid.cells = [c for c in grid.cells if c.row != dup]
    mapping = map_tables(w.tables)
    assert mapping.values["applications.results.not_processed.duplicate.total"].value is None
    assert mapping.values[
        "applications.results.not_processed.petition_or_complaint.total"].value is None
    assert not [f for f in mapping.findings if f.code == "row_by_position"]


def test_a_row_cut_from_the_one_above_by_a_stray_line_is_no_row_of_numbers() -> None:
    # A stray line through a scanned heading makes a row of the piece below it
    # ("信息"), whose number cells are the row above's: matched by that word to
    # 属于四类过程性信息, it took the row above's numbers and hid the real one.
    import dataclasses

    w, numbers = _tables("plain-2021-large-2023")
    grid = next(g for g in w.tables if any("过程性信息" in c.text for c in g.cells))
    above = next(c for c in grid.cells if "内部事务" in c.text)
    r = above.row
    cells = []
    for c in grid.cells:
        if c.row > r:
            c = dataclasses.replace(c, row=c.row + 1)
        elif c.row + c.row_span - 1 >= r and c is not above:
            c = dataclasses.replace(c, row_span=c.row_span + 1)  # numbers, heading
        cells.append(c)
    cells.append(dataclasses.replace(above, row=r + 1, text="信息", words=[]))
    grid.cells, grid.n_rows = cells, grid.n_rows + 1
    mapping = map_tables(w.tables)
    for row in ("internal_affairs", "process_information"):
        for col in ("natural_person", "total"):
            path = f"applications.results.withheld.{row}.{col}"
            assert mapping.values[path].value == numbers[path], path


def test_a_first_row_label_misread_past_its_anchor_still_starts_the_table() -> None:
    # A 150-dpi heavy photo read 本年新收政府信息公开申请数量 as 本年的收政将信息公许申请
    # (0.69 alike, under the anchor's 0.75): the whole of table 3 was dropped, 164
    # fields of one document. It is nearer that row's label than any other row's.
    w, numbers = _tables("plain-2021-county-2022")
    grid = next(g for g in w.tables if any("新收" in c.text for c in g.cells))
    first = next(c for c in grid.cells if "新收" in c.text)
    first.text = "一、本年的收政将信息公许申请"
    # a title row above the header, alike too, holds no numbers: no anchor
    top = min(c.row for c in grid.cells)
    next(c for c in grid.cells if c.row == top).text = "收到和处理政府信息公开申请情况"
    mapping = map_tables(w.tables)
    assert not [f for f in mapping.findings if f.code == "table_unrecognised"]
    for path in ("applications.new_received.natural_person", "applications.results.total.total",
                 "applications.carried_forward.total"):
        assert mapping.values[path].value == numbers[path], path


def test_a_first_row_label_misread_past_any_likeness_is_the_row_above_the_second() -> None:
    # 10375-0022, a 150-dpi heavy photo: 一奉年衡收战将信息会开申通敬费 (0.43 alike) lost
    # the whole of table 3, 176 fields. The second row, 上年结转…, read well enough
    # (二上年结独政确信息公开申诵数资): the first is the row of numbers right above it.
    w, numbers = _tables("plain-2021-county-2022")
    grid = next(g for g in w.tables if any("新收" in c.text for c in g.cells))
    next(c for c in grid.cells if "新收" in c.text).text = "一奉年衡收战将信息会开申通敬费"
    next(c for c in grid.cells if "结转" in c.text).text = "二上年结独政确信息公开申诵数资"
    mapping = map_tables(w.tables)
    assert not [f for f in mapping.findings if f.code == "table_unrecognised"]
    for path in ("applications.new_received.natural_person", "applications.carried_over.total",
                 "applications.results.total.total", "applications.carried_forward.total"):
        assert mapping.values[path].value == numbers[path], path


def _split_column(grid: Grid, heading: str) -> None:
    """A stray column line inside the column headed `heading`: it becomes two."""
    j = next(c for c in grid.cells if c.text == heading).col
    for c in grid.cells:
        if c.col > j:
            c.col += 1
        elif c.col + c.col_span - 1 >= j:
            c.col_span += 1
    grid.n_cols += 1


def test_a_column_heading_split_by_a_stray_line_still_names_its_column() -> None:
    # A seal's stroke on a later page of a long table 3 added a column line inside
    # 法律服务机构: its heading spanned two grid columns and was passed over, the
    # columns were taken by position (the seven rightmost), and the natural persons'
    # column, the only one with numbers, was lost as blank (152 fields of 10077-0028).
    w, numbers = _tables("plain-2021-county-2022")
    grid = next(g for g in w.tables if any("新收" in c.text for c in g.cells))
    _split_column(grid, "法律服务机构")
    mapping = map_tables(w.tables)
    assert not [f for f in mapping.findings if f.code == "totals_only"]
    for path in ("applications.new_received.natural_person", "applications.results.total.other",
                 "applications.carried_forward.legal_service_institution",
                 "applications.results.total.total"):
        assert mapping.values[path].value == numbers[path], path


def test_headings_misread_beside_a_stray_column_line_still_name_their_columns() -> None:
    # 10251-0022, a heavy 150-dpi photo: two headings read past matching (商业企业 as
    # 整业, 科研机构 as 8) and a stray line inside 法律服务机构 adding a grid column. The
    # columns were taken by position, the seven rightmost, one off: 31 natural persons
    # read as the 6 of commercial enterprises, and 24 fields wrong.
    w, numbers = _tables("plain-2021-county-2022")
    grid = next(g for g in w.tables if any("新收" in c.text for c in g.cells))
    for c in grid.cells:
        c.text = {"商业企业": "整业", "科研机构": "8"}.get(c.text, c.text)
    _split_column(grid, "法律服务机构")
    mapping = map_tables(w.tables)
    for path in ("applications.new_received.natural_person",
                 "applications.new_received.commercial_enterprise",
                 "applications.results.granted.research_institution",
                 "applications.results.total.legal_service_institution",
                 "applications.results.total.other", "applications.results.total.total"):
        assert mapping.values[path].value == numbers[path], path
