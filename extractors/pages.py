"""Stage 2: every page to a `PageLayout`, by its text layer or by OCR."""

from __future__ import annotations

from typing import Any

from extractors.errors import CorruptDocument, EngineError
from extractors.layout import OBSCURED_CONFIDENCE, Grid, GridCell, PageLayout
from extractors.loading import LoadedDocument
from extractors.options import ExtractOptions
from extractors.template.labels import squash


def read_all(doc: LoadedDocument, options: ExtractOptions) -> list[PageLayout]:
    from extractors.digital import has_text_layer, read_digital_page

    pages: list[PageLayout] = []
    for src in doc.pages:
        if src.pdf_index is not None:
            try:
                pdf_page = doc.pdf.pages[src.pdf_index]
                if has_text_layer(pdf_page):
                    pages.append(read_digital_page(pdf_page, len(pages) + 1))
                    pdf_page.close()
                    continue
                pdf_page.close()
            except Exception as exc:  # pdfminer's many error types on damaged pages
                raise CorruptDocument(
                    f"Page {src.number} of the PDF cannot be read ({type(exc).__name__}).",
                    hint="Export or download the PDF again.",
                ) from exc
            image = _rasterize(doc, src.pdf_index, options)
        else:
            image = src.image
        # pages are numbered as read: a tall image of stacked pages becomes several
        for part in _split_stacked(image):
            pages.append(_read_scan(part, len(pages) + 1, options))
    return pages


def _split_stacked(image: Any) -> list[Any]:
    try:
        from extractors.scan.stacked import split_stacked
    except ImportError:  # without the scan extras the reader below says what is missing
        return [image]
    return split_stacked(image)


def _rasterize(doc: LoadedDocument, index: int, options: ExtractOptions) -> Any:
    import pypdfium2 as pdfium

    try:
        page = doc.pdfium[index]
        w, h = page.get_size()
        scale = options.scan_dpi / 72.0
        if w * h * scale * scale > options.max_pixels:
            scale = (options.max_pixels / (w * h)) ** 0.5
        bitmap = page.render(scale=scale)
        import numpy as np

        image = np.asarray(bitmap.to_pil().convert("RGB"))
        page.close()
        return image
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(
            f"Page {index + 1} of the PDF cannot be rendered.",
            hint="Export or download the PDF again.",
        ) from exc


def _engine(options: ExtractOptions) -> Any:
    try:
        from extractors.ocr import get_engine
    except ImportError as exc:
        raise EngineError("The OCR engine is not installed.",
                          hint="Install the package with its OCR dependencies.") from exc
    return get_engine(options)


def _read_scan(image: Any, number: int, options: ExtractOptions) -> PageLayout:
    try:
        from extractors.scan import read_scan_page
    except ImportError as exc:
        raise EngineError("The scan reader is not available in this installation.",
                          hint="Install the package with its OCR dependencies.") from exc
    return read_scan_page(image, number, _engine(options))


def refine_scan_cells(page: PageLayout, grids: list[Grid], options: ExtractOptions) -> None:
    """Re-read short (numeric-looking) cells of scanned tables from their crops."""
    try:
        from extractors.scan import reread_cells
    except ImportError:
        return
    cells: list[GridCell] = [
        c for g in grids for c in g.cells
        if c.row_span == 1 and len(squash(c.text)) <= 8
    ]
    if cells:
        reread_cells(page, cells, _engine(options))
    if page.image is None:
        return
    from extractors.marks import check_reading
    from extractors.scan import overlaps

    image = page.image
    crops: dict[int, Any] = {}
    for c in cells:
        x0, y0, x1, y1 = (round(v * page.scale) for v in c.bbox)
        crop = image[max(0, y0) : y1, max(0, x0) : x1]
        if crop.size:
            text, c.confidence = check_reading(c.text, c.confidence, crop)
            if len(c.words) == 1 and text != c.text and len(text) == len(c.words[0].text):
                # character for character ("OOO" -> "000"): the word too, as a cell
                # that lost its column lines is split by its words' characters
                c.words[0].text = text
                c.words[0].confidence = min(c.words[0].confidence, c.confidence)
            c.text = text
            crops[id(c)] = crop
    _match_zeros(page, [c for c in cells if id(c) in crops], crops)
    _too_short_for_digits(page, grids, [c for c in cells if id(c) in crops], crops)
    for c in (c for g in grids for c in g.cells):  # tall cells too: any may hold a number
        if overlaps(c.bbox, page.obscured):
            c.confidence = min(c.confidence, OBSCURED_CONFIDENCE)
            c.obscured = True


# Below validation's LOW_CONFIDENCE: a 0 told by its ink alone counts only where an
# identity that holds vouches for it (table 2 has none; there it is for review).
ZERO_MATCH_CONFIDENCE = 0.84
ZERO_MATCH_OBSCURED = 0.7  # under a seal its remnants may have made the match


def _match_zeros(page: PageLayout, cells: list[GridCell], crops: dict[int, Any]) -> None:
    """Doubtful readings whose ink is one of the page's clear 0s read 0."""
    from extractors.scan import overlaps
    from extractors.scan.glyphs import SAMPLE_CONFIDENCE, PagePrints

    def sealed(c: GridCell) -> bool:
        return overlaps(c.bbox, page.obscured)

    prints = PagePrints([(c.text, crops[id(c)]) for c in cells
                         if c.confidence >= SAMPLE_CONFIDENCE and not sealed(c)])
    for c in cells:
        if c.confidence >= ZERO_MATCH_CONFIDENCE:
            continue
        crop = crops[id(c)]
        if sealed(c):
            # a seal's remnants beside a 0 read as "10" or "9", as clear as a seal allows
            if c.text != "0" and (prints.reads_zero(crop) or prints.holds_centred_zero(crop)):
                c.text, c.confidence = "0", ZERO_MATCH_OBSCURED
        elif prints.reads_zero(crop):
            c.text, c.confidence = "0", ZERO_MATCH_CONFIDENCE


SHORT_MARK = 0.5  # of the page's text height: lower ink is no digit (digits: about 0.7)
MIN_LABELS = 5  # label cells a page needs before its text height is known


def _too_short_for_digits(page: PageLayout, grids: list[Grid], cells: list[GridCell],
                          crops: dict[int, Any]) -> None:
    """Doubtful readings whose ink is far lower than the page's text are a blurred
    dash read as a digit or letter ("3", "520", "A" at 0.3): doubtful dashes."""
    from statistics import median

    from extractors.marks import BLOB_CONFIDENCE, DOUBTFUL_DIGIT
    from extractors.scan.glyphs import glyph_print, ink_height

    heights = []
    for c in (c for g in grids for c in g.cells):
        if sum("\u4e00" <= ch <= "\u9fff" for ch in c.text) >= 2:
            x0, y0, x1, y1 = (round(v * page.scale) for v in c.bbox)
            p = glyph_print(page.image[max(0, y0) : y1, max(0, x0) : x1])
            if p is not None:
                heights.append(p[1])
    if len(heights) < MIN_LABELS:
        return
    text_height = median(heights)
    for c in cells:
        t = c.text.strip()
        if not t or c.confidence >= DOUBTFUL_DIGIT or any("\u4e00" <= ch <= "\u9fff" for ch in t) \
                or t in ("—", "/"):
            continue
        height = ink_height(crops[id(c)])
        if height is not None and height < SHORT_MARK * text_height:
            c.text, c.confidence = "—", BLOB_CONFIDENCE
