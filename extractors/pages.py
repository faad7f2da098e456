"""Stage 2: every page to a `PageLayout`, by its text layer or by OCR."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
            two_tone = _scanned_black_and_white(doc, src.pdf_index)
        else:
            image, two_tone = src.image, None
        # pages are numbered as read: a tall image of stacked pages becomes several
        for part in _split_stacked(image):
            pages.append(_read_scan(part, len(pages) + 1, options, two_tone))
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


def _scanned_black_and_white(doc: LoadedDocument, index: int) -> bool | None:
    """Whether a PDF page that holds one image (a scan) holds a black-and-white one.

    The page is rendered at `scan_dpi`, and scaling a 150-dpi black-and-white scan
    to it greys the edges of its ink: the rendering no longer shows what the scan
    was. None when the page holds no single image, or it cannot be read.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        from extractors.scan.prepare import bilevel
    except ImportError:  # without the scan extras there is no scan to read
        return None
    import numpy as np

    try:
        page = doc.pdfium[index]
    except pdfium.PdfiumError:
        return None
    try:
        images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
        if len(images) != 1:
            return None
        pixels = np.asarray(images[0].get_bitmap(render=False).to_pil().convert("RGB"))
        return bilevel(pixels)
    except (pdfium.PdfiumError, OSError, ValueError):
        return None
    finally:
        page.close()


def _engine(options: ExtractOptions) -> Any:
    try:
        from extractors.ocr import get_engine
    except ImportError as exc:
        raise EngineError("The OCR engine is not installed.",
                          hint="Install the package with its OCR dependencies.") from exc
    return get_engine(options)


def _read_scan(image: Any, number: int, options: ExtractOptions,
               two_tone: bool | None = None) -> PageLayout:
    try:
        from extractors.scan import read_scan_page
    except ImportError as exc:
        raise EngineError("The scan reader is not available in this installation.",
                          hint="Install the package with its OCR dependencies.") from exc
    return read_scan_page(image, number, _engine(options), two_tone=two_tone)


@dataclass
class ReadCells:
    """A scanned page's short cells once read again and checked against their ink,
    with the crop each was judged by."""

    cells: list[GridCell] = field(default_factory=list)
    crops: dict[int, Any] = field(default_factory=dict)


def refine_scan_cells(page: PageLayout, grids: list[Grid], options: ExtractOptions) -> None:
    """Re-read short (numeric-looking) cells of scanned tables from their crops, then
    check each reading against its ink and against the page's own print."""
    judge_scan_cells(page, grids, read_scan_cells(page, grids, options), options)


def refine_document_cells(pages: list[tuple[PageLayout, list[Grid]]],
                          options: ExtractOptions) -> None:
    """`refine_scan_cells` for every scanned page of one document; a page printing too
    few clear 0s to know its own borrows those of the document's other pages (the same
    print, scanned alike)."""
    from extractors.scan.page_print import clear_prints

    read = [(page, grids, read_scan_cells(page, grids, options)) for page, grids in pages]
    prints = {id(page): clear_prints(page, r.cells, r.crops) for page, _g, r in read}
    for page, grids, r in read:
        borrowed = [p for other, _g, _r in read if other is not page
                    and other.bilevel == page.bilevel for p in prints[id(other)]]
        judge_scan_cells(page, grids, r, options, borrowed)


def read_scan_cells(page: PageLayout, grids: list[Grid], options: ExtractOptions) -> ReadCells:
    """Short cells re-read from their crops, each reading checked against its ink."""
    cells: list[GridCell] = [
        c for g in grids for c in g.cells
        if c.row_span == 1 and len(squash(c.text)) <= 8
    ]
    try:
        from extractors.scan import reread_cells
    except ImportError:
        return ReadCells()
    if cells:
        reread_cells(page, cells, _engine(options))
    if page.image is None:
        return ReadCells()
    from extractors.marks import check_reading

    image = page.image
    out = ReadCells()
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
            out.cells.append(c)
            out.crops[id(c)] = crop
    return out


def judge_scan_cells(page: PageLayout, grids: list[Grid], read: ReadCells,
                     options: ExtractOptions, borrowed: Sequence[tuple[str, Any]] = ()) -> None:
    """Readings judged against the page's own print (`borrowed`: clear prints of the
    document's other pages, for a page with too few of its own); every cell under a
    seal made doubtful."""
    if page.image is None:
        return
    try:
        from extractors.scan import overlaps, score_cells
        from extractors.scan.page_print import match_zeros, too_short_for_digits
    except ImportError:
        return

    match_zeros(page, read.cells, read.crops, borrowed)
    too_short_for_digits(page, grids, read.cells, read.crops)
    for c in (c for g in grids for c in g.cells):  # tall cells too: any may hold a number
        if overlaps(c.bbox, page.obscured):
            c.confidence = min(c.confidence, OBSCURED_CONFIDENCE)
            c.obscured = True
    score_cells(page, [c for c in read.cells if c.obscured], _engine(options))
