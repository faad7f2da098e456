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
