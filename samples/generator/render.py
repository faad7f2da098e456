"""Draw a report onto PDF pages with reportlab's canvas: real text, real ruling lines.

Coordinates in this module are "top" coordinates (points from the top of the
page, as pdfplumber reports them); `_Page` converts for reportlab. Tables are
laid out from their `Grid`; a table that does not fit continues on the next page
without repeating its header, and a merged cell cut by the page break is drawn
in both parts with its text flowing from the first.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from samples.generator.fonts import register, width
from samples.generator.tables import Cell, Grid

_NO_LINE_START = set("，。、；：）》」』”’！？%")


@dataclass(frozen=True)
class PageStyle:
    font: str  # body and table text
    heading_font: str
    title_font: str
    body_size: float
    table_size: float
    title_size: float
    margins: tuple[float, float, float, float]  # left, right, top, bottom
    leading: float  # body line spacing, as a multiple of the size
    cell_pad: float
    row_min: float
    table_width: float  # fraction of the text width
    line_width: float
    label_align: str  # center | left
    page_numbers: bool


@dataclass
class Placed:
    """Where things landed: filled in while drawing, read by the truth and the scans."""

    cells: dict[str, list[float]] = field(
        default_factory=dict
    )  # path -> [page, x0, top, x1, bottom]
    tables: list[list[float]] = field(default_factory=list)  # [page, x0, top, x1, bottom, table no]
    signature: list[float] | None = None
    pages: int = 0


def wrap(text: str, font: str, size: float, max_w: float) -> list[str]:
    """Break text into lines no wider than max_w, character by character (CJK)."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and width(line + ch, font, size) > max_w:
                if ch in _NO_LINE_START and len(line) > 1:  # never start a line with 。or ”
                    lines.append(line[:-1])
                    line = line[-1] + ch
                else:
                    lines.append(line)
                    line = ch
            else:
                line += ch
        lines.append(line)
    return lines


class Document:
    """A flowing page sequence on one reportlab canvas."""

    def __init__(self, style: PageStyle, title: str) -> None:
        self.style = style
        for f in {style.font, style.heading_font, style.title_font}:
            register(f)
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor("nianbao sample generator")
        self.c.setCreator("nianbao sample generator")
        self.c.setProducer("nianbao sample generator")
        self.W, self.H = A4
        left, right, top, bottom = style.margins
        self.x0, self.x1 = left, self.W - right
        self.top, self.bottom = top, self.H - bottom
        self.y = self.top
        self.page = 1
        self.placed = Placed()

    # -- pages -------------------------------------------------------------
    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.page += 1
        self.y = self.top

    def _footer(self) -> None:
        if self.style.page_numbers:
            text = f"- {self.page} -"
            self.c.setFont(self.style.font, 9)
            w = width(text, self.style.font, 9)
            self.c.drawString((self.W - w) / 2, 28, text)

    def finish(self) -> bytes:
        self._footer()
        self.c.showPage()
        self.c.save()
        self.placed.pages = self.page
        return self.buf.getvalue()

    def room(self) -> float:
        return self.bottom - self.y

    # -- text --------------------------------------------------------------
    def text_line(
        self, text: str, x: float, top: float, font: str, size: float, lead: float
    ) -> None:
        baseline = top + lead / 2 + 0.36 * size
        self.c.setFont(font, size)
        self.c.drawString(x, self.H - baseline, text)

    def paragraph(
        self,
        text: str,
        *,
        font: str | None = None,
        size: float | None = None,
        indent: float = 2,
        align: str = "left",
        space_after: float = 0,
    ) -> None:
        """Body text, first line indented by `indent` characters, breaking pages between lines."""
        font = font or self.style.font
        size = size or self.style.body_size
        lead = size * self.style.leading
        text_w = self.x1 - self.x0
        first_pad = indent * size
        lines = wrap(text, font, size, text_w - first_pad)
        # re-wrap the rest at full width once the indented first line is taken
        if len(lines) > 1:
            rest = text[len(lines[0]) :]
            lines = [lines[0], *wrap(rest, font, size, text_w)]
        for i, line in enumerate(lines):
            if self.y + lead > self.bottom:
                self.new_page()
            w = width(line, font, size)
            if align == "center":
                x = (self.x0 + self.x1 - w) / 2
            elif align == "right":
                x = self.x1 - w - size * 2
            else:
                x = self.x0 + (first_pad if i == 0 else 0)
            self.text_line(line, x, self.y, font, size, lead)
            self.y += lead
        self.y += space_after

    def space(self, pts: float) -> None:
        self.y += pts

    # -- tables ------------------------------------------------------------
    def table(self, grid: Grid, *, breaks: frozenset[int] = frozenset(), number: int = 0) -> None:
        """Lay out and draw a grid; `breaks` are row indices forced to start a new page."""
        st = self.style
        size = st.table_size
        lead = size * 1.25
        pad = st.cell_pad
        total_w = (self.x1 - self.x0) * st.table_width
        tx0 = self.x0 + ((self.x1 - self.x0) - total_w) / 2
        wsum = sum(grid.col_weights)
        xs = [tx0]
        for w in grid.col_weights:
            xs.append(xs[-1] + total_w * w / wsum)
        heights = [st.row_min] * grid.nrows
        lines: dict[int, list[str]] = {}
        for k, cell in enumerate(grid.cells):
            cw = xs[cell.col + cell.colspan] - xs[cell.col] - 2 * pad
            lines[k] = wrap(cell.text, st.font, size, max(cw, size))
        # single-row cells first, then merged cells take what they still need
        for k, cell in sorted(enumerate(grid.cells), key=lambda kc: kc[1].rowspan):
            need = len(lines[k]) * lead + 2 * pad
            have = sum(heights[cell.row : cell.row + cell.rowspan])
            if need > have:
                heights[cell.row + cell.rowspan - 1] += need - have
        # assign rows to pages (virtually: the canvas moves on only while drawing)
        page, y = self.page, self.y
        if y + sum(heights[: grid.header_rows + 1]) > self.bottom:
            page, y = page + 1, self.top
        row_top: list[tuple[int, float]] = []
        for r in range(grid.nrows):
            if r > grid.header_rows and (r in breaks or y + heights[r] > self.bottom):
                page, y = page + 1, self.top
            row_top.append((page, y))
            y += heights[r]
        ops: dict[int, list[Callable[[], None]]] = {}
        boxes: dict[int, list[float]] = {}
        for k, cell in enumerate(grid.cells):
            frags = self._fragments(cell, heights, row_top)
            self._place(cell, frags, xs, lines[k], size, lead, ops)
            for pg, top, bottom in frags:
                b = boxes.setdefault(pg, [xs[0], top, xs[-1], bottom])
                b[1], b[3] = min(b[1], top), max(b[3], bottom)
        for pg in sorted(ops):
            while self.page < pg:
                self.new_page()
            for op in ops[pg]:
                op()
            self.placed.tables.append([pg, *(round(v, 2) for v in boxes[pg]), number])
        self.y = y + st.body_size * 0.8

    def _fragments(
        self, cell: Cell, heights: list[float], row_top: list[tuple[int, float]]
    ) -> list[tuple[int, float, float]]:
        frags: list[tuple[int, float, float]] = []
        for r in range(cell.row, cell.row + cell.rowspan):
            page, top = row_top[r]
            if frags and frags[-1][0] == page:
                frags[-1] = (page, frags[-1][1], top + heights[r])
            else:
                frags.append((page, top, top + heights[r]))
        return frags

    def _place(
        self,
        cell: Cell,
        frags: list[tuple[int, float, float]],
        xs: list[float],
        lines: list[str],
        size: float,
        lead: float,
        ops: dict[int, list[Callable[[], None]]],
    ) -> None:
        pad = self.style.cell_pad
        x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
        # text flows from the first fragment; all of it there when it fits
        remaining = list(lines)
        plan: list[tuple[int, float, float, list[str]]] = []
        for i, (page, top, bottom) in enumerate(frags):
            cap = max(1, int((bottom - top - 2 * pad + 0.01) // lead))
            take = remaining if i == len(frags) - 1 else remaining[:cap]
            remaining = remaining[len(take) :]
            plan.append((page, top, bottom, take))
        for page, top, bottom, take in plan:
            ops.setdefault(page, []).append(
                self._cell_op(cell, x0, x1, top, bottom, take, size, lead)
            )
        if cell.kind != "value" or not cell.path:
            return
        if cell.text:
            page, top, bottom, _ = plan[0]
            w = max(width(t, self.style.font, size) for t in lines)
            cx, th = (x0 + x1) / 2, len(lines) * lead
            ty = (top + bottom - th) / 2
            box = [cx - w / 2, ty, cx + w / 2, ty + th]
        else:  # a blank cell: its whole box
            page, top, bottom = frags[0]
            box = [x0, top, x1, bottom]
        self.placed.cells[cell.path] = [page, *(round(v, 2) for v in box)]

    def _cell_op(
        self,
        cell: Cell,
        x0: float,
        x1: float,
        top: float,
        bottom: float,
        take: list[str],
        size: float,
        lead: float,
    ) -> Callable[[], None]:
        st = self.style

        def op() -> None:
            self.c.setLineWidth(st.line_width)
            self.c.rect(x0, self.H - bottom, x1 - x0, bottom - top, stroke=1, fill=0)
            ty = (top + bottom - len(take) * lead) / 2
            for line in take:
                w = width(line, st.font, size)
                left = (
                    cell.kind == "label"
                    and st.label_align == "left"
                    and len(take) == 1
                    and w < x1 - x0 - 2 * st.cell_pad
                )
                x = x0 + st.cell_pad + 1 if left else (x0 + x1 - w) / 2
                self.text_line(line, x, ty, st.font, size, lead)
                ty += lead

        return op
