"""TEMPLATE.md §6 blank-cell conventions of table 3, as scans read them."""

from __future__ import annotations

from extractors.template import Mapping
from extractors.template.applications import _blank_conventions
from extractors.template.model import CellValue, TableMapping, unreadable
from schemas.paths import APPLICANT_COLUMNS, APPLICATION_ROWS


def _totals_only(speck: str) -> TableMapping:
    out = TableMapping()
    for i, (row, _label) in enumerate(APPLICATION_ROWS["2021"]):
        for col in APPLICANT_COLUMNS:
            if col == "total":
                v = i % 3  # some rows non-zero
                out.values[f"applications.{row}.{col}"] = CellValue(
                    v, str(v), 2, (0, 0, 1, 1), 0.99, "ocr")
            else:
                out.values[f"applications.{row}.{col}"] = CellValue(
                    0, "", 2, (0, 0, 1, 1), 1.0, "ocr", blank=True)
    if speck:  # a comma parses as a blank (0), a full stop as nothing
        out.values["applications.new_received.other"] = CellValue(
            0 if speck == "，" else None, speck, 2, (0, 0, 1, 1), 0.5, "ocr")
    return out


def _totals_only_with(cells: dict[str, CellValue]) -> TableMapping:
    """A totals-only table with `cells` read into it, its conventions applied."""
    out = _totals_only("")
    out.values.update(cells)
    _blank_conventions(out, "2021")
    return out


def _zeros_printed_as_wu(out: TableMapping) -> None:
    """The 总计 column prints its zeros, as 无."""
    for row, _label in APPLICATION_ROWS["2021"]:
        cv = out.values[f"applications.{row}.total"]
        if cv.value == 0:
            cv.raw = "无"


def test_a_speck_read_as_a_comma_does_not_hide_the_totals_only_convention() -> None:
    for speck in ("", "，", "."):
        out = _totals_only(speck)
        _blank_conventions(out, "2021")
        assert [f.code for f in out.findings] == ["totals_only"], speck
        assert out.values["applications.new_received.natural_person"].value is None


def test_a_doubtful_digit_does_not_hide_the_convention_but_a_sure_one_does() -> None:
    out = _totals_only("")
    out.values["applications.new_received.other"] = CellValue(
        7, "7", 2, (0, 0, 1, 1), 0.34, "ocr")  # what a seal's residue reads as
    _blank_conventions(out, "2021")
    assert [f.code for f in out.findings] == ["totals_only"]
    assert out.values["applications.new_received.other"].value is None


def test_one_doubtful_digit_among_many_blanks_does_not_hide_it_but_several_do() -> None:
    out = _totals_only_with({"applications.new_received.other": CellValue(
        2, "2", 2, (0, 0, 1, 1), 0.7, "ocr")})
    assert [f.code for f in out.findings] == ["totals_only"]
    out = _totals_only("")
    for row in ("new_received", "carried_over", "results.granted", "results.total",
                "carried_forward", "results.partially_granted", "results.other.all",
                "results.unavailable.not_held", "results.withheld.state_secret"):
        out.values[f"applications.{row}.other"] = CellValue(2, "2", 2, (0, 0, 1, 1), 0.7, "ocr")
    _blank_conventions(out, "2021")
    assert "totals_only" not in [f.code for f in out.findings]


def test_a_digit_in_the_applicant_columns_is_not_a_speck() -> None:
    out = _totals_only("")
    out.values["applications.new_received.other"] = CellValue(
        3, "3", 2, (0, 0, 1, 1), 0.99, "ocr")
    _blank_conventions(out, "2021")
    assert "totals_only" not in [f.code for f in out.findings]
    assert out.values["applications.new_received.natural_person"].value == 0


def test_a_label_cell_whose_row_lines_were_lost_is_read_row_by_row() -> None:
    from extractors.layout import Grid, GridCell, Word
    from extractors.template.applications import _row_label

    words = [Word("(一)予以公开", (10, 105, 90, 115), 0.9, source="ocr"),
             Word("(二)部分公开", (10, 125, 90, 135), 0.9, source="ocr")]
    label = GridCell(row=0, col=0, row_span=2, col_span=1, bbox=(0, 100, 100, 140), page=1,
                     words=words, text="(一)予以公开(二)部分公开", scanned=True)
    data = [GridCell(row=r, col=1, row_span=1, col_span=1, page=1, scanned=True,
                     bbox=(100, 100 + 20 * r, 150, 120 + 20 * r), text="0") for r in (0, 1)]
    grid = Grid(pages=[1], bbox=(0, 100, 150, 140), n_rows=2, n_cols=2, cells=[label, *data],
                col_edges=[0, 100, 150])
    assert [_row_label(grid, r, 1) for r in (0, 1)] == ["(一)予以公开", "(二)部分公开"]
    label.scanned = False  # a PDF's tall label cell is one label, read on its first row
    assert [_row_label(grid, r, 1) for r in (0, 1)] == ["(一)予以公开(二)部分公开", None]


def test_a_blank_total_in_a_totals_only_table_that_prints_its_zeros_is_not_a_zero() -> None:
    out = _totals_only("")
    _zeros_printed_as_wu(out)
    out.values["applications.results.granted.total"] = CellValue(
        0, "", 2, (0, 0, 1, 1), 1.0, "ocr", blank=True)  # ... and this one left blank
    _blank_conventions(out, "2021")
    assert [f.code for f in out.findings] == ["totals_only", "blank_total"]
    assert out.values["applications.results.granted.total"].value is None
    assert out.values["applications.results.total.total"].value is not None


def _blank_zeros_with_totals(totals: dict[str, int]) -> TableMapping:
    """Table 3 printing every zero as a blank, 总计 too, but for `totals`."""
    out = TableMapping()
    for row, _label in APPLICATION_ROWS["2021"]:
        for col in APPLICANT_COLUMNS:
            n = totals.get(row, 0) if col == "total" else 0
            out.values[f"applications.{row}.{col}"] = (
                CellValue(n, str(n), 2, (0, 0, 1, 1), 0.99, "ocr") if n else
                CellValue(0, "", 2, (0, 0, 1, 1), 1.0, "ocr", blank=True))
    _blank_conventions(out, "2021")
    return out


def test_totals_off_an_all_blank_table_that_do_not_add_up_are_misprints_not_the_convention(
) -> None:
    # 10833-0033: a township's all-zero table, zeros blank, two totals misprinted
    out = _blank_zeros_with_totals({"carried_over": 10, "results.granted": 1})
    assert "totals_only" not in [f.code for f in out.findings]
    assert out.values["applications.carried_over.natural_person"].value == 0
    # totals that add up among themselves are the totals-only convention
    out = _blank_zeros_with_totals({"new_received": 3, "results.granted": 3,
                                    "results.total": 3})
    assert [f.code for f in out.findings] == ["totals_only"]
    assert out.values["applications.new_received.natural_person"].value is None


def _full_table() -> TableMapping:
    """Every cell of table 3 read with confidence, zeros printed as 0, one row 0 2 0 …"""
    out = TableMapping()
    for row, _label in APPLICATION_ROWS["2021"]:
        for col in APPLICANT_COLUMNS:
            out.values[f"applications.{row}.{col}"] = CellValue(
                0, "0", 2, (0, 0, 1, 1), 0.99, "ocr")
    return out


def test_a_blank_total_beside_a_doubtful_digit_is_left_to_the_identities() -> None:
    # A faint dash lost from the 总计 cell, and a "1" that may be a misread dash
    # beside it: not the publisher's blank, but a doubtful 0 the identities judge.
    row = "applications.results.unavailable.requires_creation"
    out = _full_table()
    out.values[f"{row}.total"] = CellValue(0, "", 3, (0, 0, 1, 1), 1.0, "ocr", blank=True)
    out.values[f"{row}.other"] = CellValue(1, "1", 3, (0, 0, 1, 1), 0.6, "ocr")
    _blank_conventions(out, "2021")
    assert out.values[f"{row}.total"].value == 0 and not out.findings
    out.values[f"{row}.other"] = CellValue(1, "1", 3, (0, 0, 1, 1), 0.99, "ocr")  # sure: blank
    _blank_conventions(out, "2021")
    assert out.values[f"{row}.total"].value is None
    assert [f.code for f in out.findings] == ["blank_total"]


def test_a_blank_total_beside_a_digit_under_a_seal_is_judged_by_the_total_column() -> None:
    # 10737-0033 (clean, 300 dpi): a 总计 left blank beside a 1 that a seal made
    # doubtful. The 总计 column adds up with the row's 1 there, not with 0: not filled in.
    row = "applications.results.unavailable.requires_creation"
    out = _full_table()
    out.values[f"{row}.total"] = CellValue(0, "", 3, (0, 0, 1, 1), 1.0, "ocr", blank=True)
    out.values[f"{row}.natural_person"] = CellValue(1, "1", 3, (0, 0, 1, 1), 0.8, "ocr",
                                                    obscured=True)
    for col in ("natural_person", "total"):
        out.values[f"applications.results.total.{col}"] = CellValue(
            1, "1", 3, (0, 0, 1, 1), 0.99, "ocr")
    _blank_conventions(out, "2021")
    assert out.values[f"{row}.total"].value is None
    assert [f.code for f in out.findings] == ["blank_total"]


def test_a_doubtful_blank_total_is_not_the_publishers_blank() -> None:
    row = "applications.new_received"
    for blank in (CellValue(0, "", 2, (0, 0, 1, 1), 0.5, "ocr", blank=True),  # ink seen
                  CellValue(0, "", 2, (0, 0, 1, 1), 0.8, "ocr", blank=True, obscured=True)):
        out = _full_table()
        out.values[f"{row}.total"] = blank
        out.values[f"{row}.natural_person"] = CellValue(2, "2", 2, (0, 0, 1, 1), 0.99, "ocr")
        _blank_conventions(out, "2021")
        assert out.values[f"{row}.total"].value == 0 and not out.findings


def test_what_a_seal_leaves_over_blank_columns_does_not_hide_the_totals_only_convention() -> None:
    out = _totals_only("")
    rows = [r for r, _ in APPLICATION_ROWS["2021"]][10:16]
    for r in rows:  # a seal over six rows and three columns: its strokes read as digits
        for c in ("social_welfare_organization", "legal_service_institution", "other"):
            out.values[f"applications.{r}.{c}"] = CellValue(
                4, "4", 2, (0, 0, 1, 1), 0.8, "ocr", obscured=True)
    _blank_conventions(out, "2021")
    assert [f.code for f in out.findings] == ["totals_only"]
    assert out.values[f"applications.{rows[0]}.other"].value is None


def test_a_doubtful_blank_in_a_totals_only_column_that_prints_zeros_stays_a_doubtful_0() -> None:
    out = _totals_only("")
    _zeros_printed_as_wu(out)
    faint = "applications.results.granted.total"
    out.values[faint] = CellValue(0, "", 2, (0, 0, 1, 1), 0.5, "ocr", blank=True)  # ink seen
    _blank_conventions(out, "2021")
    assert [f.code for f in out.findings] == ["totals_only"]
    assert out.values[faint].value == 0


def test_a_speck_read_as_an_unsure_0_does_not_hide_the_totals_only_convention() -> None:
    out = _totals_only_with({"applications.results.granted.other": CellValue(
        0, "0", 2, (0, 0, 1, 1), 0.92, "ocr")})
    assert [f.code for f in out.findings] == ["totals_only"]
    sure = _totals_only_with({  # a sure 3: the breakdown was printed
        "applications.results.granted.other": CellValue(3, "3", 2, (0, 0, 1, 1), 0.99, "ocr")})
    assert "totals_only" not in [f.code for f in sure.findings]


def test_zeros_printed_as_slashes_read_doubtfully_are_no_blank_columns() -> None:
    # 10375-0025: an all-zero table 3 printing its zeros as "/" (read at 0.5), two
    # totals misprinted 2 and 1. Taken for totals only, its 150 zeros became null.
    out = _totals_only("")
    for p in [p for p in out.values if not p.endswith(".total")]:
        out.values[p] = CellValue(0, "/", 2, (0, 0, 1, 1), 0.5, "ocr")
    _blank_conventions(out, "2021")
    assert "totals_only" not in [f.code for f in out.findings]
    assert out.values["applications.new_received.natural_person"].value == 0


def _blank_zero_table() -> TableMapping:
    """A table that prints every zero as a blank: one application, granted."""
    out = TableMapping()
    for row, _label in APPLICATION_ROWS["2021"]:
        for col in APPLICANT_COLUMNS:
            out.values[f"applications.{row}.{col}"] = CellValue(
                0, "", 2, (0, 0, 1, 1), 1.0, "ocr", blank=True)
    for row in ("new_received", "results.granted", "results.total"):
        for col in ("natural_person", "total"):
            out.values[f"applications.{row}.{col}"] = CellValue(
                1, "1", 2, (0, 0, 1, 1), 0.99, "ocr")
    return out


def test_a_blank_total_the_total_column_adds_up_without_was_not_filled_in() -> None:
    # Zeros printed as blanks: new_received's 总计 left blank beside its 1. The 总计
    # column balances (new_received + carried_over = results.total + carried_forward)
    # with 1 there, not with 0: the publisher did not fill it in.
    out = _blank_zero_table()
    row = "applications.new_received"
    out.values[f"{row}.total"] = CellValue(0, "", 2, (0, 0, 1, 1), 1.0, "ocr", blank=True)
    _blank_conventions(out, "2021")
    assert out.values[f"{row}.total"].value is None
    assert [f.code for f in out.findings] == ["blank_total"]


def test_a_blank_total_the_total_column_adds_up_with_is_a_printed_zero() -> None:
    # Zeros printed as blanks, and a printed inconsistency: a 2 in a row whose 总计 is
    # a (blank) 0. The 总计 column adds up with 0 there: a zero, and the row breaks.
    out = _blank_zero_table()
    row = "applications.results.withheld.state_secret"
    out.values[f"{row}.other"] = CellValue(2, "2", 2, (0, 0, 1, 1), 0.99, "ocr")
    _blank_conventions(out, "2021")
    assert out.values[f"{row}.total"].value == 0 and not out.findings


def test_a_doubtful_0_under_a_seal_does_not_make_a_blank_zero_table_print_its_zeros(
) -> None:
    # 10399-0029: what a seal left of a blank read '0' at 0.35; taken for a printed 0,
    # the table's blank 总计 beside a 10 became "not filled in", and the row's printed
    # break went unnamed.
    out = _blank_zero_table()
    row = "applications.results.withheld.state_secret"
    out.values[f"{row}.other"] = CellValue(2, "2", 2, (0, 0, 1, 1), 0.99, "ocr")
    out.values["applications.results.withheld.internal_affairs.other"] = CellValue(
        0, "0", 2, (0, 0, 1, 1), 0.35, "ocr", obscured=True)
    _blank_conventions(out, "2021")
    assert out.values[f"{row}.total"].value == 0 and not out.findings
    # a 0 printed clearly is the table's own: the blank total beside the 2 is unfilled
    out.values["applications.results.withheld.internal_affairs.other"] = CellValue(
        0, "0", 2, (0, 0, 1, 1), 0.99, "ocr")
    out.values[f"{row}.total"] = CellValue(0, "", 2, (0, 0, 1, 1), 1.0, "ocr", blank=True)
    _blank_conventions(out, "2021")
    assert out.values[f"{row}.total"].value is None
    assert [f.code for f in out.findings] == ["blank_total"]


def _mapping(raws: dict[str, str], source: str = "ocr", rest: str = "无") -> Mapping:
    from extractors.values import parse_count

    out = Mapping(format="2021")
    for i, (row, _label) in enumerate(APPLICATION_ROWS["2021"]):
        for col in APPLICANT_COLUMNS:
            path = f"applications.{row}.{col}"
            raw = raws.get(path, rest)
            parsed = parse_count(raw)
            out.values[path] = CellValue(parsed.value, raw, 2, (0, 0, 1, float(i)),
                                         0.9 if parsed.ok else 0.0, source, blank=parsed.blank)
            if not parsed.ok:
                out.findings.append(unreadable(path, out.values[path]))
    return out


def test_zeros_printed_as_wu_and_read_as_lookalikes_are_zeros_to_confirm() -> None:
    from extractors.template import NONE_CONFIDENCE, _zeros_printed_as_none

    # 10251-0007, a heavy 150-dpi photo of a report printing its zeros as 无: read as
    # 光 and 元 mostly, at times as a letter or another character
    paths = [f"applications.{row}.natural_person" for row, _ in APPLICATION_ROWS["2021"]]
    misread = dict(zip(paths, ["光", "元", "光", "天", "元", "L", "老", "e", "光201", "6", ".",
                               "元."], strict=False))
    out = _mapping(misread)
    _zeros_printed_as_none(out)
    for path in paths[:8]:
        cv = out.values[path]
        assert (cv.value, cv.confidence, cv.raw) == (0, NONE_CONFIDENCE, misread[path]), path
    # not one character, a digit, punctuation: as they were
    assert [out.values[p].value for p in paths[8:12]] == [None, 6, None, None]
    [note] = [f for f in out.findings if f.code == "none_marks"]
    assert note.paths == sorted(paths[:8])
    unread = {p for f in out.findings if f.code == "unreadable_cell" for p in f.paths}
    assert unread == {paths[8], paths[10], paths[11]}


def test_a_stray_character_is_no_wu_where_few_cells_read_as_one() -> None:
    from extractors.template import _zeros_printed_as_none

    paths = [f"applications.{row}.other" for row, _ in APPLICATION_ROWS["2021"]]
    out = _mapping(dict.fromkeys(paths[:4], "光") | {paths[4]: "L"}, rest="0")
    _zeros_printed_as_none(out)
    assert all(out.values[p].value is None for p in paths[:5])
    assert not any(f.code == "none_marks" for f in out.findings)
    # nor in a born-digital report (its text is the PDF's own)
    out = _mapping(dict.fromkeys(paths[:6], "光") | {paths[6]: "L"}, source="pdf_text", rest="0")
    _zeros_printed_as_none(out)
    assert out.values[paths[6]].value is None


def test_table_2_read_from_a_black_and_white_scan_is_for_a_person_to_confirm() -> None:
    from extractors.template import BILEVEL_TABLE_2_CONFIDENCE, doubt_table_2_on_bilevel
    from extractors.validate import LOW_CONFIDENCE, validate

    # 10263-0004, binarised at 200 dpi: 14022 read 11022 with full confidence, the 4
    # left as its stem. No identity checks table 2, so the document passed as valid.
    out = _mapping({}, rest="0")
    table_2 = {"active_disclosure.administrative_licensing": ("11022", 11022, 1),
               "active_disclosure.administrative_punishment": ("0", 0, 1),
               "active_disclosure.administrative_coercion": ("7", 7, 2)}
    for path, (raw, value, page) in table_2.items():
        out.values[path] = CellValue(value, raw, page, (0, 0, 1, 1), 1.0, "ocr")
    doubt_table_2_on_bilevel(out, {1})
    assert BILEVEL_TABLE_2_CONFIDENCE < LOW_CONFIDENCE
    assert out.values["active_disclosure.administrative_licensing"].confidence \
        == BILEVEL_TABLE_2_CONFIDENCE
    # a 0, and a number from a page in grey, keep theirs
    assert out.values["active_disclosure.administrative_punishment"].confidence == 1.0
    assert out.values["active_disclosure.administrative_coercion"].confidence == 1.0
    [note] = [f for f in out.findings if f.code == "bilevel_unchecked"]
    assert note.paths == ["active_disclosure.administrative_licensing"]
    findings, _ = validate(out.values, "2021")
    assert any(f.code == "low_confidence"
               and f.paths == ["active_disclosure.administrative_licensing"] for f in findings)
    # table 3 is left to its identities
    assert all(cv.confidence == 0.9 for p, cv in out.values.items()
               if p.startswith("applications."))
