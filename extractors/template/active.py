"""Table 2, proactive disclosure: item rows under their own header rows."""

from __future__ import annotations

from extractors.layout import Grid, GridCell
from extractors.template.labels import has_word, squash
from extractors.template.model import CellValue, TableMapping, unreadable
from schemas import Finding
from schemas.paths import ACTIVE_PATHS, DECIMAL_ACTIVE_PATHS, SIGNED_ACTIVE_SUFFIX, Format

# Item rows: (key, words that identify the label), most specific first.
_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("other_management_services", ("其他对外管理服务", "对外管理服务")),
    ("normative_documents", ("规范性文件",)),
    ("regulations", ("规章",)),
    ("administrative_licensing", ("行政许可",)),
    ("administrative_punishment", ("行政处罚",)),
    ("administrative_coercion", ("行政强制",)),
    ("administrative_fees", ("行政事业性收费", "事业性收费")),
    ("government_procurement", ("政府集中采购", "集中采购")),
)

# Header words -> column key, per format.
_COLUMNS: dict[Format, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "2021": (
        ("issued", ("制发",)),
        ("repealed", ("废止",)),
        ("in_force", ("现行有效", "有效件")),
        ("", ("处理决定", "收费金额")),  # the single value of a one-number item
    ),
    "2019": (
        ("newly_made", ("新制作",)),
        ("newly_published", ("新公开",)),
        ("total_published", ("对外公开总", "公开总数")),
        ("previous_year_items", ("上一年项目", "上年项目")),
        ("change", ("增减", "增/减")),
        ("decisions", ("处理决定",)),
        ("projects", ("采购项目",)),
        ("total_amount", ("采购总金额", "总金额")),
    ),
}
_FORMAT_WORDS: dict[Format, tuple[str, ...]] = {
    "2021": ("制发", "废止", "现行有效", "收费金额"),
    "2019": ("新制作", "新公开", "对外公开总", "上一年项目", "增减", "采购项目"),
}


def is_active(grid: Grid) -> bool:
    text = squash("".join(c.text for c in grid.cells))
    hits = sum(has_word(text, k) for k in ("第二十条", "信息内容", "规章", "规范性文件", "行政许可",
                                   "行政处罚", "行政事业性收费"))
    return hits >= 3


def detect_format(grid: Grid) -> Format | None:
    text = squash("".join(c.text for c in grid.cells))
    s21 = sum(w in text for w in _FORMAT_WORDS["2021"])
    s19 = sum(w in text for w in _FORMAT_WORDS["2019"])
    if s21 == s19:
        return None
    return "2021" if s21 > s19 else "2019"


def _item_of(cell: GridCell | None) -> str | None:
    if cell is None:
        return None
    t = squash(cell.text)
    for key, words in _ITEMS:
        if any(w in t for w in words):
            return key
    # One character misread ("烧章" for 规章): the item labels differ from each other
    # in two or more characters, so one slip still names a single item.
    for key, words in _ITEMS:
        if any(has_word(t, w) or (len(t) == len(w) == 2 and (t[0] == w[0] or t[1] == w[1]))
               for w in words):
            return key
    return None


# Header rows as printed, left to right: a header with some words misread takes
# the rest of its keys from their places.
_HEADER_ROWS: dict[Format, tuple[tuple[str, ...], ...]] = {
    "2021": (("issued", "repealed", "in_force"),),
    "2019": (("newly_made", "newly_published", "total_published"),
             ("previous_year_items", "change", "decisions"),
             ("previous_year_items", "change"),
             ("projects", "total_amount")),
}


def _header_columns(row: list[GridCell], fmt: Format) -> dict[int, str]:
    out: dict[int, str] = {}
    exact: set[int] = set()
    for c in row:
        if c.col == 0:
            continue
        t = squash(c.text).replace("/", "")
        for key, words in _COLUMNS[fmt]:
            if any(has_word(t, squash(w)) for w in words):
                out[c.col] = key
                if any(squash(w) in t for w in words):
                    exact.add(c.col)
                break
    # A key two columns claim went to a misread word at least once (本年街公开数量
    # passes for 公开总数 with a character lost): the one column that holds its word
    # as printed keeps it; the others are left to their places in the header row.
    for key in set(out.values()):
        claims = [col for col, k in out.items() if k == key]
        if len(claims) > 1:
            printed = [col for col in claims if col in exact]
            for col in claims:
                if printed != [col]:
                    del out[col]
    if not out:
        return out
    cols = sorted(c.col for c in row if c.col != 0)
    for keys in _HEADER_ROWS[fmt]:
        if len(cols) == len(keys) and all(
                col in cols and keys.index(key) == cols.index(col)
                for col, key in out.items() if key in keys) and \
                all(key in keys for key in out.values()):
            return dict(zip(cols, keys, strict=True))
    return out


# Items printed one under the other in the same section: a label misread past
# matching is known by the item beside it.
_NEXT = {"regulations": "normative_documents",
         "administrative_punishment": "administrative_coercion",
         "administrative_licensing": "other_management_services"}
_PREV = {v: k for k, v in _NEXT.items()}
_ONLY_ITEM = {"projects": "government_procurement"}


def _items(grid: Grid, rows: list[list[GridCell]], headers: list[dict[int, str]],
           fmt: Format) -> list[str | None]:
    """The item of each row (None for header rows and rows that name none);
    `headers` holds each row's header columns."""
    items: list[str | None] = []
    for row in rows:
        first = grid.cell_at(row[0].row, 0)
        items.append(_item_of(first) if first is not None and first.row == row[0].row else None)
    known = {p.split(".")[0] for p in ACTIVE_PATHS[fmt]}
    for i, row in enumerate(rows):
        if items[i] is not None or headers[i] or len(row) < 2:
            continue
        before = _NEXT.get(items[i - 1] or "") if i > 0 else None
        after = _PREV.get(items[i + 1] or "") if i + 1 < len(items) else None
        # under a header that only one item has (采购项目数量: 政府集中采购)
        keys = set(headers[i - 1].values()) if i > 0 else set()
        only = next((item for key, item in _ONLY_ITEM.items() if key in keys), None)
        guess = before or after or only
        if guess in known and guess not in items:
            items[i] = guess
    _by_sections(rows, headers, items, fmt)
    return items


# The template's sections, top to bottom, with their items in printed order.
_SECTIONS: dict[Format, tuple[tuple[str, ...], ...]] = {
    "2021": (("regulations", "normative_documents"), ("administrative_licensing",),
             ("administrative_punishment", "administrative_coercion"), ("administrative_fees",)),
    "2019": (("regulations", "normative_documents"),
             ("administrative_licensing", "other_management_services"),
             ("administrative_punishment", "administrative_coercion"), ("administrative_fees",),
             ("government_procurement",)),
}


def _by_sections(rows: list[list[GridCell]], headers: list[dict[int, str]],
                 items: list[str | None], fmt: Format) -> None:
    """Item labels still unknown (both of a section misread) are known by their place
    when the table's header rows and item rows fall into the template's sections
    exactly and every item that was read stands where the template puts it."""
    if None not in items:
        return
    sections: list[list[int]] = []
    for i, row in enumerate(rows):
        if headers[i]:
            sections.append([])
        elif sections and len(row) >= 2:
            sections[-1].append(i)
    template = _SECTIONS[fmt]
    if len(sections) != len(template) or any(
            len(got) != len(want)
            or any(items[i] not in (None, item) for i, item in zip(got, want, strict=True))
            for got, want in zip(sections, template, strict=True)):
        return
    for got, want in zip(sections, template, strict=True):
        for i, item in zip(got, want, strict=True):
            items[i] = item


def map_active(grid: Grid, fmt: Format) -> TableMapping:
    out = TableMapping()
    wanted = set(ACTIVE_PATHS[fmt])
    header: dict[int, str] = {}
    spans: dict[int, int] = {}  # the header cells' column spans
    rows = [row for row in grid.rows() if row]
    headers = [_header_columns(row, fmt) for row in rows]
    items = _items(grid, rows, headers, fmt)
    for row, cols, item in zip(rows, headers, items, strict=True):
        first = grid.cell_at(row[0].row, 0)
        if item is None:
            if cols:
                header, spans = cols, {c.col: c.col_span for c in row}
            continue
        here = header
        if item in wanted and "" not in header.values() and first is not None:
            # a one-number item (2021) under a header misread past matching: its
            # number is the rest of the row
            here = {first.col + first.col_span: ""}
        keys = [p.split(".")[1] for p in ACTIVE_PATHS[fmt] if p.startswith(f"{item}.")]
        if keys and first is not None and not set(keys) <= set(header.values()):
            # A header row that names none of this item's columns (merged into the
            # title row above it under a seal, 10387-0014) or not all (two headings
            # in one cell, their line lost, 10437-0029): the template prints them in
            # one order, and the columns the header names must stand at their places:
            # under their cells, which may span a lost line (10605-0037: 处理决定数量
            # read into the cell of 本年增/减 spanning both).
            cells = sorted((c for c in row if c.col > first.col), key=lambda c: c.col)
            if len(cells) == len(keys):
                by_place = {c.col: k for c, k in zip(cells, keys, strict=True)}
                if all(key in {by_place.get(c, key) for c in range(col, col + spans.get(col, 1))}
                       for col, key in header.items() if key in keys):
                    here = by_place
                    out.findings.append(Finding(
                        code="columns_by_position", severity="info",
                        message=f"table 2: the columns of {item!r} known by their places "
                                "(the header rows do not name them all)",
                        paths=[f"active_disclosure.{item}.{k}" for k in keys]))
        starts = sorted(here)
        for col, key in here.items():
            path = f"{item}.{key}" if key else item
            if path not in wanted or f"active_disclosure.{path}" in out.values:
                continue
            # a header column reaches to the next one (a section's columns may be wide)
            later = [c for c in starts if c > col]
            span = (later[0] if later else grid.n_cols) - col
            cell = grid.cell_part(first.row, col, span) if first is not None else None
            decimal = path in DECIMAL_ACTIVE_PATHS
            out.values[f"active_disclosure.{path}"] = CellValue.from_cell(
                cell, unchecked=True, signed=path.endswith(SIGNED_ACTIVE_SUFFIX),
                decimal=decimal, unit_wan=decimal)
    for path in ACTIVE_PATHS[fmt]:
        full = f"active_disclosure.{path}"
        cv = out.values.get(full)
        if cv is None:
            out.values[full] = CellValue(None, "", None, None, 0.0, "pdf_text")
            out.findings.append(Finding(code="missing_cell", severity="error",
                                        message=f"table 2: no value found for {path!r}",
                                        paths=[full]))
        elif cv.value is None:
            out.findings.append(unreadable(full, cv))
    return out
