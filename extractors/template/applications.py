"""Table 3, the applicant matrix: rows by label, columns by header, both formats."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from extractors.layout import Grid, GridCell
from extractors.template.labels import best_match, core, has_word, similarity, squash
from extractors.template.model import CellValue, TableMapping, unreadable
from schemas import Finding
from schemas.paths import APPLICANT_COLUMNS, APPLICATION_ROWS, Format

_COLUMN_LABELS: dict[str, tuple[str, ...]] = {
    "natural_person": ("自然人",),
    "commercial_enterprise": ("商业企业",),
    "research_institution": ("科研机构",),
    "social_welfare_organization": ("社会公益组织",),
    "legal_service_institution": ("法律服务机构",),
    "other": ("其他",),
    "total": ("总计", "合计"),
}

# Row labels of both formats: rows of the 2019 format that the 2021 one lacks and back.
_ALL_ROWS: list[tuple[str, str]] = list(
    dict.fromkeys(APPLICATION_ROWS["2021"] + APPLICATION_ROWS["2019"])
)
_ONLY_2021 = {p for p, _ in APPLICATION_ROWS["2021"]} - {p for p, _ in APPLICATION_ROWS["2019"]}
_ONLY_2019 = {p for p, _ in APPLICATION_ROWS["2019"]} - {p for p, _ in APPLICATION_ROWS["2021"]}


def is_applications(grid: Grid) -> bool:
    text = squash("".join(c.text for c in grid.cells))
    # Several words of its header, rows and corner note: a blurred photo loses some.
    words = ("申请人情况", "自然人", "商业企业", "新收", "结转", "不予公开", "勾稽关系",
             "法人或其他组织", "予以公开", "办理结果")
    hits = sum(has_word(text, k) for k in words)
    if hits >= 3:
        return True
    # A blurred photo may keep fewer of them (法人成美他组织, 本年新政政将…); its rows
    # then tell it: labels of many of the template's rows, which no other table has.
    return hits >= 1 and len(_rows_named(grid)) >= ROWS_NAMED


ROWS_NAMED = 8  # of table 3's 23-26 rows


def _rows_named(grid: Grid) -> set[str]:
    return {key for c in grid.cells if c.col_span <= 2 and len(squash(c.text)) >= 4
            for key in [best_match(c.text, _ALL_ROWS, threshold=0.55)[0]] if key}


def _first_body_row(grid: Grid) -> int | None:
    anchor = "本年新收政府信息公开申请数量"

    def tier(c: GridCell) -> int | None:
        t = c.text
        if "新收" in squash(t):
            return 0
        like = similarity(core(t), anchor) > 0.75
        nearest = best_match(t, _ALL_ROWS, threshold=0.55)[0] == "new_received"
        if like and nearest:
            return 1
        # Misread further on a blurred photo ("本年的收政将信息公许申请", 0.69), the
        # label is still nearer that row's than any other row's; a row of numbers,
        # not a title row (收到和处理政府信息公开申请情况).
        if nearest and any(o.row == c.row and o.col > c.col and _numberish(o.text)
                           for o in grid.cells):
            return 2
        if like:  # 上年结转… (0.8 alike): the first row lost, the body starts here
            return 3
        return None

    found = [(k, c.row) for c in grid.cells if (k := tier(c)) is not None]
    if not found:
        # Misread past any likeness (一奉年衡收战将信息会开申通敬费, 0.43 alike, on a
        # 150-dpi heavy photo), the first row is still the one right above 上年结转,
        # both formats' second row, when both are rows of numbers.
        found = [(4, c.row - 1) for c in grid.cells if _second_row(grid, c)]
    return min(found)[1] if found else None


def _second_row(grid: Grid, c: GridCell) -> bool:
    """Whether `c` labels 上年结转… with a row of numbers, under another such row."""
    if best_match(c.text, _ALL_ROWS, threshold=0.55)[0] != "carried_over" or c.row == 0:
        return False
    above = grid.cell_at(c.row - 1, c.col)
    return (above is not None and above.row == c.row - 1 and above.col == c.col
            and above.row_span == 1 and above.col_span == c.col_span
            and all(any(o.row == r and o.col > c.col and _numberish(o.text)
                        for o in grid.cells) for r in (c.row - 1, c.row)))


def _numberish(text: str) -> bool:
    return any(ch.isdigit() or ch in "—-/一" for ch in text)


def _data_columns(grid: Grid, body: int) -> dict[str, tuple[int, int]]:
    """Applicant column -> (first grid column, grid columns spanned), read from the
    header rows above `body`."""
    found: dict[str, GridCell] = {}
    # A column's heading split by a stray line (a seal's stroke on a later page) spans
    # two grid columns; 法人或其他组织, over five, is no column's own heading.
    header = [c for c in grid.cells if c.row < body and c.col_span <= 2]
    for key, labels in _COLUMN_LABELS.items():
        best: tuple[float, GridCell | None] = (0.0, None)
        for c in header:
            t = squash(c.text)
            s = max(similarity(t, lab) for lab in labels)
            if s > best[0]:
                best = (s, c)
        if best[1] is not None and best[0] >= 0.6:
            found[key] = best[1]
    cols = [c.col for c in found.values()]
    if len(found) == 7 and len(set(cols)) == 7 and cols == sorted(cols):
        return {k: (c.col, c.col_span) for k, c in found.items()}
    # Some headings misread: the seven last headings that stand on the body, where
    # every heading read is one of them, in its place. A stray line through a few
    # rows adds a grid column, so counting columns from the right would shift them.
    leaves = sorted((c for c in header if c.row + c.row_span == body), key=lambda c: c.col)
    if len(found) >= 2 and len(leaves) >= 7:
        last = dict(zip(APPLICANT_COLUMNS, leaves[-7:], strict=True))
        if all(last[k] is c for k, c in found.items()):
            return {k: (c.col, c.col_span) for k, c in last.items()}
    # Fall back on position: the seven rightmost columns, in contract order.
    return {k: (grid.n_cols - 7 + i, 1) for i, k in enumerate(APPLICANT_COLUMNS)}


def _row_label(grid: Grid, r: int, first_data: int) -> str | None:
    """The label of grid row `r`, or None when it has none of its own.

    A tall label cell is read on its first row only, unless the data columns keep
    its rows apart: then the row lines of the label columns were lost (a curled
    photo) and the label is the text lying level with the row's data cells.
    """
    cell = grid.cell_at(r, first_data - 1)
    if cell is None:
        return None
    own = cell.text if cell.row == r else None
    if cell.row_span == 1:
        return own
    data = grid.cell_at(r, first_data)
    if data is None or data.row != r or data.row_span != 1 or data.page != cell.page \
            or not cell.scanned:
        return own
    top, bottom = data.bbox[1], data.bbox[3]
    words = sorted((w for w in cell.words if top <= w.cy <= bottom), key=lambda w: w.x0)
    return "".join(w.text for w in words) or own


def map_applications(grid: Grid, fmt_hint: Format | None) -> TableMapping:
    out = TableMapping()
    body = _first_body_row(grid)
    if body is None:
        out.findings.append(
            Finding(code="table_unrecognised", severity="error",
                    message="table 3: the row 本年新收政府信息公开申请数量 was not found")
        )
        return out
    cols = _data_columns(grid, body)
    first_data = min(col for col, _span in cols.values())

    matched: dict[str, int] = {}  # row path -> grid row
    for r in range(body, grid.n_rows):
        label = _row_label(grid, r, first_data)
        if label is None or not _own_numbers(grid, r, first_data):
            continue
        key, _ = best_match(label, _ALL_ROWS, threshold=0.55)
        if key is None:
            continue
        if key in matched:
            # "3.其他" and similar short labels: keep the first and report the second.
            continue
        matched[key] = r

    votes_2021 = sum(1 for k in matched if k in _ONLY_2021)
    votes_2019 = sum(1 for k in matched if k in _ONLY_2019)
    if votes_2021 != votes_2019:
        out.format_votes["2021" if votes_2021 > votes_2019 else "2019"] = 1
    fmt: Format = fmt_hint or "2021"
    if votes_2021 > votes_2019:
        fmt = "2021"
    elif votes_2019 > votes_2021:
        fmt = "2019"

    by_position = _fill_by_position(grid, matched, fmt, body, first_data)
    for path, label in APPLICATION_ROWS[fmt]:
        row = matched.get(path)
        if path in by_position:
            out.findings.append(
                Finding(code="row_by_position", severity="info",
                        message=f"table 3: row {label!r} known by its place (its label read "
                                f"{_row_label(grid, row or 0, first_data)!r})",
                        paths=[f"applications.{path}.{c}" for c in APPLICANT_COLUMNS]))
        if row is None:
            out.findings.append(
                Finding(code="missing_row", severity="error",
                        message=f"table 3: row {label!r} not found",
                        paths=[f"applications.{path}.{c}" for c in APPLICANT_COLUMNS])
            )
            for c in APPLICANT_COLUMNS:
                out.values[f"applications.{path}.{c}"] = CellValue(None, "", None, None, 0.0,
                                                                   "pdf_text")
            continue
        for col in APPLICANT_COLUMNS:
            cell = grid.cell_part(row, *cols[col])
            out.values[f"applications.{path}.{col}"] = CellValue.from_cell(cell)
    _blank_conventions(out, fmt)
    for path, cv in out.values.items():
        if cv.value is None and cv.raw:
            out.findings.append(unreadable(path, cv))
    return out


def _own_numbers(grid: Grid, r: int, first_data: int) -> bool:
    """Whether row `r` has cells of its own where the numbers go: a row cut out of
    the one above by a stray line (a piece of the heading beside it, "信息") has not."""
    cell = grid.cell_at(r, first_data)
    return cell is None or cell.row == r


def _fill_by_position(grid: Grid, matched: dict[str, int], fmt: Format, body: int,
                      first_data: int) -> set[str]:
    """Rows whose labels were misread past matching, known by their place: between
    two rows that were matched, as many unmatched rows of numbers as the template has
    rows between them, in the same order. Adds them to `matched`; returns their paths."""
    order = [p for p, _ in APPLICATION_ROWS[fmt]]
    rows = [r for r in range(body, grid.n_rows)
            if grid.cell_at(r, first_data) is not None and _own_numbers(grid, r, first_data)]
    at = {r: p for p, r in matched.items() if p in order}
    anchors = [(-1, -1), *sorted((r, order.index(p)) for r, p in at.items()),
               (grid.n_rows, len(order))]
    if any(b[1] <= a[1] for a, b in itertools.pairwise(anchors)):
        return set()  # matched rows out of template order: no place can be trusted
    added: set[str] = set()
    for (r0, i0), (r1, i1) in itertools.pairwise(anchors):
        free = [r for r in rows if r0 < r < r1 and r not in at]
        want = [p for p in order[i0 + 1 : i1] if p not in matched]
        if free and len(free) == len(want) == i1 - i0 - 1:
            for r, p in zip(free, want, strict=True):
                matched[p] = r
                added.add(p)
    return added


SPECKS = frozenset("，,。.、·`'‘’\"：:；;")
SPECK_CONFIDENCE = 0.5  # a reading this doubtful may be dirt or what a seal left


def _speck(cv: CellValue) -> bool:
    """A scanned cell whose only reading is a punctuation mark (a speck of dirt), or
    so doubtful that it may be one."""
    raw = cv.raw.strip()
    return cv.source == "ocr" and bool(raw) and (
        set(raw) <= SPECKS or cv.confidence < SPECK_CONFIDENCE)


def _blank_conventions(out: TableMapping, fmt: Format) -> None:
    """Blank cells that are not zeros (TEMPLATE.md §6)."""
    # validate imports this package
    from extractors.validate import LOW_CONFIDENCE, SUSPECT_CONFIDENCE

    rows = [p for p, _ in APPLICATION_ROWS[fmt]]
    six = [c for c in APPLICANT_COLUMNS if c != "total"]

    def v(row: str, col: str) -> CellValue:
        return out.values[f"applications.{row}.{col}"]

    def sure(cv: CellValue) -> bool:  # a doubtful "1" may be a dash misread
        return cv.source != "ocr" or cv.confidence >= LOW_CONFIDENCE

    def sure_blank(cv: CellValue) -> bool:  # not ink seen there, nor under a seal
        return cv.blank and not cv.raw and sure(cv) and not cv.obscured

    present = [r for r in rows if v(r, "total").page is not None]
    # Only the 总计 column filled: the applicant breakdown was not reported. One
    # stray non-zero total in an all-blank table is a misprint, not this convention.
    # A speck of dirt a scan reads as a comma leaves a cell blank; so may a rare
    # doubtful reading among blanks (what a seal or a smudge left behind).
    cells = [v(r, c) for r in present for c in six]
    # What a seal left of the blanks under it (read as digits at times) is no reading,
    # nor is a 0 the recogniser is not sure of (a speck on a blurred photo).
    odd = [cv for cv in cells if not ((cv.blank and not cv.raw) or _speck(cv) or cv.obscured
                                      or (cv.value == 0 and cv.confidence < SUSPECT_CONFIDENCE))]
    # Zeros printed as marks ("/" read doubtfully, 10375-0025) are no blanks: many
    # of them are a table that prints its zeros so (and a total or two off, misprints).
    marks = [cv for cv in cells if cv.raw.strip() and cv.value == 0 and not cv.obscured
             and not _speck(cv)]
    blank_six = bool(cells) and all(
        cv.source == "ocr" and cv.confidence < LOW_CONFIDENCE for cv in odd
    ) and len(odd) <= max(1, len(cells) // 20) and len(marks) <= max(1, len(cells) // 20)
    nonzero_totals = sum(1 for r in present if v(r, "total").value)
    if present and blank_six and nonzero_totals >= 2 \
            and not _misprints_among_blanks(out, fmt, present, sure_blank):
        for r in present:
            for c in six:
                v(r, c).value = None
        out.findings.append(
            Finding(code="totals_only", severity="warning",
                    message="table 3 gives only the 总计 column; the six applicant columns are "
                            "blank and are reported as null, not 0",
                    paths=[f"applications.{r}.{c}" for r in present for c in six])
        )
        # Where the 总计 column prints its zeros (0, 无, —), a blank 总计 was not filled in.
        if any(v(r, "total").raw.strip() and v(r, "total").value == 0 for r in present):
            for r in present:
                tot = v(r, "total")
                if sure_blank(tot):
                    tot.value = None
                    out.findings.append(_blank_total(r, "in a 总计 column that prints its zeros"))
        return
    # A 总计 cell left blank beside non-zero cells was not filled in, unless the table
    # prints every zero as a blank (then it is a zero, and the identities judge it).
    # (a doubtful 0 under a seal is what the seal left of a blank: 10399-0029)
    prints_zeros = any(v(r, c).raw.strip() and v(r, c).value == 0 and sure(v(r, c))
                       and not v(r, c).obscured and not _speck(v(r, c))
                       for r in present for c in APPLICANT_COLUMNS)
    if not prints_zeros:
        _unfilled_totals(out, fmt, present, sure, sure_blank)
        return
    for r in present:
        tot = v(r, "total")
        # ... nor where the blank itself is doubtful (ink seen there, or a seal over it)
        if sure_blank(tot) and any(v(r, c).value and sure(v(r, c)) for c in six):
            tot.value = None
            out.findings.append(_blank_total(r, "beside non-zero cells"))
    # Where the row's non-zero cells are all doubtful (under a seal, 10737-0033), the
    # 总计 column's own identities tell, as in a table printing its zeros as blanks.
    _unfilled_totals(out, fmt, [r for r in present if v(r, "total").value is not None],
                     sure, sure_blank, vouched=True)


def _misprints_among_blanks(out: TableMapping, fmt: Format, present: list[str],
                            sure_blank: Callable[[CellValue], bool]) -> bool:
    """A table printing every zero as a blank, its 总计 column too, whose few non-zero
    totals do not add up among themselves: the blanks are zeros and those totals
    misprints (10833-0033, a township's all-zero table with two). A report giving only
    totals gives ones that add up; where it prints its zeros, a blank column is its sign."""
    from schemas.identities import identities  # schemas imports nothing of ours

    totals = {f"applications.{r}.total": out.values[f"applications.{r}.total"] for r in present}
    if any(cv.raw.strip() and cv.value == 0 for cv in totals.values()) \
            or not any(sure_blank(cv) for cv in totals.values()):
        return False
    numbers: dict[str, int | float | None] = {p: cv.value for p, cv in totals.items()}
    column = [i for i in identities(fmt) if set(i.paths) <= totals.keys()]
    return any(i.holds(numbers) is False for i in column)


def _unfilled_totals(out: TableMapping, fmt: Format, present: list[str],
                     sure: Callable[[CellValue], bool],
                     sure_blank: Callable[[CellValue], bool], *, vouched: bool = False) -> None:
    """In a table that prints every zero as a blank, a blank 总计 beside non-zero cells
    is a 0 (the row then breaks, as printed) or was not filled in. The 总计 column's
    own identities tell: where they all hold with the row's sum and not with 0, the
    publisher left it blank. `vouched`: the row's non-zero cells may be doubtful
    readings, the identities vouching for their sum."""
    from schemas.identities import identities  # schemas imports nothing of ours

    six = [c for c in APPLICANT_COLUMNS if c != "total"]
    numbers: dict[str, int | float | None] = {p: cv.value for p, cv in out.values.items()}
    across = [i for i in identities(fmt) if i.code != "row_total"]
    for r in present:
        path = f"applications.{r}.total"
        parts = [out.values.get(f"applications.{r}.{c}") for c in six]
        known = [cv for cv in parts if cv is not None and cv.value is not None]
        if not sure_blank(out.values[path]) or len(known) != len(six) \
                or not any(cv.value and (vouched or sure(cv)) for cv in known):
            continue
        row_sum = sum(cv.value or 0 for cv in known)
        checks = [i for i in across if path in i.paths]
        with_sum = [i.holds({**numbers, path: row_sum}) for i in checks]
        with_zero = [i.holds({**numbers, path: 0}) for i in checks]
        if with_sum and all(h is True for h in with_sum) and False in with_zero:
            out.values[path].value = None
            numbers[path] = None
            beside = ("beside non-zero cells read doubtfully" if vouched else
                      "beside non-zero cells in a table that prints its zeros as blanks")
            out.findings.append(_blank_total(
                r, f"{beside}, and the 总计 column adds up with the row's sum, not with 0"))


def _blank_total(row: str, where: str) -> Finding:
    return Finding(code="blank_total", severity="warning",
                   message=f"table 3: the 总计 cell of row {row!r} is blank {where}; "
                           "it is not read as 0",
                   paths=[f"applications.{row}.total"])
