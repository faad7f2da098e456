"""What a page looks like to the table reconstructor, whatever its source.

The digital path (pdfplumber) and the scan path (OCR + ruling detection from
pixels) both produce `PageLayout`s; everything downstream reads only these.
Coordinates: origin top-left, y grows downwards; PDF points for PDF pages,
pixels for images.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# A reading cut out of one detection that crossed a lost column line: where its
# characters stood is estimated, so the identities or a person must confirm it.
SPLIT_CONFIDENCE = 0.6

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom
PageKind = Literal["digital", "scan"]


# Ink under a seal is read from what the seal left of it: never certain, so the
# identities must vouch for it (below validation's LOW_CONFIDENCE). A reading held
# at this cap was read with this confidence or more before the seal was seen.
OBSCURED_CONFIDENCE = 0.8


@dataclass
class Word:
    """A run of text on one line (a text line from OCR, or grouped PDF characters)."""

    text: str
    bbox: BBox
    confidence: float = 1.0
    source: Literal["ocr", "pdf_text"] = "pdf_text"
    vertical: bool = False  # written top to bottom, one character per line

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    @property
    def bottom(self) -> float:
        return self.bbox[3]

    @property
    def cx(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def cy(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2


@dataclass
class Ruling:
    """A straight ruling line segment; horizontal when `top == bottom`."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return abs(self.bottom - self.top) <= abs(self.x1 - self.x0)


@dataclass
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    kind: PageKind
    words: list[Word] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)
    # Engine-specific handle the table reader may use to re-read a cell crop
    # (the page image for scans); never serialised.
    image: Any = None
    scale: float = 1.0  # image pixels per layout unit
    # Regions whose readings are never certain (under an official seal), in layout units.
    obscured: list[BBox] = field(default_factory=list)
    bilevel: bool = False  # a black-and-white scan: thin strokes may have broken


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    bbox: BBox
    page: int
    words: list[Word] = field(default_factory=list)
    text: str = ""
    confidence: float = 1.0
    scanned: bool = False  # on a scanned page: its text is OCR even with no words left
    obscured: bool = False  # under a seal: doubtful, and never changed by repair
    # under a seal: the recogniser's evidence for each count (`ocr.lines.log_likelihood`)
    scores: Any = field(default=None, compare=False, repr=False)

    @property
    def source(self) -> Literal["ocr", "pdf_text"]:
        if self.scanned:
            return "ocr"
        return self.words[0].source if self.words else "pdf_text"


@dataclass
class Grid:
    """A table as a grid of cells with row and column spans.

    `cells` holds each merged cell once, at its top-left position. A table
    stitched across pages has cells from several pages (`pages`).
    """

    pages: list[int]
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: list[GridCell]
    col_edges: list[float] = field(default_factory=list)
    row_edges: list[float] = field(default_factory=list)
    role: str | None = None

    def cell_at(self, row: int, col: int) -> GridCell | None:
        """The cell covering (row, col), merged or not."""
        for c in self.cells:
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                return c
        return None

    def cell_part(self, row: int, col: int, span: int = 1) -> GridCell | None:
        """The cell for columns col..col+span-1 of `row`.

        A scanned cell reaching beyond those columns lost a column line (the
        template has a value in each): it yields only the words lying over those
        columns, as a cell of their own; a word lying across the lost line gives
        each part the characters standing over it. The confidence is capped when
        the split is a guess: a text from a re-read that no word backs, a word cut
        in two, or a part left empty beside parts that were read.
        """
        cell = self.cell_at(row, col)
        if cell is None or not cell.scanned or (
            cell.col >= col and cell.col + cell.col_span <= col + span
        ) or len(self.col_edges) != self.n_cols + 1:
            return cell
        e = self.col_edges
        left, right = e[cell.col], e[cell.col + cell.col_span]
        x0, x1 = cell.bbox[0], cell.bbox[2]

        def at(x: float) -> float:  # a column line of the grid, in the cell's own frame
            return x0 + (x - left) / ((right - left) or 1.0) * (x1 - x0)

        lo, hi = at(e[max(col, cell.col)]), at(e[min(col + span, cell.col + cell.col_span)])
        words, texts, cut = [], [], False
        for w in sorted(cell.words, key=lambda w: w.x0):
            whole = lo <= (w.x0 + w.x1) / 2 < hi
            n, width = len(w.text), w.x1 - w.x0
            if n > 1 and (w.x0 < lo - 0.25 * width / n or w.x1 > hi + 0.25 * width / n):
                # One detection across the lost line ("1 1 1" read as "111"): its
                # characters go by where they stand, evenly spaced as far as we know.
                chars = [ch for i, ch in enumerate(w.text)
                         if lo <= w.x0 + (i + 0.5) * width / n < hi]
                if chars:
                    words.append(w)
                    texts.append("".join(chars).strip())
                cut = True
            elif whole:
                words.append(w)
                texts.append(w.text)
        part = GridCell(row=cell.row, col=col, row_span=cell.row_span, col_span=span,
                        bbox=(lo, cell.bbox[1], hi, cell.bbox[3]), page=cell.page,
                        words=words, scanned=True, obscured=cell.obscured)
        if words:
            part.text = " ".join(texts)
            part.confidence = min(min(w.confidence for w in words), cell.confidence)
        elif cell.text.strip() and not cell.words:
            part.text, part.confidence = cell.text, min(cell.confidence, 0.5)
        if cut or (not words and cell.text.strip()):
            # An empty part beside read ones: the blank may be a missed reading.
            part.confidence = min(part.confidence, SPLIT_CONFIDENCE)
        return part

    def rows(self) -> list[list[GridCell]]:
        """Cells starting in each row, left to right."""
        out: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row].append(c)
        for r in out:
            r.sort(key=lambda c: c.col)
        return out
