"""Table 4 (administrative reviews and litigation) mapped from a scanned grid."""

from __future__ import annotations

from extractors.layout import Grid, GridCell
from extractors.template.reviews import map_reviews

GROUP = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _table(numbers: list[str]) -> Grid:
    rows = [["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9,
            GROUP + ["未经复议直接起诉"] + [""] * 4 + ["复议后起诉"] + [""] * 4,
            [""] * 5 + GROUP + GROUP,
            numbers]
    cells = [GridCell(row=r, col=c, row_span=1, col_span=1, page=3,
                      bbox=(c * 40.0, r * 30.0, c * 40.0 + 40, r * 30.0 + 30), text=t,
                      confidence=0.9, scanned=True)
             for r, texts in enumerate(rows) for c, t in enumerate(texts)]
    return Grid(pages=[3], bbox=(0, 0, 600, 120), n_rows=4, n_cols=15, cells=cells,
                col_edges=[40.0 * i for i in range(16)])


def test_the_row_of_numbers_is_found_with_one_misread_cell() -> None:
    numbers = ["1", "2", "。x", "0", "3", "0", "0", "0", "0", "0", "4", "0", "0", "1", "5"]
    out = map_reviews(_table(numbers))
    values = {p.rsplit(".", 2)[-2] + "." + p.rsplit(".", 1)[-1]: v.value
              for p, v in out.values.items()}
    assert values["administrative_review.upheld"] == 1
    assert values["administrative_review.other"] is None  # unreadable, and said so
    assert values["litigation_after_review.total"] == 5
    assert [f.code for f in out.findings] == ["unreadable_cell"]


def test_a_row_of_words_is_not_taken_for_numbers() -> None:
    out = map_reviews(_table(["甲", "乙", "丙"] + ["0"] * 12))
    assert all(v.value is None for v in out.values.values())
    assert [f.code for f in out.findings] == ["missing_row"]
