"""Tolerant label matching (`extractors.template.labels`) and the role tests built on it."""

from __future__ import annotations

from extractors.layout import Grid, GridCell
from extractors.template.labels import has_word
from extractors.template.reviews import is_reviews


def test_one_misread_character_is_tolerated_in_long_words_only() -> None:
    assert has_word("行政诉讼未经复议", "行政诉讼")
    assert has_word("行政诉证未经复议", "行政诉讼")  # 讼 read as 证
    assert not has_word("行政诉证未经夏议", "未经复议直接起诉")
    assert not has_word("行诉证", "行政诉讼")
    assert not has_word("规草", "规章")  # two-character words must be exact
    assert not has_word("行政处罚", "行政复议诉讼")


def _grid(texts: list[str]) -> Grid:
    cells = [GridCell(row=0, col=i, row_span=1, col_span=1, page=1,
                      bbox=(i * 50.0, 0.0, i * 50.0 + 50, 30.0), text=t)
             for i, t in enumerate(texts)]
    return Grid(pages=[1], bbox=(0, 0, 50.0 * len(texts), 30), n_rows=1, n_cols=len(texts),
                cells=cells, col_edges=[i * 50.0 for i in range(len(texts) + 1)])


def test_the_reviews_table_is_known_through_ocr_errors_in_its_header() -> None:
    # As read from a blurred phone photo: 行政诉讼 -> 行政诉证, 复议后起诉 -> 复议后起讲.
    assert is_reviews(_grid(["行政复议", "行政诉证", "未经复议直接起诉", "复议后起讲"]))
    assert not is_reviews(_grid(["行政许可", "行政处罚", "行政强制"]))
