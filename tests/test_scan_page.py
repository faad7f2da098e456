"""read_scan_page and reread_cells with the real OCR engine on a small synthetic table,
by the fast route (cells read from their crops) and by full-page OCR; the cell-ink rules."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from extractors.layout import GridCell, PageLayout
from extractors.ocr import Detector, OcrEngine, OcrLine, get_engine
from extractors.scan import read_scan_page, reread_cells
from extractors.scan.fast import NUMBERS_GAP, CellWord

FIXTURES = Path(__file__).parent / "fixtures" / "scan"
XS = [20, 380, 520, 660]
YS = [190, 250, 310, 370]


def _page() -> tuple[np.ndarray, dict[tuple[int, int], str]]:
    """Label text above a 2x3 table whose digit cells hold 8 / 306 / 1579 / 0."""
    lines = np.asarray(Image.open(FIXTURES / "text_lines.png").convert("L"))
    digits = np.asarray(Image.open(FIXTURES / "digits_strip.png").convert("L"))
    page = np.full((420, 700), 255, np.uint8)
    page[10:65, 20:640] = lines[5:60, :620]  # 本年新收政府信息公开申请数量
    glyph = {t: digits[:, i * 105 : i * 105 + 100] for i, t in enumerate(["8", "306", "1579", "0"])}
    values = {(0, 1): "306", (0, 2): "8", (1, 1): "1579", (1, 2): "0"}
    for (r, c), t in values.items():
        g = glyph[t]
        page[YS[r] + 5 : YS[r] + 5 + g.shape[0], XS[c] + 20 : XS[c] + 20 + g.shape[1]] = g
    page[YS[0] + 4 : YS[0] + 59, 30:370] = lines[65:120, 10:350]  # 予以公开 1836, in one cell
    for y in YS:
        cv2.line(page, (XS[0], y), (XS[-1], y), 0, 2)
    for x in XS:
        cv2.line(page, (x, YS[0]), (x, YS[-1]), 0, 2)
    # One text line straddling a vertical ruling: "总计" left of x=380, "2907" right of it.
    total = lines[120:175, :]
    band = page[YS[2] + 3 : YS[2] + 58, 312:492]
    band[:] = np.minimum(band, total[:, 10:190])
    return cv2.cvtColor(page, cv2.COLOR_GRAY2RGB), values


@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    return get_engine()


def test_scan_page_words_rulings_and_split(engine: OcrEngine) -> None:
    rgb, _ = _page()
    page = read_scan_page(rgb, 3, engine)
    assert (page.kind, page.number, page.scale) == ("scan", 3, 1.0)
    assert page.image.shape[:2] == (int(page.height), int(page.width))
    assert all(w.source == "ocr" for w in page.words)
    texts = [w.text.replace(" ", "") for w in page.words]
    assert "本年新收政府信息公开申请数量" in texts
    for t in ("306", "8", "1579", "0"):
        assert t in texts
    # the straddling line is cut at the ruling: no word crosses x = 380
    assert not any(w.x0 < 376 and w.x1 > 384 and w.top > YS[0] for w in page.words)
    assert "总计" in texts and "2907" in texts
    assert sum(r.horizontal for r in page.rulings) == len(YS)
    assert sum(not r.horizontal for r in page.rulings) == len(XS)


def test_upside_down_page_is_turned(engine: OcrEngine) -> None:
    rgb, _ = _page()
    page = read_scan_page(np.ascontiguousarray(rgb[::-1, ::-1]), 1, engine)
    texts = [w.text.replace(" ", "") for w in page.words]
    assert "本年新收政府信息公开申请数量" in texts
    title = next(w for w in page.words if w.text.startswith("本年"))
    assert title.top < page.height / 3


def test_a_strip_of_background_along_the_edge_is_no_text_line_to_orient_by() -> None:
    from extractors.scan import _line_blobs

    # 10399-0047: a page holding a table's last two rows, and a dark strip of the
    # photo's background left along its top edge; read turned, the strip outweighed
    # the two labels and the page was turned over.
    rgb, _ = _page()
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    gray[0:10, 0:300] = 60
    binary = np.where(gray < 128, 255, 0).astype(np.uint8)
    blobs = _line_blobs(binary, gray, 12)
    assert blobs and all(x > 0 and y > 0 for x, y, _w, _h in blobs)
    assert any(y < 70 and w > 300 for _x, y, w, _h in blobs)  # the label line stays


def test_reread_cells_corrects_from_crops(engine: OcrEngine) -> None:
    rgb, values = _page()
    page = read_scan_page(rgb, 1, engine)
    cells = [
        GridCell(
            row=r,
            col=c,
            row_span=1,
            col_span=1,
            page=1,
            bbox=(XS[c], YS[r], XS[c + 1], YS[r + 1]),
            text="?",
            confidence=0.3,
        )
        for (r, c) in values
    ]
    reread_cells(page, cells, engine)
    assert {(c.row, c.col): c.text for c in cells} == values
    assert all(c.confidence > 0.8 for c in cells)
    # a confident reading is kept when the crop is no better
    sure = GridCell(
        row=0,
        col=1,
        row_span=1,
        col_span=1,
        page=1,
        bbox=(XS[1], YS[0], XS[2], YS[1]),
        text="306",
        confidence=1.0,
    )
    reread_cells(page, [sure], engine)
    assert (sure.text, sure.confidence) == ("306", 1.0)


class Counting:
    """An engine without `detect` (the full-page route), counting recognised crops."""

    name = "counting"

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.crops = 0

    def read_page(self, image: np.ndarray) -> list[OcrLine]:
        return self.engine.read_page(image)

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        self.crops += len(crops)
        return self.engine.recognize(crops)


class Packing(Counting):
    """The fast route's engine (`detect`, `recognize_packed`), keeping what it was
    asked to read alone and what packed."""

    def __init__(self, engine: OcrEngine) -> None:
        super().__init__(engine)
        self.alone: list[np.ndarray] = []
        self.packed: list[np.ndarray] = []
        self.numbers: list[np.ndarray] = []  # packed wider apart, as numbers

    def detect(self, image: np.ndarray, scale: float = 1.0) -> list[OcrLine]:
        return self.engine.detect(image, scale)  # type: ignore[attr-defined,no-any-return]

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        self.alone += crops
        return super().recognize(crops)

    def recognize_packed(self, crops: list[np.ndarray], **how: int) -> list[tuple[str, float]]:
        if how.get("gap") == NUMBERS_GAP:
            self.numbers += crops
        else:
            self.packed += crops
        return self.engine.recognize_packed(crops, **how)  # type: ignore[attr-defined,no-any-return]


def test_fast_route_reads_labels_packed_and_numbers_alone(engine: OcrEngine) -> None:
    rgb, values = _page()
    spy = Packing(engine)
    page = read_scan_page(rgb, 1, spy)
    cells = {(c.row, c.col): c for c in _grid_cells(page)}
    for (r, c), text in values.items():
        assert cells[(r, c)].text == text
    assert cells[(0, 0)].text.replace(" ", "") == "予以公开1836"
    # every cell line went packed first; the numbers were read again apart from the
    # words, since a digit read among its neighbours' characters may take their context
    assert spy.packed
    packed = [t.replace(" ", "") for t, _ in engine.recognize_packed(spy.packed)]
    assert "予以公开1836" in packed
    numbers = [t for t, _ in engine.recognize(spy.numbers)]
    assert {"306", "8", "1579"} <= set(numbers)
    assert not set("予以公开") & set("".join(numbers))


def test_a_heading_set_one_character_a_line_is_read_packed_as_one_text(
        engine: OcrEngine) -> None:
    from PIL import ImageDraw, ImageFont

    from samples.generator.fonts import FONTS, font_file

    font = ImageFont.truetype(str(font_file("wqy-zenhei")), 30, index=FONTS["wqy-zenhei"][1])
    im = Image.new("L", (700, 420), 255)
    draw = ImageDraw.Draw(im)
    xs, ys = [20, 200, 480, 660], [60, 330]
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=2)
    for k, ch in enumerate("结果维持"):  # one character a line, as narrow columns print it
        draw.text((95, 75 + 62 * k), ch, font=font, fill=0)
    draw.text((260, 150), "予以公开", font=font, fill=0)  # a label over a number
    draw.text((300, 210), "36", font=font, fill=0)
    draw.text((550, 180), "2907", font=font, fill=0)
    spy = Packing(engine)
    page = read_scan_page(cv2.cvtColor(np.asarray(im), cv2.COLOR_GRAY2RGB), 1, spy)
    cells = {c.col: c for c in _grid_cells(page)}
    assert [cells[c].text.replace(" ", "") for c in range(3)] == ["结果维持", "予以公开36", "2907"]
    assert len(cells[0].words) == 4  # each line keeps its own word, and its place
    again = [t for t, _ in engine.recognize(spy.numbers + spy.alone)]
    assert "36" in again and "2907" in again  # numbers are read apart from words
    assert not set("结果维持") & set("".join(again))  # the heading's packed reading stood


def _grid_cells(page: PageLayout) -> list[GridCell]:
    from extractors.grid import build_grids

    return [c for g in build_grids(page) for c in g.cells]


def test_fast_route_reads_cells_from_their_crops_and_skips_blank_ones(engine: OcrEngine) -> None:
    assert isinstance(engine, Detector)
    rgb, values = _page()
    page = read_scan_page(rgb, 1, engine)
    cells = {(c.row, c.col): c for c in _grid_cells(page)}
    for (r, c), text in values.items():
        assert cells[(r, c)].text == text and cells[(r, c)].confidence > 0.9
        assert all(isinstance(w, CellWord) for w in cells[(r, c)].words)
    assert cells[(1, 0)].text == "" and cells[(1, 0)].words == []  # a blank cell
    # nothing to re-read: every short cell was read from its own crop already
    spy = Counting(engine)
    reread_cells(page, list(cells.values()), spy)
    assert spy.crops == 0
    # the prose above the table came from the detector
    above = [w for w in page.words if w.bottom < YS[0]]
    assert [w.text for w in above] == ["本年新收政府信息公开申请数量"]
    assert not any(isinstance(w, CellWord) for w in above)


def test_a_cell_the_fast_route_misread_gets_a_second_look_for_a_number_only(
        engine: OcrEngine) -> None:
    # Faint digits cut from the page's binary mask read as a character ('曹' for a 2);
    # the cell's own crop, cut at its own threshold, says the number.
    rgb, values = _page()
    page = read_scan_page(rgb, 1, engine)
    cells = {(c.row, c.col): c for c in _grid_cells(page)}

    def misread(rc: tuple[int, int], text: str, conf: float) -> GridCell:
        cell = cells[rc]
        cell.text, cell.confidence = text, conf
        cell.words = [CellWord(text, cell.words[0].bbox, conf, source="ocr")]
        return cell

    garbled = misread((0, 1), "曹6", 0.07)
    same = misread((1, 2), "0", 0.85)  # the same number again is no better evidence
    dash = misread((0, 2), "—", 0.1)  # a blurred dash stays a dash
    reread_cells(page, [garbled, same, dash], engine)
    assert (garbled.text, garbled.confidence > 0.9) == (values[(0, 1)], True)
    assert (same.text, same.confidence) == ("0", 0.85)
    assert (dash.text, dash.confidence) == ("—", 0.1)
    # a label the fast route read doubtfully keeps its words: a fragment of it read
    # "more surely" must not replace it
    label = misread((0, 0), "予以公开 1836", 0.6)
    reread_cells(page, [label], engine)
    assert label.text == "予以公开 1836"
    # and is not read again at all: no number reads as two Chinese characters
    spy = Counting(engine)
    reread_cells(page, [label], spy)
    assert spy.crops == 0
    # 无, a zero mark, read surely is settled like a dash; read doubtfully, it is not
    mark = misread((1, 2), "无", 0.95)
    reread_cells(page, [mark], spy)
    assert (spy.crops, mark.text) == (0, "无")
    mark = misread((1, 2), "无", 0.5)
    reread_cells(page, [mark], spy)
    assert spy.crops == 1


def test_engines_without_detect_get_full_page_ocr(engine: OcrEngine) -> None:
    rgb, values = _page()
    spy = Counting(engine)
    assert not isinstance(spy, Detector)
    page = read_scan_page(rgb, 1, spy)
    assert not any(isinstance(w, CellWord) for w in page.words)
    texts = [w.text.replace(" ", "") for w in page.words]
    assert "本年新收政府信息公开申请数量" in texts and set(values.values()) <= set(texts)
    cells = [c for c in _grid_cells(page) if c.text]
    before = spy.crops
    reread_cells(page, cells, spy)
    assert spy.crops - before >= len(values)  # full-page words are re-read from crops


def test_cell_ink_rules() -> None:
    from extractors.scan.cells import read_cells

    ink = np.zeros((120, 1100), np.uint8)
    cells = [(float(x), 0.0, float(x + 100), 120.0) for x in range(0, 1100, 100)]

    def put(x: int, y: int, w: int, h: int) -> None:
        ink[y : y + h, x : x + w] = 255

    put(20, 50, 30, 22)  # one line of text (22 px tall)
    put(120, 30, 40, 22)  # two lines
    put(120, 70, 50, 22)
    put(204, 4, 92, 3)  # what is left of a ruling along the top edge, and a digit
    put(240, 50, 10, 22)
    put(304, 5, 90, 2)  # only a ruling's remnant
    put(530, 40, 30, 4)  # 三: three strokes the gap rule would split into "lines"
    put(532, 52, 26, 4)
    put(528, 64, 34, 4)
    put(430, 58, 30, 3)  # a dash alone (a zero mark)
    put(620, 50, 30, 22)  # two more one-line cells
    put(720, 50, 30, 22)
    put(850, 60, 1, 1)  # a speck of noise
    put(930, 60, 8, 3)  # a short hyphen in a narrow font, also a zero mark
    put(1030, 60, 6, 3)  # a smaller one, beside a ruling's one-pixel sliver
    put(1005, 20, 1, 29)
    got = read_cells(ink, cells)
    assert got[0].lines == [(20.0, 50.0, 50.0, 72.0)]
    assert got[1].lines == [(120.0, 30.0, 160.0, 52.0), (120.0, 70.0, 170.0, 92.0)]
    assert got[2].lines == [(240.0, 50.0, 250.0, 72.0)]
    assert got[3].lines == [] and not got[3].needs_detection  # blank
    assert got[4].dash and got[4].lines == []  # given as "—", not to the recogniser
    assert got[5].lines == [] and got[5].needs_detection
    assert got[8].lines == [] and not got[8].needs_detection
    assert not any(c.needs_detection for i, c in enumerate(got) if i != 5)
    # blocks of text height are not dashes
    assert [i for i, c in enumerate(got) if c.dash] == [4, 9, 10]


def test_pieces_of_a_curled_ruling_along_a_cells_edge_leave_it_one_line() -> None:
    from extractors.scan.cells import read_cells

    # 10227-0031 (a 150-dpi photo, its page curled): the row line above "226" left
    # 1-px pieces 14-22 px long just inside the cell, too short to drop as slivers;
    # the cell went to the detector as two lines, which found nothing there.
    ink = np.zeros((56, 600), np.uint8)
    cells = [(0.0, 0.0, 290.0, 56.0), (290.0, 0.0, 580.0, 56.0)]
    for x, w in ((148, 14), (165, 14), (208, 22), (231, 22), (254, 16)):
        ink[4, x : x + w] = 255  # on the crop's second row (cells are cut 3 px in)
    ink[21:38, 129:164] = 255  # the number, 17 px tall
    ink[21:38, 420:440] = 255  # a one-line cell beside it, to measure lines by
    ink[50, 300:316] = ink[50, 330:350] = 255  # pieces along the bottom edge
    got = read_cells(ink, cells)
    assert got[0].lines == [(129.0, 21.0, 164.0, 38.0)] and not got[0].needs_detection
    assert got[1].lines == [(420.0, 21.0, 440.0, 38.0)] and not got[1].needs_detection


def test_a_lines_fringe_in_pieces_along_a_cells_side_is_no_text() -> None:
    from extractors.scan.cells import read_cells

    # 10833-0007 (a heavy 200-dpi photo): a blurred column line's fringe left a 1-px
    # column of ink at the crop's right edge, in pieces 10, 40 and 14 px tall. The
    # 40-px piece was dropped as a sliver; the others were read as "1", and the 0
    # in the cell as "10", surely (0.988).
    ink = np.zeros((74, 440), np.uint8)
    cells = [(float(x), 0.0, float(x + 110), 74.0) for x in range(0, 440, 110)]
    for x in range(0, 440, 110):
        ink[28:45, x + 49 : x + 62] = 255  # a 0, 17 px tall, in every cell
    for y, h in ((4, 10), (15, 40), (57, 14)):  # the fringe, on the crop's last column
        ink[y : y + h, 106] = 255
    got = read_cells(ink, cells)
    assert got[0].lines == [(49.0, 28.0, 62.0, 45.0)]
    assert all(len(c.lines) == 1 for c in got)


def test_dashes_outnumbering_text_do_not_set_the_line_height() -> None:
    from extractors.scan.cells import read_cells

    # 10387-0007 (a 150-dpi photo printing its zeros as dashes): blurred, each dash
    # was 5-6 px tall, and most cells held one; measured with them, a line was 6 px,
    # no dash was flat enough for one, and a row of them was read as "1".
    ink = np.zeros((40, 1200), np.uint8)
    cells = [(float(x), 0.0, float(x + 100), 40.0) for x in range(0, 1200, 100)]
    ink[10:29, 10:90] = 255  # a label, 19 px tall
    ink[11:29, 120:130] = 255  # a 1 and a 10, 18 px tall
    ink[11:29, 220:250] = 255
    for x in range(300, 1200, 100):  # nine dashes, 22 x 6 px
        ink[17:23, x + 40 : x + 62] = 255
    got = read_cells(ink, cells)
    assert [i for i, c in enumerate(got) if c.dash] == list(range(3, 12))
    assert [len(c.lines) for c in got[:3]] == [1, 1, 1]
    assert not any(c.needs_detection for c in got)


def test_real_pages_upright_and_turned_are_told_apart(engine: OcrEngine) -> None:
    from pathlib import Path

    from PIL import Image

    from extractors.scan import _upside_down
    from extractors.scan.prepare import prepare_page, turn_180
    from extractors.scan.stacked import split_stacked

    sample = Path(__file__).parent.parent / "samples" / "scans" / \
        "plain-2019-bureau-2019-clean-png.png"
    pages = split_stacked(np.asarray(Image.open(sample).convert("RGB")))
    assert len(pages) >= 2
    for image in pages:
        p = prepare_page(image)
        assert not _upside_down(p, engine)
        assert _upside_down(turn_180(p), engine)


def test_words_under_a_seal_are_never_certain(engine: OcrEngine) -> None:
    from extractors.scan import OBSCURED_CONFIDENCE

    rgb, _ = _page()
    stamped = rgb.astype(np.float32)
    ring = np.zeros(rgb.shape[:2], np.uint8)
    cx, cy = (XS[1] + XS[2]) // 2, (YS[2] + YS[3]) // 2
    cv2.circle(ring, (cx, cy), 45, 255, 8)
    m = (ring > 0)[..., None] * 0.7
    stamped = stamped * (1 - m) + stamped * (np.array([225, 40, 45], np.float32) / 255) * m
    page = read_scan_page(stamped.astype(np.uint8), 1, engine)
    assert page.obscured  # the seal's box, kept for later re-reads
    x0, t, x1, b = page.obscured[0]
    assert x0 <= cx - 45 and x1 >= cx + 45 and t <= cy - 45 and b >= cy + 45
    under = [w for w in page.words if x0 < w.x1 and w.x0 < x1 and t < w.bottom and w.top < b]
    assert under and all(w.confidence <= OBSCURED_CONFIDENCE for w in under)
    away = [w for w in page.words if w not in under]
    assert any(w.confidence > OBSCURED_CONFIDENCE for w in away)


def test_text_read_from_a_cell_is_not_added_again_from_a_detection_band() -> None:
    from extractors.scan.fast import _same_place

    cell_word = (657.0, 1209.0, 676.0, 1226.0)
    assert _same_place((648.0, 1201.0, 684.0, 1233.0), cell_word)  # the same "12", boxed wider
    assert not _same_place((700.0, 1201.0, 740.0, 1233.0), cell_word)  # the next cell
    assert not _same_place((640.0, 1180.0, 690.0, 1212.0), cell_word)  # the line above


class Blind:
    """An engine that reads nothing from any crop."""

    name = "blind"

    def read_page(self, image: np.ndarray) -> list[OcrLine]:
        return []

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        return [("", 0.0) for _ in crops]


def test_a_cell_taken_for_blank_but_holding_ink_is_read_or_made_doubtful(
        engine: OcrEngine) -> None:
    rgb, values = _page()
    # faint digits (grey on paper), as a blurred photo leaves them: the detector saw
    # nothing, the grid said blank
    cell_box = (XS[1], YS[1], XS[2], YS[2])
    region = rgb[cell_box[1] + 2 : cell_box[3] - 1, cell_box[0] + 2 : cell_box[2] - 1]
    region[:] = np.where(region < 128, 150, 255).astype(np.uint8)
    page = read_scan_page(rgb, 1, engine)

    def blank() -> GridCell:
        return GridCell(row=1, col=1, row_span=1, col_span=1, page=1, bbox=cell_box,
                        text="", confidence=1.0)

    cell = blank()
    reread_cells(page, [cell], engine)
    assert cell.text == values[(1, 1)]
    unread = blank()
    reread_cells(page, [unread], Blind())
    assert unread.text == "" and unread.confidence <= 0.5  # ink nobody read: never a sure 0
    empty = GridCell(row=0, col=2, row_span=1, col_span=1, page=1,
                     bbox=(XS[2], YS[2], XS[3], YS[3]), text="", confidence=1.0)
    rgb2 = rgb.copy()
    rgb2[YS[2] + 3 : YS[3] - 2, XS[2] + 3 : XS[3] - 2] = 255
    reread_cells(read_scan_page(rgb2, 1, engine), [empty], Blind())
    assert empty.confidence == 1.0  # no ink: a blank is a blank
    # A blank cell whose grid edge sits a few px off its column line (a clean 200-dpi
    # scan): the line, 2 px wide, falls inside the crop. It was taken for unread ink,
    # and the identities then filled a total printed blank.
    shifted = GridCell(row=0, col=2, row_span=1, col_span=1, page=1,
                       bbox=(XS[2] - 6, YS[2], XS[3], YS[3]), text="", confidence=1.0)
    reread_cells(read_scan_page(rgb2, 1, engine), [shifted], Blind())
    assert shifted.confidence == 1.0


def test_every_cell_under_a_seal_is_doubtful_and_kept_from_repair() -> None:
    from extractors.layout import Grid
    from extractors.options import ExtractOptions
    from extractors.pages import refine_scan_cells

    # a value cell two rows tall (its row line lost under the seal), read surely
    tall = GridCell(row=0, col=1, row_span=2, col_span=1, page=1, bbox=(100, 0, 200, 80),
                    text="82 20 00 10", confidence=0.99, scanned=True)
    grid = Grid(pages=[1], bbox=(0, 0, 200, 80), n_rows=2, n_cols=2, cells=[tall],
                col_edges=[0, 100, 200])
    page = PageLayout(number=1, width=300, height=200, kind="scan",
                      image=np.full((200, 300, 3), 255, np.uint8), obscured=[(120, 10, 260, 150)])
    refine_scan_cells(page, [grid], ExtractOptions())
    assert tall.obscured and tall.confidence <= 0.8


def test_a_page_taken_for_sideways_is_kept_upright_when_it_reads_better(
        engine: OcrEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    # A page of table rows printed as dashes under stacked column labels has few
    # text lines across and several down: the ink shapes called it sideways, and
    # the turned page was read as nonsense. The recogniser has the last word.
    import extractors.scan.prepare as prep

    rgb, _ = _page()
    monkeypatch.setattr(prep, "is_sideways", lambda gray: True)
    page = read_scan_page(rgb, 1, engine)
    assert (page.width, page.height) == (700, 420)
    assert "本年新收政府信息公开申请数量" in [w.text.replace(" ", "") for w in page.words]
    # a page that really is turned is still turned upright
    turned = np.ascontiguousarray(np.rot90(rgb))  # counter-clockwise: text runs up
    page = read_scan_page(turned, 1, engine)
    assert (page.width, page.height) == (700, 420)
    assert "本年新收政府信息公开申请数量" in [w.text.replace(" ", "") for w in page.words]


def test_a_page_no_text_line_can_orient_keeps_its_portrait_shape(engine: OcrEngine) -> None:
    # Page 3 of a generated 150-dpi heavy photo (blur 1.4, JPEG quality 38): the ink
    # shapes call it sideways (marginally), and blurred text yields no line blob to
    # read either way. Turned, table 3 lost its middle rows; A4 reports are portrait.
    rgb = np.asarray(Image.open(FIXTURES / "blurred_photo_t3.jpg").convert("RGB"))
    page = read_scan_page(rgb, 3, engine)
    assert page.height > 1.3 * page.width
    # the page holds three rows of table 3 across nine columns
    rows = sum(r.horizontal for r in page.rulings)
    assert 4 <= rows < sum(not r.horizontal for r in page.rulings)
    assert {"44", "26"} <= {w.text for w in page.words}  # natural persons' counts


def test_a_lone_blob_read_well_turned_does_not_outweigh_lines_read_upright(
        engine: OcrEngine) -> None:
    # Page 3 of a generated 200-dpi medium scan: table 3's last rows, the rest blank.
    # The ink shapes call it sideways; turned, its one text-line blob is a "1" read at
    # 0.97, against two labels read upright at 0.8. Turned, the rows were lost.
    rgb = np.asarray(Image.open(FIXTURES / "table3_last_rows.jpg").convert("RGB"))
    page = read_scan_page(rgb, 3, engine)
    assert page.height > 1.3 * page.width
    assert {"36", "30"} <= {w.text for w in page.words}  # the totals row
    assert any("总计" in w.text for w in page.words)


def test_doubtful_readings_whose_ink_is_one_of_the_pages_clear_zeros_read_0() -> None:
    from extractors.scan.page_print import ZERO_MATCH_CONFIDENCE, ZERO_MATCH_OBSCURED, match_zeros
    from tests.test_glyphs import _cell

    # one row of cells on a blurred photo: clear 0s and 8s, a 0 read as '6' and as
    # 'e', an 8 read as doubtful '3', a 0 under a seal read '10'
    shown = ["0"] * 6 + ["8"] * 5 + ["0", "0", "8", "0", "0"]
    read = [("0", 0.95)] * 6 + [("8", 0.96)] * 5 + [("6", 0.3), ("e", 0.0), ("3", 0.4),
                                                     ("10", 0.5), ("0", 0.8)]
    image = np.hstack([_cell(t, "wqy-zenhei", 16, 1.0, k) for k, t in enumerate(shown)])
    cells = [GridCell(row=0, col=k, row_span=1, col_span=1, page=1,
                      bbox=(80 * k, 0, 80 * k + 80, 44), text=t, confidence=conf, scanned=True)
             for k, (t, conf) in enumerate(read)]
    page = PageLayout(number=1, width=1280, height=44, kind="scan", image=image,
                      obscured=[(1130.0, 0.0, 1280.0, 44.0)])
    crops = {id(c): image[:, 80 * k : 80 * k + 80] for k, c in enumerate(cells)}
    match_zeros(page, cells, crops)
    assert [(c.text, c.confidence) for c in cells[11:]] == [
        ("0", ZERO_MATCH_CONFIDENCE), ("0", ZERO_MATCH_CONFIDENCE), ("3", 0.4),
        ("0", ZERO_MATCH_OBSCURED), ("0", 0.8)]  # a 0 read clear under a seal stays so
    assert all(c.text == "0" and c.confidence == 0.95 for c in cells[:6])


def test_a_page_with_too_few_clear_zeros_borrows_those_of_the_documents_other_pages() -> None:
    from extractors.scan.page_print import ZERO_MATCH_CONFIDENCE, clear_prints, match_zeros
    from tests.test_glyphs import _cell

    # 10665-0015 (150 dpi): the page of table 3's last rows, blurred more than the
    # page before it, read three 0s clearly and the rest as 6, 9 or 0 at 0.2-0.7.
    def page_of(shown: str, read: list[tuple[str, float]], seed: int
                ) -> tuple[PageLayout, list[GridCell], dict[int, np.ndarray]]:
        image = np.hstack([_cell(t, "ar-uming", 14, 1.2, seed + k) for k, t in enumerate(shown)])
        cells = [GridCell(row=0, col=k, row_span=1, col_span=1, page=1, bbox=(80 * k, 0,
                          80 * k + 80, 44), text=t, confidence=conf, scanned=True)
                 for k, (t, conf) in enumerate(read)]
        page = PageLayout(number=1, width=80 * len(shown), height=44, kind="scan", image=image)
        return page, cells, {id(c): image[:, 80 * k : 80 * k + 80] for k, c in enumerate(cells)}

    before, before_cells, before_crops = page_of("00000000", [("0", 0.97)] * 8, 0)
    borrowed = clear_prints(before, before_cells, before_crops)
    read = [("0", 0.95)] * 3 + [("6", 0.45)]  # the last printed 0 (or 6), read "6"
    page, cells, crops = page_of("0000", read, 20)
    match_zeros(page, cells, crops)
    assert cells[3].text == "6"  # three clear 0s are too few to know the page's 0 by
    page, cells, crops = page_of("0000", read, 20)
    match_zeros(page, cells, crops, borrowed)
    assert (cells[3].text, cells[3].confidence) == ("0", ZERO_MATCH_CONFIDENCE)
    # a true 6 is not taken for the borrowed 0s
    page, cells, crops = page_of("0006", read, 20)
    match_zeros(page, cells, crops, borrowed)
    assert (cells[3].text, cells[3].confidence) == ("6", 0.45)


def test_a_zero_read_surely_as_six_once_on_a_page_is_known_by_the_pages_clear_zeros() -> None:
    from extractors.scan.page_print import ZERO_MATCH_CONFIDENCE, match_zeros
    from tests.test_glyphs import _cell

    # 10725-0031 (150 dpi): a 0 of a page printing dozens read "6" at 0.99, one of four.
    def page_of(shown: str, read: list[tuple[str, float]],
                ) -> tuple[PageLayout, list[GridCell], dict[int, np.ndarray]]:
        image = np.hstack([_cell(t, "ar-ukai", 16, 1.0, k) for k, t in enumerate(shown)])
        cells = [GridCell(row=0, col=k, row_span=1, col_span=1, page=1, bbox=(80 * k, 0,
                          80 * k + 80, 44), text=t, confidence=conf, scanned=True)
                 for k, (t, conf) in enumerate(read)]
        page = PageLayout(number=1, width=80 * len(shown), height=44, kind="scan", image=image)
        return page, cells, {id(c): image[:, 80 * k : 80 * k + 80] for k, c in enumerate(cells)}

    read = [("0", 0.97)] * 12 + [("6", 0.99)]
    page, cells, crops = page_of("0" * 13, read)
    match_zeros(page, cells, crops)
    assert (cells[12].text, cells[12].confidence) == ("0", ZERO_MATCH_CONFIDENCE)
    # a printed 6 read surely stays
    page, cells, crops = page_of("0" * 12 + "6", read)
    match_zeros(page, cells, crops)
    assert (cells[12].text, cells[12].confidence) == ("6", 0.99)


def test_a_row_of_zeros_read_as_round_letters_in_one_wide_cell_splits_into_zeros() -> None:
    # Table 2 continued on a page that lost the section's column lines: three 0s of a
    # font whose 0 is round, read as one word "OOO", are split by its characters.
    from extractors.layout import Grid
    from extractors.options import ExtractOptions
    from extractors.pages import refine_scan_cells
    from tests.test_glyphs import _cell

    image = np.hstack([_cell("规章", "wqy-microhei", 16, 0.5, 0)]
                      + [_cell("0", "wqy-microhei", 16, 0.5, k) for k in range(3)])
    label = GridCell(row=0, col=0, row_span=1, col_span=1, page=1, bbox=(0, 0, 80, 44),
                     words=[CellWord("规章", (20, 10, 60, 34), 0.99, source="ocr")],
                     text="规章", confidence=0.99, scanned=True)
    zeros = GridCell(row=0, col=1, row_span=1, col_span=3, page=1, bbox=(80, 0, 320, 44),
                     words=[CellWord("OOO", (114, 10, 286, 34), 0.96, source="ocr")],
                     text="OOO", confidence=0.96, scanned=True)
    grid = Grid(pages=[1], bbox=(0, 0, 320, 44), n_rows=1, n_cols=4, cells=[label, zeros],
                col_edges=[0, 80, 160, 240, 320])
    page = PageLayout(number=1, width=320, height=44, kind="scan", image=image)
    refine_scan_cells(page, [grid], ExtractOptions())
    parts = [grid.cell_part(0, col) for col in (1, 2, 3)]
    assert [p.text if p else None for p in parts] == ["0", "0", "0"]
    assert all(p is not None and p.confidence <= 0.6 for p in parts)


def test_a_doubtful_reading_of_ink_far_lower_than_the_pages_text_is_a_dash() -> None:
    from extractors.layout import Grid
    from extractors.scan.page_print import too_short_for_digits
    from tests.test_glyphs import _cell

    font = "wqy-zenhei"
    shown = ["商业企业", "科研机构", "社会公益", "法律服务", "其他组织", "-", "3", "-", "-"]
    read = [(t, 0.9) for t in shown[:5]] + [("3", 0.3), ("3", 0.3), ("A", 0.2), ("—", 0.99)]
    image = np.hstack([_cell(t, font, 16, 1.2, k) for k, t in enumerate(shown)])
    cells = [GridCell(row=0, col=k, row_span=1, col_span=1, page=1,
                      bbox=(80 * k, 0, 80 * k + 80, 44), text=t, confidence=conf, scanned=True)
             for k, (t, conf) in enumerate(read)]
    grid = Grid(pages=[1], bbox=(0, 0, 720, 44), n_rows=1, n_cols=9, cells=cells)
    page = PageLayout(number=1, width=720, height=44, kind="scan", image=image)
    crops = {id(c): image[:, 80 * k : 80 * k + 80] for k, c in enumerate(cells)}
    too_short_for_digits(page, [grid], cells[5:], crops)
    # a blurred hyphen read as "3" or "A" is a doubtful dash; a 3 stays a 3
    assert [(c.text, c.confidence) for c in cells[5:]] == [
        ("—", 0.7), ("3", 0.3), ("—", 0.7), ("—", 0.99)]
    # without enough text on the page to measure, nothing changes
    cells[6].text, cells[6].confidence = "3", 0.3
    few = Grid(pages=[1], bbox=(0, 0, 720, 44), n_rows=1, n_cols=9, cells=cells[2:])
    c = GridCell(row=0, col=5, row_span=1, col_span=1, page=1, bbox=(400, 0, 480, 44),
                 text="3", confidence=0.3, scanned=True)
    too_short_for_digits(page, [few], [c], {id(c): crops[id(cells[5])]})
    assert (c.text, c.confidence) == ("3", 0.3)


def test_sure_strokes_a_threshold_left_of_a_0_are_doubtful_dashes_on_black_and_white(
) -> None:
    from extractors.layout import Grid
    from extractors.scan.page_print import too_short_for_digits
    from tests.test_glyphs import _cell

    # 10387-0036 (200 dpi, binarised at 154): the threshold left of each thin 0 two
    # specks 2-3 px wide and 6-8 px tall (its text: 19 px; here 15), read surely as "11" or
    # "1"; too few pixels for the ink's level to be measured by a percentile. A 1 the
    # threshold broke into two pieces, one above the other, is a whole 1.
    def bw(cell: np.ndarray) -> np.ndarray:
        return np.where(cell < 128, 0, 255).astype(np.uint8)

    labels = ["商业企业", "科研机构", "社会公益", "法律服务", "其他组织"]
    blank = bw(_cell("", "wqy-zenhei", 16, 0.5, 9))
    specks, speck, pieces, one = blank.copy(), blank.copy(), blank.copy(), blank.copy()
    specks[19:25, 36:38] = specks[19:26, 43:46] = 0  # the two sides of a 0
    speck[19:25, 40:42] = 0  # one side alone: 12 px of ink
    taller = blank.copy()  # 10399-0037 (150 dpi): sides 0.53 of the text's height
    taller[18:26, 36:38] = taller[18:26, 43:45] = 0
    pieces[15:19, 39:42] = pieces[24:28, 40:43] = 0  # a 1 in two pieces
    one[14:28, 39:42] = 0
    image = np.hstack([bw(_cell(t, "wqy-zenhei", 16, 0.5, k)) for k, t in enumerate(labels)]
                      + [specks, speck, taller, pieces, one])
    read = [(t, 0.9) for t in labels] + [("11", 0.96), ("1", 0.95), ("11", 0.92), ("1", 0.96),
                                         ("1", 0.97)]

    def judged(bilevel: bool) -> list[tuple[str, float]]:
        cells = [GridCell(row=0, col=k, row_span=1, col_span=1, page=1,
                          bbox=(80 * k, 0, 80 * k + 80, 44), text=t, confidence=conf,
                          scanned=True) for k, (t, conf) in enumerate(read)]
        grid = Grid(pages=[1], bbox=(0, 0, 800, 44), n_rows=1, n_cols=10, cells=cells)
        page = PageLayout(number=1, width=800, height=44, kind="scan", image=image,
                          bilevel=bilevel)
        crops = {id(c): image[:, 80 * k : 80 * k + 80] for k, c in enumerate(cells)}
        too_short_for_digits(page, [grid], cells[5:], crops)
        return [(c.text, c.confidence) for c in cells[5:]]

    assert judged(True) == [("—", 0.7), ("—", 0.7), ("—", 0.7), ("1", 0.96), ("1", 0.97)]
    # on a greyscale scan a sure reading is not judged by its height
    assert judged(False) == [("11", 0.96), ("1", 0.95), ("11", 0.92), ("1", 0.96), ("1", 0.97)]


def test_a_thin_two_a_threshold_broke_into_a_hook_and_a_bar_is_no_dash() -> None:
    from extractors.layout import Grid
    from extractors.scan.page_print import too_short_for_digits
    from tests.test_glyphs import _cell

    # 10737-0037 (200 dpi, binarised at 156): of a thin 2 the threshold left a dot, a
    # hook 5 px tall and, 7 px below it, its foot's bar 2 px tall, read "2" at 0.46.
    # The bar is the largest piece, far lower than the page's text; the 2 is not.
    def bw(cell: np.ndarray) -> np.ndarray:
        return np.where(cell < 128, 0, 255).astype(np.uint8)

    labels = ["商业企业", "科研机构", "社会公益", "法律服务", "其他组织"]
    blank = bw(_cell("", "wqy-zenhei", 16, 0.5, 9))
    two, dash = blank.copy(), blank.copy()
    two[15:17, 35:37] = 0  # the dot
    two[14:19, 42:45] = 0  # the hook
    two[26:28, 35:44] = 0  # the foot
    dash[20:22, 34:46] = 0
    image = np.hstack([bw(_cell(t, "wqy-zenhei", 16, 0.5, k)) for k, t in enumerate(labels)]
                      + [two, dash])
    read = [(t, 0.9) for t in labels] + [("2", 0.46), ("2", 0.4)]
    cells = [GridCell(row=0, col=k, row_span=1, col_span=1, page=1,
                      bbox=(80 * k, 0, 80 * k + 80, 44), text=t, confidence=conf,
                      scanned=True) for k, (t, conf) in enumerate(read)]
    grid = Grid(pages=[1], bbox=(0, 0, 560, 44), n_rows=1, n_cols=7, cells=cells)
    page = PageLayout(number=1, width=560, height=44, kind="scan", image=image, bilevel=True)
    crops = {id(c): image[:, 80 * k : 80 * k + 80] for k, c in enumerate(cells)}
    too_short_for_digits(page, [grid], cells[5:], crops)
    assert [(c.text, c.confidence) for c in cells[5:]] == [("2", 0.46), ("—", 0.7)]


def test_black_and_white_scans_are_told_from_greyscale() -> None:
    from extractors.scan.prepare import bilevel

    rgb, _ = _page()
    blurred = cv2.GaussianBlur(rgb, (0, 0), 0.8)  # any greyscale scan's ink has grey edges
    assert not bilevel(blurred)
    assert bilevel(np.where(blurred < 160, 0, 255).astype(np.uint8))


def test_cells_of_a_black_and_white_scan_are_read_again_thickened(engine: OcrEngine) -> None:
    from extractors.scan.fast import read_thickened

    # Two cells of a generated 200-dpi scan binarised at 155, strokes broken: a 1 read
    # "i" (0.85) and a 0 read "(0" (0.71).
    strip = np.asarray(Image.open(FIXTURES / "bilevel_cells.png").convert("RGB"))
    cells = [np.ascontiguousarray(strip[:16, :10]), np.ascontiguousarray(strip[:, 14:])]
    first = engine.recognize(cells)
    assert [t for t, _ in first] != ["1", "0"]
    got = read_thickened(engine, cells, first)
    assert [t for t, _ in got] == ["1", "0"] and all(c > 0.9 for _, c in got)
    # words keep their first reading, whatever the thickened one says
    lines = np.asarray(Image.open(FIXTURES / "text_lines.png").convert("RGB"))
    label = np.ascontiguousarray(np.where(lines[5:60, :620] < 128, 0, 255).astype(np.uint8))
    read = engine.recognize([label])
    assert read_thickened(engine, [label], read) == read


def test_a_digit_a_threshold_broke_into_a_letter_is_the_number_read_thickened(
        engine: OcrEngine) -> None:
    from extractors.scan.fast import read_thickened

    # A 6 of a generated 200-dpi scan binarised at 167 (10617-0029), its bowl opened:
    # read "t" at 0.69; thickened it reads "6", less surely, and "6" it is, in doubt.
    six = np.asarray(Image.open(FIXTURES / "bilevel_six_read_as_letter.png").convert("RGB"))
    first = engine.recognize([six])
    assert not first[0][0].isdigit()
    (text, conf), = read_thickened(engine, [six], first)
    assert text == "6" and conf < 0.9


def test_zeros_a_black_and_white_scan_left_as_their_two_sides_read_0(engine: OcrEngine) -> None:
    from extractors.scan.fast import ShapeWord

    # Six rows of table 3 of a 150-dpi scan binarised hard (10227-0005), every count 0
    # and most left as "()", which the recogniser reads 1, 11, (1 or 1).
    strip = np.asarray(Image.open(FIXTURES / "bilevel_zero_rows.png").convert("RGB"))
    page = read_scan_page(strip, 1, engine)
    assert page.bilevel
    counts = [w for w in page.words if w.bbox[0] > 40]  # the first column is cut off
    assert len(counts) == 36
    assert all(w.text == "0" for w in counts)
    shaped = [w for w in counts if isinstance(w, ShapeWord)]
    assert len(shaped) >= 30
    # known by their shape alone, below validation's LOW_CONFIDENCE: an identity vouches
    assert {w.confidence for w in shaped} <= {0.97, 0.84}


def _count_thickened(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many crops each call of `read_thickened` gets, one entry per call."""
    import extractors.scan.fast as fast

    calls: list[int] = []
    real = fast.read_thickened

    def spy(eng: OcrEngine, crops: list[np.ndarray],
            got: list[tuple[str, float]]) -> list[tuple[str, float]]:
        calls.append(len(crops))
        return real(eng, crops, got)

    monkeypatch.setattr(fast, "read_thickened", spy)
    return calls


def test_only_black_and_white_scans_are_read_thickened(
        engine: OcrEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_thickened(monkeypatch)
    rgb, _ = _page()
    grey = cv2.GaussianBlur(rgb, (0, 0), 0.8)
    assert not read_scan_page(grey, 1, engine).bilevel
    assert calls == []
    page = read_scan_page(np.where(grey < 160, 0, 255).astype(np.uint8), 1, engine)
    assert page.bilevel  # its 0s are matched as broken ones (`page_print.match_zeros`)
    assert calls and calls[0] >= 4  # every cell line
    assert {"306", "1579", "8"} <= {w.text for w in page.words}


def test_a_black_and_white_scan_in_a_pdf_is_read_as_one(
        engine: OcrEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from extractors import pages
    from extractors.loading import load
    from extractors.options import ExtractOptions
    from extractors.scan.prepare import bilevel

    # A PDF page is rendered at 200 dpi; a 150-dpi black-and-white scan scaled to it
    # has grey edges, and was read as a greyscale one (its cells never read thickened).
    rgb, _ = _page()
    grey = cv2.GaussianBlur(rgb, (0, 0), 0.8)
    options = ExtractOptions()

    def pdf(pixels: np.ndarray) -> bytes:
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, "PDF", resolution=150)
        return out.getvalue()

    two_tone = load(pdf(np.where(grey < 160, 0, 255).astype(np.uint8)), "bw.pdf", options)
    greyscale = load(pdf(grey), "grey.pdf", options)
    assert not bilevel(pages._rasterize(two_tone, 0, options))  # what the rendering shows
    assert pages._scanned_black_and_white(two_tone, 0) is True
    assert pages._scanned_black_and_white(greyscale, 0) is False

    calls = _count_thickened(monkeypatch)
    assert not any(p.bilevel for p in pages.read_all(greyscale, options))
    assert calls == []
    assert all(p.bilevel for p in pages.read_all(two_tone, options))
    assert calls and calls[0] >= 4


def test_numbers_read_packed_are_kept_only_when_sure(engine: OcrEngine) -> None:
    from PIL import ImageDraw, ImageFont

    from extractors.scan.fast import NUMBERS_SURE, _recognize
    from samples.generator.fonts import FONTS, font_file

    font = ImageFont.truetype(str(font_file("wqy-zenhei")), 30, index=FONTS["wqy-zenhei"][1])

    def crop(text: str) -> np.ndarray:
        im = Image.new("L", (16 + 18 * len(text), 44), 255)
        ImageDraw.Draw(im).text((8, 4), text, font=font, fill=0)
        return cv2.cvtColor(np.asarray(im), cv2.COLOR_GRAY2RGB)

    texts = ["306", "8", "1579", "24", "无", "1", "65"]
    crops = [crop(t) for t in texts]
    spy = Packing(engine)
    got, words = _recognize(spy, crops, [None] * len(crops))
    assert not words and not spy.packed
    assert len(spy.numbers) == len(crops)  # every short crop went packed as a number
    alone = engine.recognize(crops)
    read_again = {id(c) for c in spy.alone}
    for c, (text, conf), (text_alone, _conf) in zip(crops, got, alone, strict=True):
        if id(c) in read_again:
            continue
        # kept from the packed reading: a number, read very surely, as read alone
        assert conf >= NUMBERS_SURE and text.isdigit() and text == text_alone
    assert [t for t, _ in got] == [t.replace(" ", "") if id(c) not in read_again else t
                                   for c, (t, _) in zip(crops, alone, strict=True)]
    # what is no number was read again alone, whatever the packed reading
    assert id(crops[texts.index("无")]) in read_again
    assert len(read_again) < len(crops)  # and most numbers were not


def test_digits_under_a_seal_through_jpeg_read_as_printed(engine: OcrEngine) -> None:
    # As the generator stamps a seal on a medium scan (10605-0036): multiplied on at
    # opacity 0.72, then blur, noise and JPEG at quality 45. In green and blue the seal
    # was as dark as thin digits under it, and JPEG's smeared colour left a dotted
    # outline round its strokes: 0 and 2 under its lettering were read as "u" and "".
    # Along its strokes JPEG rings: a 1 beside its rim was read "11" (split-t3-breaks).
    from PIL import ImageDraw, ImageFont

    from extractors.scan.prepare import suppress_seal
    from samples.generator.fonts import FONTS, font_file
    from samples.generator.seal import seal_image, stamp

    font = ImageFont.truetype(str(font_file("ar-uming")), 26, index=FONTS["ar-uming"][1])
    page = Image.new("RGB", (460, 460), (240, 240, 240))
    places = [(x, y) for y in range(40, 440, 56) for x in range(40, 440, 90)]
    for x, y in places:
        ImageDraw.Draw(page).text((x, y), "20", fill=(0, 0, 0), font=font)
    seal = seal_image("重庆市永川区民政局", 170, bottom="", angle=14.1)
    img = stamp(np.asarray(page), seal, (230, 230), 0.72)
    img = cv2.GaussianBlur(img, (0, 0), 0.69).astype(np.float32)
    img += np.random.default_rng(1).normal(0, 6.5, img.shape[:2])[..., None]
    ok, jpeg = cv2.imencode(".jpg", img.clip(0, 255).astype(np.uint8)[..., ::-1],
                            [cv2.IMWRITE_JPEG_QUALITY, 45])
    assert ok
    gray, found = suppress_seal(cv2.imdecode(jpeg, cv2.IMREAD_COLOR)[..., ::-1].copy())
    assert found
    red = np.zeros(gray.shape, bool)
    red[230 - 170 : 230 + 170, 230 - 170 : 230 + 170] = np.asarray(seal)[..., 3] > 0
    under = [(x, y) for x, y in places if red[y : y + 30, x : x + 32].any()]
    assert len(under) >= 12
    reads = engine.recognize(
        [cv2.cvtColor(gray[y - 2 : y + 34, x - 8 : x + 40], cv2.COLOR_GRAY2RGB) for x, y in under])
    assert [t for t, _ in reads] == ["20"] * len(under)
    # and the seal's strokes away from the digits are paper, even along their edges,
    # where JPEG rings a little darker than the seal (9 in 10 such pixels, not 8)
    digits = cv2.dilate((np.asarray(page.convert("L")) < 128).astype(np.uint8),
                        np.ones((5, 5), np.uint8)) > 0
    assert np.percentile(gray[red & ~digits], 5) > 190
    square = np.ones((5, 5), np.uint8)
    edges = (cv2.dilate(red.astype(np.uint8), square) > 0) & ~(
        cv2.erode(red.astype(np.uint8), square) > 0) & ~digits
    paper = float(np.median(gray[~red & ~digits]))
    assert np.percentile(gray[edges], 10) >= 0.95 * paper
