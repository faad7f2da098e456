"""read_scan_page and reread_cells with the real OCR engine on a small synthetic table."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from extractors.layout import GridCell
from extractors.ocr import OcrEngine, get_engine
from extractors.scan import read_scan_page, reread_cells

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
