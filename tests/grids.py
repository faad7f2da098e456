"""Small scanned grids built from text, for the mapping and cell tests."""

from __future__ import annotations

from extractors.layout import Grid, GridCell, Word


def text_grid(rows: list[list[str]], *, width: float = 80.0, page: int = 1) -> Grid:
    """One cell per text, row by row, every column `width` wide and rows 30 high."""
    n = max(len(r) for r in rows)
    cells = [GridCell(row=r, col=c, row_span=1, col_span=1, page=page,
                      bbox=(c * width, r * 30.0, c * width + width, r * 30.0 + 30), text=t,
                      confidence=0.9, scanned=True)
             for r, texts in enumerate(rows) for c, t in enumerate(texts)]
    return Grid(pages=[page], bbox=(0, 0, width * n, 30.0 * len(rows)), n_rows=len(rows),
                n_cols=n, cells=cells, col_edges=[width * i for i in range(n + 1)])


def merged_row(label: str, word: Word, col_edges: list[float]) -> tuple[Grid, GridCell]:
    """One row: a label cell, then one scanned cell over every value column (their
    lines lost) holding `word`. Returns the grid and that cell."""
    right = col_edges[-1]
    merged = GridCell(row=0, col=1, row_span=1, col_span=len(col_edges) - 2,
                      bbox=(col_edges[1], 0, right, 20), page=1, words=[word], text=word.text,
                      confidence=word.confidence, scanned=True)
    head = GridCell(row=0, col=0, row_span=1, col_span=1, bbox=(col_edges[0], 0, col_edges[1], 20),
                    page=1, text=label, scanned=True)
    grid = Grid(pages=[1], bbox=(col_edges[0], 0, right, 20), n_rows=1,
                n_cols=len(col_edges) - 1, cells=[head, merged], col_edges=col_edges)
    return grid, merged
