"""The scan path: a page image in, a `PageLayout` out.

    prepare (seal, outline, orientation, skew, curl)
    -> rulings from pixels
    -> text: with an engine that can detect alone (`Detector`), the fast path:
         inside ruled tables, each cell's ink lines recognised from their own
         crops (blank cells cost nothing; no detector);
         outside tables, the detector on the inked bands, at reduced resolution;
       with any other engine, full-page OCR; lines crossed by a vertical ruling
       split and re-read
    -> PageLayout(kind="scan"), every coordinate in the prepared image

`reread_cells` re-reads short table cells from their own crops, which is more
accurate for digits than the page-level reading (no neighbouring text, no
detector box clipping a digit); cells the fast path already read that way are
skipped.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from extractors.layout import OBSCURED_CONFIDENCE, GridCell, PageLayout, Ruling, Word
from extractors.ocr import Detector, DigitScorer, OcrEngine, OcrLine, Orienter
from extractors.scan.fast import DASH, CellWord, ShapeWord, is_words, read_words_fast
from extractors.scan.prepare import Prepared, binarize, prepare_page, turn_180
from extractors.scan.rulings import detect_rulings

ORIENTATION_SAMPLES = 6
CLASSIFIER_SAMPLES = 12  # lines given to an engine's orientation classifier
TURN_MARGIN = 0.03  # mean confidence by which the turned reading must win
MIN_TURN_LINES = 2  # text lines a turned reading must rest on to outweigh upright ones
PORTRAIT = 1.2  # height / width beyond which a page is surely upright A4 (1.41)
INK_CONTRAST = 80  # grey levels below the paper for a blob to count as printed
CLASSIFIER_SURE = 0.25  # mean "turned" probability below this (above 1 - this) decides
SPLIT_MARGIN = 4  # px kept clear of a ruling when cutting a line at it
UNREAD_INK_CONFIDENCE = 0.5  # a cell with ink that no reading explains
MIN_INK_AREA = 12  # px: smaller specks in a cell crop are noise
SETTLED_CONFIDENCE = 0.9  # a fast-path reading this sure is not read again
NONE = "无"  # the zero mark some reports print


def read_scan_page(image: np.ndarray, number: int, engine: OcrEngine, *,
                   two_tone: bool | None = None) -> PageLayout:
    """OCR one page image (RGB, RGBA or gray uint8). Raises EngineError from the engine.

    `two_tone`: whether the scan was black and white, where the image no longer
    shows it (a PDF page rendered at another resolution); None: judged from the image.
    """
    prepared = prepare_page(image, two_tone=two_tone)
    if "rotated_90" in prepared.steps:
        # Ink shapes said the text runs down the page; a page of tables with few
        # text lines (rows of dashes, stacked column labels) can look so too.
        # (black and white or not was judged once, from the same image)
        upright = prepare_page(image, turn=False, two_tone=prepared.bilevel)
        (turned_reads, turned_lines), (upright_reads, upright_lines) = (
            _legibility(prepared, engine), _legibility(upright, engine))
        # One short blob read well turned (a lone "1" of a page holding a table's
        # last rows) says less than the lines read upright.
        thin = turned_lines < MIN_TURN_LINES <= upright_lines
        if upright_reads > turned_reads + TURN_MARGIN or (
            (thin or abs(upright_reads - turned_reads) <= TURN_MARGIN)
            and _portrait(upright) and not _portrait(prepared)
        ):
            # When the text cannot tell (a blurred photo may show no line either
            # way), the page's shape does: these reports are printed on A4 portrait.
            prepared = upright
    if _upside_down(prepared, engine):
        prepared = turn_180(prepared)
    rulings = detect_rulings(prepared.binary, prepared.seals, dotted=prepared.bilevel)
    if isinstance(engine, Detector):
        words = read_words_fast(prepared, rulings, engine)
    else:
        lines = engine.read_page(prepared.rgb)
        words = _words(prepared.rgb, lines, rulings, engine)
    for wd in words:
        if overlaps(wd.bbox, prepared.seals):
            wd.confidence = min(wd.confidence, OBSCURED_CONFIDENCE)
    h, w = prepared.gray.shape
    return PageLayout(
        number=number,
        width=float(w),
        height=float(h),
        kind="scan",
        words=words,
        rulings=rulings,
        image=prepared.rgb,
        scale=1.0,
        obscured=list(prepared.seals),
        bilevel=prepared.bilevel,
    )


def overlaps(box: tuple[float, float, float, float],
             regions: list[tuple[float, float, float, float]]) -> bool:
    x0, t, x1, b = box
    return any(x0 < rx1 and rx0 < x1 and t < rb and rt < b for rx0, rt, rx1, rb in regions)


def _line_blobs(binary: np.ndarray, gray: np.ndarray,
                limit: int) -> list[tuple[int, int, int, int]]:
    """Boxes of the widest text-line-like ink blobs holding ink far darker than the
    paper (noise on a blank stretch of a photo binarises into blobs of text size too)."""
    h, w = binary.shape
    k = max(9, w // 80)
    smear = cv2.dilate(binary, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 3)))
    n, _l, stats, _c = cv2.connectedComponentsWithStats(smear)
    lo, hi = max(10, h // 250), max(40, h // 30)
    # (one touching the image's edge is what is left of a photo's background: a line
    # of text has paper around it; 10399-0047 was turned over by one)
    boxes = [
        (int(x), int(y), int(bw), int(bh))
        for x, y, bw, bh, _a in stats[1:n]
        if lo <= bh <= hi and bw >= 4 * bh and bw < 0.9 * w
        and x > 0 and y > 0 and x + bw < w and y + bh < h
    ]
    paper = float(np.percentile(gray, 90))
    boxes = [b for b in boxes
             if float(np.percentile(gray[b[1] : b[1] + b[3], b[0] : b[0] + b[2]], 5))
             < paper - INK_CONTRAST]
    boxes.sort(key=lambda b: -b[2])
    return boxes[:limit]


def _line_crops(p: Prepared, limit: int, chars: int) -> list[np.ndarray]:
    crops = []
    for x, y, bw, bh in _line_blobs(p.binary, p.gray, limit):
        c = p.rgb[max(0, y - 3) : y + bh + 3, max(0, x - 3) : x + bw + 3]
        crops.append(np.ascontiguousarray(c[:, : chars * c.shape[0]]))  # a few characters
    return crops


def _upside_down(p: Prepared, engine: OcrEngine) -> bool:
    """Whether the page is upside down. An engine's orientation classifier decides
    when it is sure (most pages, for a few milliseconds); otherwise the engine's
    confidence on a few text lines read upright and turned is compared."""
    if isinstance(engine, Orienter):
        crops = _line_crops(p, CLASSIFIER_SAMPLES, 4)
        if len(crops) >= 2:
            turned = float(np.mean(engine.turned(crops)))
            if turned < CLASSIFIER_SURE or turned > 1 - CLASSIFIER_SURE:
                return turned > 0.5
    read = _read_both_ways(p, engine, least=2)
    if read is None:
        return False
    up, down = read
    # upright is the rule: turning needs the turned reading to be clearly better
    return down > up + TURN_MARGIN


def _portrait(p: Prepared) -> bool:
    h, w = p.gray.shape
    return h >= PORTRAIT * w


def _legibility(p: Prepared, engine: OcrEngine) -> tuple[float, int]:
    """Mean recognition confidence of a few text lines of the page, read upright or
    turned, whichever is better (0 without text lines), and how many lines it rests on."""
    crops = _line_crops(p, ORIENTATION_SAMPLES, 10)
    read = _read_both_ways(p, engine, least=1, crops=crops)
    return (max(read) if read is not None else 0.0), len(crops)


def _read_both_ways(p: Prepared, engine: OcrEngine, least: int,
                    crops: list[np.ndarray] | None = None) -> tuple[float, float] | None:
    """Mean confidence of a few text lines read as they stand and turned by 180
    degrees; None with fewer than `least` lines."""
    if crops is None:
        crops = _line_crops(p, ORIENTATION_SAMPLES, 10)
    if len(crops) < least:
        return None
    turned = [np.ascontiguousarray(cv2.rotate(c, cv2.ROTATE_180)) for c in crops]
    got = engine.recognize(crops + turned)
    return (float(np.mean([s for _, s in got[: len(crops)]])),
            float(np.mean([s for _, s in got[len(crops) :]])))


def _crossings(line: OcrLine, verticals: list[Ruling]) -> list[float]:
    x0, top, x1, bottom = line.bbox
    cy = (top + bottom) / 2
    return sorted(
        v.x0
        for v in verticals
        if x0 + SPLIT_MARGIN < v.x0 < x1 - SPLIT_MARGIN and v.top - 2 <= cy <= v.bottom + 2
    )


def _words(
    rgb: np.ndarray, lines: list[OcrLine], rulings: list[Ruling], engine: OcrEngine
) -> list[Word]:
    """One word per OCR line; a line crossed by a vertical ruling is cut there and each
    piece re-read, so text from two cells never becomes one word."""
    verticals = [r for r in rulings if not r.horizontal]
    words: list[Word] = []
    pieces: list[tuple[float, float, float, float]] = []
    for line in lines:
        cuts = _crossings(line, verticals)
        if not cuts:
            words.append(Word(line.text, line.bbox, line.confidence, source="ocr"))
            continue
        x0, top, x1, bottom = line.bbox
        edges = [x0, *cuts, x1]
        for a, b in itertools.pairwise(edges):
            a2 = a + (SPLIT_MARGIN if a != x0 else 0)
            b2 = b - (SPLIT_MARGIN if b != x1 else 0)
            if b2 - a2 >= 6:
                pieces.append((a2, top, b2, bottom))
    if pieces:
        crops = [_crop(rgb, box) for box in pieces]
        keep = [i for i, c in enumerate(crops) if c is not None and _has_ink(c)]
        got = engine.recognize([crops[i] for i in keep])  # type: ignore[misc]
        for i, (text, conf) in zip(keep, got, strict=True):
            if text.strip():
                words.append(Word(text, pieces[i], conf, source="ocr"))
    words.sort(key=lambda wd: (round(wd.top / 8), wd.x0))
    return words


def _crop(
    rgb: np.ndarray, box: tuple[float, float, float, float], pad: int = 0
) -> np.ndarray | None:
    h, w = rgb.shape[:2]
    x0, y0 = max(0, int(box[0]) - pad), max(0, int(box[1]) - pad)
    x1, y1 = min(w, int(np.ceil(box[2])) + pad), min(h, int(np.ceil(box[3])) + pad)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return np.ascontiguousarray(rgb[y0:y1, x0:x1])


def _has_ink(crop: np.ndarray) -> bool:
    g = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    return bool((g < 128).mean() > 0.003)


def _ink_box(crop: np.ndarray) -> tuple[int, int, int, int] | None:
    """Tight box of the ink in a cell crop, or None; None too when it holds several lines."""
    g = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    b = binarize(g) if min(g.shape) >= 31 else (g < 140).astype(np.uint8) * 255
    b = cv2.morphologyEx(b, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    # JPEG speckle and stretches of the cell's own rulings are not its text.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(b, connectivity=8)
    h_crop, w_crop = b.shape
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, cw, ch, area = (int(v) for v in stats[i, :5])
        ruling = (ch <= 3 and (cw >= 0.3 * w_crop or (cw >= 3 * ch and y in (0, h_crop - ch)))) \
            or (cw <= 3 and ch >= 3 * cw and x in (0, w_crop - cw)) \
            or (cw <= 4 and ch >= 0.9 * h_crop and min(x, w_crop - x - cw) < 0.2 * w_crop)
        # (the last: a column line the inset did not clear, a few px inside the crop)
        keep[i] = area >= MIN_INK_AREA and not ruling
    b = np.where(keep[labels], 255, 0).astype(np.uint8)
    rows = np.nonzero(b.sum(axis=1) > 0)[0]
    cols = np.nonzero(b.sum(axis=0) > 0)[0]
    if rows.size == 0:
        return None
    gaps = np.diff(rows)
    if (gaps > max(4, (rows[-1] - rows[0]) // 6)).any():
        return None  # more than one text line
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def reread_cells(page: PageLayout, cells: list[GridCell], engine: OcrEngine) -> None:
    """Re-recognise each cell from its own crop; keep the reading with more confidence.

    Only single-line cell contents are re-read. Cells whose crop holds no ink keep
    their text, and so do cells the fast path read surely from their own crop or
    knew by the shape of their ink (`ShapeWord`). Raises EngineError from the engine.
    """
    img = page.image
    read_whole = [bool(c.words) and all(isinstance(w, CellWord) for w in c.words) for c in cells]
    # a cell the fast path read from its crop is read again only for a number
    numbers_only = {id(c) for c, whole in zip(cells, read_whole, strict=True) if whole}
    cells = [c for c, whole in zip(cells, read_whole, strict=True)
             if not whole or not (_settled(c) or all(isinstance(w, ShapeWord) for w in c.words))]
    if img is None or not cells:
        return
    todo: list[tuple[GridCell, np.ndarray]] = []
    for cell in cells:
        tight = _cell_crops(img, cell.bbox, page.scale)[1]
        if tight is not None:
            todo.append((cell, tight))
    if not todo:
        return
    got = engine.recognize([t for _, t in todo])
    for (cell, _t), (text, conf) in zip(todo, got, strict=True):
        text = text.strip()
        if id(cell) in numbers_only and not _better_number(cell, text, conf):
            continue
        upgrade = _numeric(text) and not _numeric(cell.text) and conf >= 0.8
        # A cell taken for blank (full confidence) whose crop holds a line of ink:
        # a fair reading there beats nothing, and if there is none the blank is
        # doubtful (faint digits the detector missed must not pass as a certain 0;
        # a speck read as a digit must not become a number either).
        blank = not cell.text.strip()
        fair = blank and conf >= UNREAD_INK_CONFIDENCE
        if text and (conf > cell.confidence or upgrade or fair):
            cell.text = text.replace(" ", "") if _numeric(text) else text
            cell.confidence = conf
        elif blank:
            cell.confidence = min(cell.confidence, UNREAD_INK_CONFIDENCE)


def score_cells(page: PageLayout, cells: list[GridCell], engine: OcrEngine) -> None:
    """The recogniser's evidence for each count (`GridCell.scores`), from each cell's
    crop, where the engine can give it: the identities may leave several sets of
    counts for cells under a seal, and this weighs them. Asked of the engine only
    when first wanted (`InkScores`): most seals leave the identities one answer."""
    if page.image is None or not cells or not isinstance(engine, DigitScorer):
        return
    for cell in cells:
        cell.scores = InkScores(engine, page, cell.bbox)


class InkScores:
    """One cell's `digit_scores`, from its crop (cut to its ink), computed on the
    first call and kept; None where the cell holds no crop. Raises EngineError then."""

    def __init__(self, engine: DigitScorer, page: PageLayout,
                 bbox: tuple[float, float, float, float]) -> None:
        self._engine: DigitScorer | None = engine
        self._page: PageLayout | None = page
        self._bbox = bbox
        self._scores: np.ndarray | None = None

    def __call__(self) -> np.ndarray | None:
        if self._engine is not None and self._page is not None:
            crop, tight = _cell_crops(self._page.image, self._bbox, self._page.scale)
            if crop is not None:
                self._scores = self._engine.digit_scores(
                    [tight if tight is not None else crop])[0]
            self._engine = self._page = None
        return self._scores


def _cell_crops(image: np.ndarray, bbox: tuple[float, float, float, float],
                k: float) -> tuple[np.ndarray | None, np.ndarray | None]:
    """A cell's crop inside its rulings, and that crop cut to its ink with a margin
    (None when it holds no ink, or several lines)."""
    inset = max(3, round(3 * k))
    x0, top, x1, bottom = (v * k for v in bbox)
    crop = _crop(image, (x0 + inset, top + inset, x1 - inset, bottom - inset))
    box = None if crop is None else _ink_box(crop)
    if crop is None or box is None:
        return crop, None
    bx0, by0, bx1, by1 = box
    pad = max(4, (by1 - by0) // 4)
    tight = crop[max(0, by0 - pad) : by1 + pad, max(0, bx0 - pad) : bx1 + pad]
    return crop, np.ascontiguousarray(tight)


def _settled(cell: GridCell) -> bool:
    """A cell the fast path read as words, or surely as a number, a dash or 无: its
    crop, cut by the ink's own threshold, would say the same. Faint digits cut from
    the page's binary mask read as a character ('曹' for 2, '。10') and are read
    again; words are not (a second reading is kept only if it is a number, and no
    number reads as two Chinese characters, whatever the confidence)."""
    text = cell.text.strip()
    if is_words(text):
        return True
    return cell.confidence >= SETTLED_CONFIDENCE and (_numeric(text) or text in (DASH, NONE))


def _better_number(cell: GridCell, text: str, conf: float) -> bool:
    """Whether a second reading of a cell the fast path read beats the first: another
    number, read more surely. Not the same number again (that would only inflate its
    confidence), and not a number for a dash (noise read on a blurred mark)."""
    first = cell.text.strip()
    return _numeric(text) and text != first and conf > cell.confidence and first != DASH


def _numeric(text: str) -> bool:
    # ASCII only: "²" is a digit to isdigit() and an odd reading, not a better one.
    return bool(text) and all(ch in "0123456789 ,.-" for ch in text)


__all__ = ["OBSCURED_CONFIDENCE", "overlaps", "read_scan_page", "reread_cells"]
