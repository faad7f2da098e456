"""Table 4, reviews and litigation: one row of 15 numbers under a 3-level header."""

from __future__ import annotations

from statistics import median_high

from extractors.layout import Grid, GridCell
from extractors.template.labels import has_word, squash
from extractors.template.model import NONE_READINGS, CellValue, TableMapping, unreadable
from extractors.values import parse_count
from schemas import Finding
from schemas.paths import REVIEW_COLUMNS, REVIEW_GROUPS

_LEAF: tuple[tuple[str, str], ...] = (
    ("upheld", "维持"),
    ("corrected", "纠正"),
    ("pending", "尚未"),
    ("total", "总计"),
    ("other", "其他"),
)


def is_reviews(grid: Grid) -> bool:
    text = squash("".join(c.text for c in grid.cells))
    litigation = sum(has_word(text, w) for w in ("行政诉讼", "复议后起诉", "未经复议直接起诉"))
    # On a blurred scan the 行政复议 heading may be lost; two litigation headings
    # are found in table 4 alone.
    if litigation >= 2 or (litigation == 1 and has_word(text, "行政复议")):
        return True
    # Every heading misread: its shape still tells it, three groups of five columns,
    # each with its own 总计 (or headed by cells five columns wide: 行政复议 beside
    # 行政诉讼's ten, or 未经复议直接起诉 beside 复议后起诉; the 总计 of a black-and-
    # white scan read 总江 and 2, 10375-0028), over a row of numbers (tables 2 and 3
    # are far narrower).
    return grid.n_cols in (15, 16) and (text.count("总计") >= 2 or _grouped(grid)) and any(
        _numeric_row(row) for row in grid.rows())


def _grouped(grid: Grid) -> bool:
    """Whether a header cell five columns wide has another five or ten wide beside it."""
    fives = {c.col for c in grid.cells if c.col_span == 5}
    tens = {c.col for c in grid.cells if c.col_span == 10}
    return any(col + 5 in fives or col + 5 in tens for col in fives)


NONE_LOOKALIKES = 3  # cells of a row read as 无's lookalikes before it is taken to print 无


def _numeric_row(row: list[GridCell]) -> bool:
    """A row of numbers; on a scan some of them may be misread, yet twice as many
    read as numbers (where blanks print its zeros, only a few cells hold one)."""
    filled = [(c.text.strip(), parse_count(c.text).ok) for c in row if c.text.strip()]
    # where the row prints 无 for its zeros, a lookalike of it (光, 元) is one too;
    # a blurred photo may read not one of them 无 (10785-0006: 光 元 先 six times,
    # beside five numbers)
    looks = sum(t in NONE_READINGS for t, _ok in filled)
    none = any(t == "无" for t, _ok in filled) or (
        looks >= NONE_LOOKALIKES and any(ok for _t, ok in filled))
    bad = sum(not ok and not (none and t in NONE_READINGS) for t, ok in filled)
    # (its cells cover ten columns at least: on a scan that lost column lines, one
    # cell may hold several numbers, split by where they stand)
    return (sum(c.col_span for c in row) >= 10
            and (bad == 0 or len(filled) - bad >= 2 * bad))


def _leaves_named(text: str) -> list[str]:
    """The leaf columns whose word a heading holds."""
    return [k for k, w in _LEAF if w in squash(text)]


def _headed_columns(grid: Grid, data_row: int) -> list[tuple[int, int]] | None:
    """The (column, span) of each of the 15 numbers, found by their leaf headings,
    where the grid has more than 15 columns: a tall character of a heading
    (未经复议直接起诉 at 300 dpi) or a thick line can add a column line, and the
    numbers are then not simply the last 15 columns. None unless the headings read
    维持 纠正 其他 尚未 总计 three times over, left to right."""
    if grid.n_cols <= 15:
        return None
    leaves = []
    for c in sorted(grid.cells, key=lambda c: c.col):
        if c.row + c.row_span > data_row:
            continue
        named = _leaves_named(c.text)
        if len(named) == 1:
            leaves.append((c.col, c.col_span, named[0]))
    if [k for *_, k in leaves] != list(REVIEW_COLUMNS) * len(REVIEW_GROUPS):
        return None
    return [(col, span) for col, span, _ in leaves]


def _under(grid: Grid, row: int, col: int, span: int) -> GridCell | None:
    """The cell of `row` under columns col..col+span-1; where a stray line split it,
    the one part that holds text."""
    parts = [c for c in grid.rows()[row] if col <= c.col < col + span]
    filled = [c for c in parts if c.text.strip()]
    if span > 1 and len(parts) > 1 and len(filled) == 1:
        return filled[0]
    return grid.cell_part(row, col, span)


def _blank_last_row(grid: Grid) -> list[GridCell] | None:
    """The table's last row where it is blank but for a speck or two (a report
    printing its zeros as blanks, 10423-0039: one speck read 一 made it no row of
    numbers), under its three rows of headings, as tall as a row of them."""
    rows = [r for r in grid.rows() if r]
    if len(rows) < 4:
        return None
    last = rows[-1]
    filled = [c for c in last if c.text.strip()]
    heights = [c.bbox[3] - c.bbox[1] for r in rows[:-1] for c in r if c.row_span == 1]
    tall = not heights or min(c.bbox[3] - c.bbox[1] for c in last) >= 0.5 * median_high(heights)
    return last if len(last) >= 10 and len(filled) <= 2 and tall else None


def map_reviews(grid: Grid) -> TableMapping:
    out = TableMapping()
    rows = [r for r in grid.rows() if _numeric_row(r)]
    if not rows:
        blank = _blank_last_row(grid)
        rows = [blank] if blank is not None else []
    paths = [f"reviews_and_litigation.{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS]
    if not rows:
        for p in paths:
            out.values[p] = CellValue(None, "", None, None, 0.0, "pdf_text")
        out.findings.append(Finding(code="missing_row", severity="error",
                                    message="table 4: no row of numbers found", paths=paths))
        return out
    data = rows[-1]
    row = data[0].row
    spans = _headed_columns(grid, row) or [(c, 1) for c in range(grid.n_cols - 15, grid.n_cols)]
    cells = [_under(grid, row, col, span) for col, span in spans]
    # Check the leaf header of each column where one is printed above it.
    for i, cell in enumerate(cells):
        path = paths[i]
        col = spans[i][0]
        leaf = next(
            (c for c in grid.cells
             if c.col == col and c.col_span == 1 and c.row < data[0].row and squash(c.text)),
            None,
        )
        if leaf is not None:
            # Only a header that names another column is a finding; a header
            # misread by OCR ("结果特") says nothing about the number below it.
            want = REVIEW_COLUMNS[i % 5]
            named = _leaves_named(leaf.text)
            word = dict(_LEAF)[want]
            if named and want not in named:
                out.findings.append(Finding(
                    code="header_mismatch", severity="warning",
                    message=f"table 4: column {i + 1} is headed {leaf.text!r}, expected "
                            f"{word!r}", paths=[path]))
        cv = CellValue.from_cell(cell)
        out.values[path] = cv
        if cv.value is None:
            out.findings.append(unreadable(path, cv))
    return out
