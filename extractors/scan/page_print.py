"""Cell readings judged against the page's own print: a doubtful reading whose ink
is one of the page's clear 0s reads 0; one whose ink is far lower than the page's
text is a blurred dash. Every reading changed stays doubtful, for the identities
to vouch for or a person to confirm."""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median
from typing import Any

from extractors.layout import Grid, GridCell, PageLayout
from extractors.marks import BLOB_CONFIDENCE, DOUBTFUL_DIGIT
from extractors.scan import overlaps
from extractors.scan.fast import is_words
from extractors.scan.glyphs import (
    MATCH,
    MATCH_BILEVEL,
    SAMPLE_CONFIDENCE,
    PagePrints,
    glyph_print,
    ink_height,
)
from extractors.text import is_cjk

# Below validation's LOW_CONFIDENCE: a 0 told by its ink alone counts only where an
# identity that holds vouches for it (table 2 has none; there it is for review).
ZERO_MATCH_CONFIDENCE = 0.84
ZERO_MATCH_OBSCURED = 0.7  # under a seal its remnants may have made the match


MISREAD_ZERO = ("6", "8", "9")  # what a blurred 0 reads as, surely, again and again


def clear_prints(page: PageLayout, cells: list[GridCell],
                 crops: dict[int, Any]) -> list[tuple[str, Any]]:
    """The page's readings sure enough to model its print by, with their crops (none
    under a seal)."""
    return [(c.text, crops[id(c)]) for c in cells
            if c.confidence >= SAMPLE_CONFIDENCE and not overlaps(c.bbox, page.obscured)]


def match_zeros(page: PageLayout, cells: list[GridCell], crops: dict[int, Any],
                borrowed: Sequence[tuple[str, Any]] = ()) -> None:
    """Doubtful readings whose ink is one of the page's clear 0s read 0. `borrowed`:
    clear prints of the document's other pages, for a page with too few 0s of its own."""

    def sealed(c: GridCell) -> bool:
        return overlaps(c.bbox, page.obscured)

    doubtful = [c for c in cells if c.confidence < ZERO_MATCH_CONFIDENCE]
    samples = clear_prints(page, cells, crops)
    if not doubtful and not any(c.text.strip() in MISREAD_ZERO for c in cells):
        return  # a clean page: no model to build
    match = MATCH_BILEVEL if page.bilevel else MATCH
    prints = PagePrints(samples, match)
    if "0" not in prints.models and borrowed:
        # A page of table 3's last rows, blurred more than the page before it, read
        # three 0s clearly and its others as 6 and 9 (10665-0015, 150 dpi).
        prints = PagePrints([*samples, *borrowed], match)
    # readings of a digit whose prints are the page's 0s are doubtful, however sure
    doubtful += [c for c in cells if c.confidence >= ZERO_MATCH_CONFIDENCE
                 and c.text.strip() in prints.misread]
    if not page.bilevel:
        # ... and so is one whose own ink is one of the page's clear 0s, read surely
        # as 6 once or twice a page, too few to be known by their mean (10725-0031)
        doubtful += [c for c in cells if c.confidence >= ZERO_MATCH_CONFIDENCE
                     and c.text.strip() in MISREAD_ZERO and c.text.strip() not in prints.misread
                     and not sealed(c) and prints.prints_like_clear_zeros(crops[id(c)])]
    for c in doubtful:
        crop = crops[id(c)]
        if sealed(c):
            # a seal's remnants beside a 0 read as "10" or "9", as clear as a seal allows
            if c.text != "0" and (prints.reads_zero(crop) or prints.holds_centred_zero(crop)):
                c.text, c.confidence = "0", ZERO_MATCH_OBSCURED
        elif prints.reads_zero(crop):
            c.text, c.confidence = "0", ZERO_MATCH_CONFIDENCE


# A black-and-white scan's threshold can leave of a thin 0 two short upright specks,
# read surely as "1", "11" or "i:" (10387-0036); a digit's own strokes stand full height.
STROKES = re.compile(r"^[1il|!:;.'()]{1,3}$")
SHORT_MARK = 0.5  # of the page's text height: lower ink is no digit (digits: about 0.7)
# ... and on a black-and-white scan, upright specks this low are a 0's sides (10399-0037,
# 150 dpi: 0.5-0.56 of its text; its digits 0.69-0.75)
SHORT_STROKES = 0.6
MIN_LABELS = 5  # label cells a page needs before its text height is known


def too_short_for_digits(page: PageLayout, grids: list[Grid], cells: list[GridCell],
                         crops: dict[int, Any]) -> None:
    """Doubtful readings whose ink is far lower than the page's text are a blurred
    dash read as a digit or letter ("3", "520", "A" at 0.3): doubtful dashes. So, on a
    black-and-white scan, are readings of upright strokes however sure ("11" at 0.96:
    the specks a threshold left of a 0's sides)."""
    def strokes(c: GridCell) -> bool:
        return page.bilevel and STROKES.match(c.text.strip()) is not None

    doubtful = [c for c in cells if c.text.strip() and (
                    c.confidence < DOUBTFUL_DIGIT or strokes(c))
                and not any(is_cjk(ch) for ch in c.text) and c.text.strip() not in ("—", "/")]
    if not doubtful:
        return  # nothing to measure the page's text for
    heights = []
    for c in (c for g in grids for c in g.cells):
        if is_words(c.text):
            x0, y0, x1, y1 = (round(v * page.scale) for v in c.bbox)
            p = glyph_print(page.image[max(0, y0) : y1, max(0, x0) : x1])
            if p is not None:
                heights.append(p[1])
    if len(heights) < MIN_LABELS:
        return
    text_height = median(heights)
    for c in doubtful:
        height = ink_height(crops[id(c)], page.bilevel)
        short = SHORT_STROKES if strokes(c) else SHORT_MARK
        if height is not None and height < short * text_height:
            c.text, c.confidence = "—", BLOB_CONFIDENCE
