"""Cell text to numbers, with the zero marks and units of printed reports."""

from __future__ import annotations

import pytest

from extractors.values import parse_count


@pytest.mark.parametrize("text", ["", " ", "—", "-", "/", "无", "——", "／"])
def test_zero_marks(text: str) -> None:
    p = parse_count(text)
    assert (p.value, p.blank, p.ok) == (0, True, True)


@pytest.mark.parametrize(("text", "kw", "value"), [
    ("0", {}, 0), ("17", {}, 17), ("1,234", {}, 1234), ("１２", {}, 12),
    ("减4", {"signed": True}, -4), ("-4", {"signed": True}, -4), ("增3", {"signed": True}, 3),
    ("減6", {"signed": True}, -6),
    ("12.35", {"decimal": True}, 12.35), ("251000元", {"decimal": True, "unit_wan": True}, 25.1),
    ("3.5万元", {"decimal": True, "unit_wan": True}, 3.5),
])
def test_numbers(text: str, kw: dict[str, bool], value: float) -> None:
    assert parse_count(text, **kw).value == value


@pytest.mark.parametrize("text", ["abc", "1.5", "-4", "1 2x"])
def test_not_a_count(text: str) -> None:
    p = parse_count(text)
    assert p.value is None and not p.ok


@pytest.mark.parametrize(("text", "value"), [("268公", 268), ("i1", 1), ("章0", 0)])
def test_a_count_under_a_seal_is_read_past_a_character_of_its_lettering(
        text: str, value: int) -> None:
    from extractors.layout import GridCell
    from extractors.template.model import SEAL_RESIDUE_CONFIDENCE, CellValue

    # 10313-0028: a seal's 公 was read with the 268 under it; the cell was lost.
    cell = GridCell(row=0, col=0, row_span=1, col_span=1, bbox=(0, 0, 10, 10), page=2,
                    text=text, confidence=0.8, obscured=True)
    cv = CellValue.from_cell(cell, unchecked=True)
    assert cv.value == value and cv.raw == text
    assert cv.confidence == SEAL_RESIDUE_CONFIDENCE  # for an identity or a person to vouch
    # not where no seal is, nor two characters, nor a character inside the number
    for text2, obscured in ((text, False), ("公司1", True), ("2公8", True), ("公", True)):
        cell.text, cell.obscured = text2, obscured
        assert CellValue.from_cell(cell, unchecked=True).value is None, text2
    # nor in a table whose identities work an unreadable cell out: a doubtful count
    # there kept them from working out another (10301-0038)
    cell.text, cell.obscured = text, True
    assert CellValue.from_cell(cell).value is None
