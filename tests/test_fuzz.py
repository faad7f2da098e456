"""Property-based fuzzing of the loaders, grid reconstruction and template mapping.

Bounded (a few hundred examples each) so it runs in CI: no input may crash or
hang them; bad bytes must come back as a typed input error or a result.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import extract
from extractors.grid import build_grids
from extractors.layout import Grid, GridCell, PageLayout, Ruling, Word
from extractors.loading import load
from extractors.options import ExtractOptions
from extractors.template import map_tables
from schemas.paths import APPLICATION_ROWS
from tests.conftest import SAMPLES

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
PDF = (SAMPLES / "digital" / "xingzhuang-2023.pdf").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n"


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash(data: bytes) -> None:
    result = extract(data, "x")
    assert result.validation.status == "failed"


@FUZZ
@given(st.integers(0, len(PDF) - 1), st.binary(min_size=1, max_size=64))
def test_damaged_pdf_never_crashes(offset: int, junk: bytes) -> None:
    damaged = PDF[:offset] + junk + PDF[offset + len(junk):]
    result = extract(damaged, "damaged.pdf")
    assert result.validation.status in ("valid", "needs_review", "failed")


@FUZZ
@given(st.binary(max_size=512))
def test_image_headers_never_crash(tail: bytes) -> None:
    from extractors.errors import InputError

    try:
        load(PNG + tail, "x.png", ExtractOptions())
    except InputError:
        pass


_coord = st.floats(min_value=-50, max_value=900, allow_nan=False, allow_infinity=False)


@FUZZ
@given(st.lists(st.tuples(_coord, _coord, _coord, _coord), max_size=60),
       st.lists(st.tuples(_coord, _coord, st.text(max_size=3)), max_size=40))
def test_grid_from_arbitrary_lines(lines: list[tuple[float, ...]],
                                   words: list[tuple[float, float, str]]) -> None:
    page = PageLayout(
        number=1, width=800, height=800, kind="digital",
        rulings=[Ruling(a, b, c, d) for a, b, c, d in lines],
        words=[Word(t or "x", (x, y, x + 5, y + 5)) for x, y, t in words],
    )
    for g in build_grids(page):
        assert g.n_rows >= 1 and g.n_cols >= 1
        covered = set()
        for c in g.cells:
            for r in range(c.row, c.row + c.row_span):
                for k in range(c.col, c.col + c.col_span):
                    assert (r, k) not in covered, "cells overlap"
                    covered.add((r, k))
        assert len(covered) == g.n_rows * g.n_cols, "cells do not tile the table"


def _table3(rng: random.Random, texts: list[str]) -> Grid:
    """A table-3-shaped grid whose cells hold fuzzed text."""
    cells = []
    rows = APPLICATION_ROWS["2021"]
    for r, (_, label) in enumerate(rows):
        cells.append(GridCell(r, 0, 1, 3, (0, r, 3, r + 1), 1, text=label))
        for c in range(7):
            cells.append(GridCell(r, 3 + c, 1, 1, (3 + c, r, 4 + c, r + 1), 1,
                                  text=rng.choice(texts)))
    return Grid(pages=[1], bbox=(0, 0, 10, len(rows)), n_rows=len(rows), n_cols=10,
                cells=cells, col_edges=[float(x) for x in range(11)])


@FUZZ
@given(st.integers(0, 2**32), st.lists(st.text(max_size=6), min_size=1, max_size=8))
def test_template_mapping_of_fuzzed_cells(seed: int, texts: list[str]) -> None:
    grid = _table3(random.Random(seed), texts)
    mapping = map_tables([grid])
    for cv in mapping.values.values():
        assert cv.value is None or isinstance(cv.value, int | float)
