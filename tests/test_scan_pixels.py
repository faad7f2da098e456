"""Page preparation and ruling detection on synthetic pixels (no OCR)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import cv2
import numpy as np
import pytest

from extractors.scan.prepare import (
    binarize,
    curl_profile,
    is_sideways,
    page_quad,
    prepare_page,
    rotate,
    skew_angle,
    suppress_seal,
)
from extractors.scan.rulings import detect_rulings

XS = [60, 360, 500, 640, 780]  # column rulings
YS = [60, 130, 200, 270, 340]  # row rulings


def table(broken: bool = False, doubled: bool = False, thick: bool = False,
          dashed: bool = False) -> np.ndarray:
    """A white page with a 4x4 ruled table; in column 1, rows 1 and 2 merged; text-like strokes.

    `dashed`: every line thin and broken every few pixels, as binarising a blurred
    low-resolution scan leaves it."""
    img = np.full((420, 860), 255, np.uint8)
    for y in YS:
        segs = [(XS[0], XS[-1])]
        if y == 200:  # merged cell: no ruling between rows 1 and 2 in column 1 (XS[1]..XS[2])
            segs = [(XS[0], XS[1]), (XS[2], XS[-1])]
        for a, b in segs:
            cv2.line(img, (a, y), (b, y), 0, 5 if thick else 2)
            if doubled:
                cv2.line(img, (a, y + 4), (b, y + 4), 0, 1)
    for x in XS:
        cv2.line(img, (x, YS[0]), (x, YS[-1]), 0, 2)
    if broken:  # faint gaps in the ink
        for y in YS:
            for x in range(XS[0] + 40, XS[-1], 90):
                img[y - 3 : y + 4, x : x + 7] = 255
    if dashed:  # thin, and a 2 px gap after every 8 px of ink
        img[img < 255] = 0
        for y in YS:
            img[y + 1 : y + 3, :] = 255
            for x in range(XS[0] + 8, XS[-1], 10):
                img[y - 2 : y + 3, x : x + 2] = 255
        for x in XS:
            img[:, x + 1 : x + 3] = 255
            for y in range(YS[0] + 8, YS[-1], 10):
                img[y : y + 2, x - 2 : x + 3] = 255
    for r in range(4):  # "text": short strokes of characters in the label column
        y = YS[r] + 35
        for k in range(8):
            x = 80 + k * 30
            cv2.line(img, (x, y), (x + 18, y), 0, 2)
            cv2.line(img, (x + 9, y - 12), (x + 9, y + 12), 0, 2)
    return cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)


def covered(rulings: list, horizontal: bool, at: float, a: float, b: float) -> bool:
    """Some ruling of the direction lies at `at` (±3 px) and covers [a, b]."""
    for r in rulings:
        if r.horizontal != horizontal:
            continue
        pos, lo, hi = (r.top, r.x0, r.x1) if horizontal else (r.x0, r.top, r.bottom)
        if abs(pos - at) <= 3 and lo <= a + 2 and hi >= b - 2:
            return True
    return False


@pytest.mark.parametrize("kind", ["plain", "broken", "doubled", "thick", "dashed"])
def test_rulings_cover_every_cell_boundary_and_only_those(kind: str) -> None:
    img = table(broken=kind == "broken", doubled=kind == "doubled", thick=kind == "thick",
                dashed=kind == "dashed")
    rulings = detect_rulings(binarize(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)))
    offset = 2 if kind == "doubled" else 0  # a doubled line collapses to its middle
    for y in YS:
        if y == 200:
            assert covered(rulings, True, y + offset, XS[2], XS[-1])
            assert covered(rulings, True, y + offset, XS[0], XS[1])
            assert not covered(rulings, True, y + offset, XS[1] + 10, XS[2] - 10)
        else:
            assert covered(rulings, True, y + offset, XS[0], XS[-1])
    for x in XS:
        assert covered(rulings, False, x, YS[0], YS[-1])
    # one segment per line: broken pieces merged, doubles collapsed, strokes dropped
    assert sum(r.horizontal for r in rulings) == len(YS) + 1
    assert sum(not r.horizontal for r in rulings) == len(XS)


def test_a_line_of_text_filling_its_cell_is_no_ruling() -> None:
    # Four rows of table 3 from a generated 200-dpi scan (its ink, 1-bit), on a page
    # of its size: in the third row the label's strokes nearly touch from wall to
    # wall, and closing the gaps of broken lines would chain them into a line.
    from pathlib import Path

    from PIL import Image

    ink = np.asarray(
        Image.open(Path(__file__).parent / "fixtures/scan/dense_label.png").convert("L")
    )
    page = np.full((2375, 1707), 255, np.uint8)
    page[700 : 700 + ink.shape[0], 200 : 200 + ink.shape[1]] = ink
    rows = sorted(r.top - 700 for r in detect_rulings(binarize(page)) if r.horizontal)
    assert len(rows) == 5  # the rows' lines, 61-68 px apart
    assert all(55 <= b - a <= 75 for a, b in itertools.pairwise(rows))


def test_a_column_line_is_drawn_where_it_is_not_where_text_strokes_beside_it_are() -> None:
    # A clean 300-dpi page (10201-0000): a column line at x 1775-1776 through four
    # rows, and upright strokes of characters higher up the page, 2-16 px to its
    # right, each a little longer than the run a line needs. They chain into the
    # line's group (positions within 8 px of each other), and their median had put
    # the line at 1783: the cells' crops held the line itself, a dash read "-1".
    page = np.zeros((3508, 2481), np.uint8)
    for y in (2562, 2646, 2730, 2814):
        page[y : y + 2, 1373:2180] = 255
    for x in (1373, 1775, 2178):
        page[2562:2816, x : x + 2] = 255
    for x, y in ((1776, 368), (1778, 1984), (1783, 1906), (1783, 2144), (1788, 1588),
                 (1791, 1190)):
        page[y : y + 46, x : x + 3] = 255
    line = [r for r in detect_rulings(page) if not r.horizontal and r.top < 2700 < r.bottom
            and 1700 < r.x0 < 1850]
    assert len(line) == 1 and abs(line[0].x0 - 1775.5) <= 1


def test_slightly_curved_lines_give_straight_segments() -> None:
    img = table()
    h, w = img.shape[:2]
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    bent = cv2.remap(
        img, xs, ys - 3 * np.sin(np.pi * xs / w), cv2.INTER_LINEAR, borderValue=(255, 255, 255)
    )
    rulings = detect_rulings(binarize(cv2.cvtColor(bent, cv2.COLOR_RGB2GRAY)))
    assert sum(r.horizontal for r in rulings) == len(YS) + 1
    for r in rulings:
        assert r.top == r.bottom or r.x0 == r.x1


def test_a_photos_curl_steep_near_the_sides_of_the_page_is_traced_and_measured() -> None:
    # 10449-0022 (a heavy photo): after the outline warp and deskew its row lines
    # still rose 1 px in 25 near the left side, too steep for a level run of
    # the tracing's length at 2 px thick; no curl was seen and the labels of
    # table 3 fell one row off their numbers.
    h, w = 1200, 1800
    img = np.full((h, w), 255, np.uint8)
    for y in range(150, 1100, 50):
        cv2.line(img, (100, y), (1700, y), 0, 2)
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    bow = 60 * np.sin(np.pi * xs[0] / w) + 0.03 * xs[0]  # a bow left tilted by the deskew
    bent = cv2.remap(img, xs, ys - bow[None, :], cv2.INTER_LINEAR, borderValue=255)
    binary = binarize(bent)
    assert curl_profile(binary) is None  # traced at its own thickness, as a flat scan is
    prof = curl_profile(binary, photo=True)
    assert prof is not None
    inner = slice(100, 1700)
    drift = (prof - bow)[inner]
    assert np.ptp(drift) < 4  # the measured bow is the true one, up to a constant


@pytest.mark.parametrize("angle", [-5.0, -2.3, 1.1, 4.0])
def test_deskew_recovers_the_angle(angle: float) -> None:
    page = rotate(table(), angle)
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    assert skew_angle(gray) == pytest.approx(-angle, abs=0.25)
    prepared = prepare_page(page)
    rulings = detect_rulings(prepared.binary)
    assert sum(r.horizontal for r in rulings) == len(YS) + 1


def test_sideways_page_is_detected() -> None:
    from pathlib import Path

    from PIL import Image

    lines = np.asarray(
        Image.open(Path(__file__).parent / "fixtures/scan/text_lines.png").convert("L")
    )
    gray = np.full((1400, 1000), 255, np.uint8)
    for i in range(7):
        gray[20 + i * 190 : 200 + i * 190, 40:680] = lines
    assert not is_sideways(gray)
    assert is_sideways(cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE))
    assert is_sideways(cv2.rotate(gray, cv2.ROTATE_90_COUNTERCLOCKWISE))
    assert not is_sideways(cv2.cvtColor(table(), cv2.COLOR_RGB2GRAY))  # rulings are not text


def test_red_seal_over_digits_is_removed() -> None:
    img = np.full((200, 300, 3), 250, np.uint8)
    cv2.putText(img, "2907", (40, 120), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (0, 0, 0), 5)
    seal = img.astype(np.float32)
    ring = np.zeros((200, 300), np.uint8)
    cv2.circle(ring, (150, 100), 80, 255, 12)
    cv2.circle(ring, (150, 100), 25, 255, -1)
    red = np.array([225, 40, 45], np.float32) / 255
    m = (ring > 0)[..., None] * 0.8
    seal = seal * (1 - m) + seal * red * m  # ink multiplied over ink, as a stamp does
    stamped = seal.astype(np.uint8)
    gray, found = suppress_seal(stamped)
    assert found
    ink = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) < 128
    near_ink = cv2.dilate(ink.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert gray[(ring > 0) & ~near_ink].min() > 160  # the seal is gone
    assert gray[ink].mean() < 60  # digits under it stay dark


def _photo(page: np.ndarray, dst: np.ndarray, extra: tuple[int, int]) -> np.ndarray:
    """`page` warped onto corners `dst` of a darker ground `extra` (rows, cols) larger."""
    h, w = page.shape[:2]
    canvas = np.full((h + extra[0], w + extra[1], 3), 80, np.uint8)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(
        page, m, canvas.shape[1::-1], dst=canvas, borderMode=cv2.BORDER_TRANSPARENT
    )


def test_photo_outline_and_perspective() -> None:
    page = table()
    h, w = page.shape[:2]
    dst = np.array([[120, 90], [w + 60, 110], [w + 90, h + 150], [80, h + 120]], np.float32)
    photo = _photo(page, dst, (200, 200))
    quad = page_quad(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY))
    assert quad is not None
    assert np.abs(quad - dst).max() < 8
    assert page_quad(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)) is None  # a flat scan
    prepared = prepare_page(photo)
    assert "perspective" in prepared.steps
    rulings = detect_rulings(prepared.binary)
    assert sum(not r.horizontal for r in rulings) == len(XS)
    assert sum(r.horizontal for r in rulings) == len(YS) + 1


def _page(seed: int, blank_bottom: float = 0.0) -> np.ndarray:
    """An A4-shaped page (300 x 424) with lines of "text" and a ruled table."""
    rng = np.random.default_rng(seed)
    img = np.full((424, 300), 248, np.uint8)
    last = int(400 * (1 - blank_bottom))
    for y in range(30, min(last, 150), 14):
        img[y : y + 7, 30 : 30 + int(rng.integers(120, 240))] = 20
    for y in range(160, min(last, 400), 24):
        cv2.line(img, (20, y), (280, y), 0, 1)
    for x in (20, 120, 200, 280):
        cv2.line(img, (x, 160), (x, min(last, 400) - 16), 0, 1)
    return img


@pytest.mark.parametrize("photo", [False, True])
def test_stacked_pages_are_cut_between_pages(photo: bool) -> None:
    from extractors.scan.stacked import split_stacked
    from samples.generator.containers import stitch

    pages = [_page(1), _page(2, blank_bottom=0.5), _page(3), _page(4, blank_bottom=0.7)]
    if photo:  # each page on a darker ground, as a phone photo, with uneven margins
        # and of different widths, so the collage's fill flanks the narrower ones
        pages = [cv2.copyMakeBorder(p, 12 + 3 * i, 9, 14 + 4 * i, 14, cv2.BORDER_CONSTANT,
                                    value=100)
                 for i, p in enumerate(pages)]
    tall = stitch([cv2.cvtColor(p, cv2.COLOR_GRAY2RGB) for p in pages], gap=10)
    parts = split_stacked(tall)
    assert len(parts) == 4
    for part, page in zip(parts, pages, strict=True):
        assert part.shape[0] <= page.shape[0] + 10  # never more than one page
        # each part holds all of its page's ink and none of another's
        assert int((part < 60).sum()) == 3 * int((page < 60).sum())
        if photo:  # the fill round each photo is cut away: its outline is its own ground
            assert part.shape[:2] == page.shape[:2]
        else:  # a scanned page keeps its margins
            assert part.shape[1] == max(p.shape[1] for p in pages)


def test_one_page_and_a_tall_page_without_gaps_are_not_cut() -> None:
    from extractors.scan.stacked import split_stacked

    page = cv2.cvtColor(_page(5), cv2.COLOR_GRAY2RGB)
    assert len(split_stacked(page)) == 1
    # a long table with rulings down its whole height offers no empty band to cut at
    tall = np.full((1300, 300, 3), 248, np.uint8)
    for y in range(10, 1290, 24):
        cv2.line(tall, (20, y), (280, y), (0, 0, 0), 1)
    for x in (20, 150, 280):
        cv2.line(tall, (x, 10), (x, 1282), (0, 0, 0), 1)
    assert len(split_stacked(tall)) == 1


def test_photo_whose_sheet_touches_the_frame_and_a_grey_strip_is_not_ground() -> None:
    page = table()
    h, w = page.shape[:2]
    # the sheet runs against the top edge: ground shows on three sides only
    dst = np.array([[100, 0], [w + 90, 0], [w + 120, h + 110], [70, h + 100]], np.float32)
    photo = _photo(page, dst, (150, 200))
    photo[:6] = 250  # paper along the whole top edge
    quad = page_quad(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY))
    assert quad is not None
    assert np.abs(quad[2:] - dst[2:]).max() < 10  # the bottom corners, inside the frame
    # a scan pasted under another with a grey strip between is still a flat scan
    scan = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    scan = np.vstack([np.full((30, w), 225, np.uint8), scan, np.full((30, w), 225, np.uint8)])
    assert page_quad(scan) is None


def _rule(binary: np.ndarray, columns: Sequence[int], rows: Sequence[int]) -> None:
    """Draw a table's 3-px ruling lines (ink 255) into `binary`: the column lines from
    the first row line to the last, the row lines from the first column to the last."""
    for x in columns:
        binary[rows[0] : rows[-1], x : x + 3] = 255
    for y in rows:
        binary[y : y + 3, columns[0] : columns[-1] + 3] = 255


def test_a_row_line_broken_where_a_seal_was_taken_out_is_joined_across_it() -> None:
    binary = np.zeros((400, 1200), np.uint8)
    for x in (100, 400, 700, 1100):
        binary[50:350, x : x + 3] = 255
    for y in (50, 150, 347):
        binary[y : y + 3, 100:1103] = 255
    binary[250:253, 100:560] = 255  # the row line, with 80 px lost under the seal
    binary[250:253, 640:1103] = 255
    seal = (520.0, 170.0, 700.0, 330.0)
    found = [r for r in detect_rulings(binary) if r.horizontal and abs(r.top - 251) < 3]
    assert all(r.x1 - r.x0 < 600 for r in found)  # without the seal: two pieces at most
    joined = [r for r in detect_rulings(binary, [seal]) if r.horizontal and abs(r.top - 251) < 3]
    assert len(joined) == 1 and joined[0].x0 <= 102 and joined[0].x1 >= 1100


def test_a_row_line_bent_under_a_seal_is_one_line_not_two_rows() -> None:
    # 10399-0007 (a 150-dpi photo): the line's ends lay 7 px apart on either side of
    # the seal, and made a row 7 px high between two rows the seal had merged.
    binary = np.zeros((400, 1200), np.uint8)
    _rule(binary, (100, 400, 700, 1100), (50, 150, 347))
    binary[250:253, 100:560] = 255
    binary[257:260, 640:1103] = 255
    seal = (520.0, 170.0, 700.0, 330.0)

    def rows(seals: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float]]:
        return sorted((r.top, r.x0, r.x1) for r in detect_rulings(binary, seals)
                      if r.horizontal and 240 < r.top < 270)

    assert len(rows([])) == 2  # without the seal, two pieces
    (top, x0, x1), = rows([seal])
    assert 251 <= top <= 258 and x0 <= 102 and x1 >= 1100
    # a gap that no seal covers is left
    assert len(rows([(520.0, 170.0, 600.0, 330.0)])) == 2


def test_a_column_line_is_not_joined_across_a_seal_into_the_next_table() -> None:
    from pathlib import Path

    # Page 2 of a generated 150-dpi scan: a seal over table 2's last row and the
    # heading of section 三 below it. Its strokes made a piece of column line in
    # table 2's last row, which was joined across the seal to a column line of
    # table 3: the two tables became one grid, and neither was found (183 fields).
    fixture = Path(__file__).parent / "fixtures" / "scan" / "seal_between_tables.png"
    binary = cv2.imread(str(fixture), cv2.IMREAD_GRAYSCALE)
    seals = [(495.0, 475.0, 770.0, 751.0), (584.0, 564.0, 679.0, 655.0)]
    rulings = detect_rulings(binary, seals)
    columns = [r for r in rulings if not r.horizontal]
    # table 2 ends at y=617, table 3 starts at y=691: no column line runs across
    assert not [r for r in columns if r.top < 640 and r.bottom > 680]
    assert any(abs(r.x0 - 630) < 4 and r.bottom > 1100 for r in columns)  # table 3's own
    assert sum(r.horizontal and r.x1 - r.x0 > 800 for r in rulings) >= 15


def test_the_rim_of_a_seal_printed_black_is_not_a_column_line() -> None:
    # A bilevel scan keeps no red: the seal's rim crosses three rows as two short
    # bowed strokes at the same height, which a straight-line fit would take for
    # the two lines of a four-column section.
    binary = np.zeros((900, 1200), np.uint8)
    _rule(binary, (100, 400, 700, 1100), range(50, 851, 100))
    cv2.circle(binary, (650, 420), 160, 255, 9)
    columns = sorted(round(r.x0) for r in detect_rulings(binary) if not r.horizontal)
    assert all(abs(x - 101) < 4 or abs(x - 401) < 4 or abs(x - 701) < 4 or abs(x - 1101) < 4
               for x in columns), columns


def test_a_seal_printed_black_on_a_bilevel_scan_is_found_by_its_rim() -> None:
    from extractors.scan.prepare import rim_boxes

    page = cv2.cvtColor(table(), cv2.COLOR_RGB2GRAY)
    page = cv2.copyMakeBorder(page, 300, 300, 0, 0, cv2.BORDER_CONSTANT, value=255)
    clean = binarize(page)
    assert rim_boxes(clean) == []  # a table alone has no seal
    radius = round(0.9 * page.shape[1] / 8.27)  # a seal's size on this page
    cv2.circle(page, (560, 500), radius, 0, 4)
    for k in range(10):  # its text along the rim
        a = np.pi * (0.9 + 0.12 * k)
        x, y = int(560 + 0.8 * radius * np.cos(a)), int(500 + 0.8 * radius * np.sin(a))
        cv2.rectangle(page, (x - 4, y - 4), (x + 4, y + 4), 0, -1)
    [(x0, y0, x1, y1)] = rim_boxes(binarize(page))
    assert x0 < 560 - 0.9 * radius and x1 > 560 + 0.9 * radius
    assert y0 < 500 - 0.9 * radius and y1 > 500 + 0.9 * radius


def test_strokes_a_red_seal_left_in_grey_are_no_rulings() -> None:
    # A heavy photo's seal, taken out by its red, leaves its rim's upright sides in
    # grey: two arcs, a row and a half tall, inside the seal's box. Taken for
    # column lines they split two columns and moved a column of counts.
    binary = np.zeros((900, 1200), np.uint8)
    _rule(binary, (100, 400, 700, 1100), range(50, 851, 100))
    for start in (165, -15):  # the rim's left and right sides
        cv2.ellipse(binary, (690, 505), (180, 180), 0, start, start + 30, 255, 3)
    binary[450:553, 600:603] = 255  # a column line of one section only, under the seal
    binary[400:420, 700:703] = 0  # a column line broken where the seal's halo was
    binary[600:620, 700:703] = 0
    seal = (500.0, 320.0, 880.0, 690.0)
    columns = [r for r in detect_rulings(binary, [seal]) if not r.horizontal]
    assert sorted({round(r.x0) for r in columns}) == [101, 401, 601, 701, 1101]
    # its piece under the seal, in line with the rest, stays
    assert any(abs(r.x0 - 701) < 3 and r.top <= 425 and r.bottom >= 595 for r in columns)
    rows = sorted(round(r.top) for r in detect_rulings(binary, [seal]) if r.horizontal)
    assert len(rows) == 9  # the row lines crossing the seal stay


def test_a_row_line_joined_across_a_seal_to_a_mark_past_the_table_is_kept() -> None:
    # The seal sits over the table's right edge; its box reaches the page's edge,
    # where a mark in line with a row line was joined to it across the seal's gap:
    # the line ran on past the last column line, touched none there, and was lost.
    binary = np.zeros((900, 1400), np.uint8)
    _rule(binary, (100, 400, 700, 1000, 1200), range(50, 851, 100))
    binary[450:453, 1050:1110] = 0  # the row line faded under the seal
    binary[450:453, 1295:1330] = 255  # a mark at the photo's edge
    binary[350:353, 1295:1330] = 255
    seal = (1050.0, 300.0, 1340.0, 600.0)
    rows = [r for r in detect_rulings(binary, [seal]) if r.horizontal]
    assert sorted(round(r.top) for r in rows) == [51 + 100 * k for k in range(9)]
    assert all(r.x0 <= 105 and r.x1 >= 1195 for r in rows), rows


def test_a_seal_between_two_tables_does_not_join_their_column_lines() -> None:
    binary = np.zeros((900, 1200), np.uint8)
    for top, bottom in ((50, 350), (500, 850)):  # two tables, a heading's gap between
        _rule(binary, (100, 400, 700, 1100), range(top, bottom + 1, 100))
    seal = (500.0, 200.0, 800.0, 650.0)  # over the foot of one and the head of the other
    columns = [r for r in detect_rulings(binary, [seal]) if not r.horizontal]
    assert all(r.bottom < 420 or r.top > 430 for r in columns), columns



def _slashed_table(page: np.ndarray) -> None:
    """A 200-dpi table of 0s printed as slashes, drawn onto `page`."""
    for y in range(300, 2001, 60):
        page[y : y + 3, 200:1503] = 20
        for x in range(240, 1500, 100):
            cv2.line(page, (x + 6, y + 18), (x - 4, y + 44), (20, 20, 20), 3)
    for x in range(200, 1501, 100):
        page[300:2003, x : x + 3] = 20


def test_a_bold_seal_rim_is_found_though_it_runs_flat_at_its_top_and_sides() -> None:
    # At 200 dpi a seal's bold rim runs level for longer than the short openings
    # that find rulings: cut there, what was left, four arcs, fitted no circle.
    from extractors.scan.prepare import rim_boxes
    from samples.generator.seal import seal_image, stamp

    page = np.full((2300, 1654, 3), 250, np.uint8)
    _slashed_table(page)
    assert rim_boxes(binarize(page[..., 0])) == []  # the table alone has no seal
    seal = seal_image("永和县人民政府", 169, bottom="政务公开专用章", angle=8.5)
    page = stamp(page, seal, (1200, 1000), 0.74)
    gray = cv2.GaussianBlur(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), (0, 0), 0.85)
    bilevel = np.where(gray > 184, 255, 0).astype(np.uint8)  # the scanner's threshold
    [(x0, y0, x1, y1)] = rim_boxes(binarize(bilevel))
    assert x0 < 1200 - 160 and x1 > 1200 + 160 and y0 < 1000 - 160 and y1 > 1000 + 160


def test_a_black_seals_rim_is_painted_out_and_the_table_under_it_stays() -> None:
    # On a bilevel scan the rim crossing a cell's 0 read as "10", or as a 9.
    from extractors.scan.prepare import prepare_page, rims, ring_coverage
    from samples.generator.seal import seal_image, stamp

    page = np.full((2300, 1654, 3), 250, np.uint8)
    _slashed_table(page)
    page = stamp(page, seal_image("永和县人民政府", 169, angle=8.5), (1200, 1000), 0.74)
    gray = cv2.GaussianBlur(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), (0, 0), 0.85)
    bilevel = np.where(gray > 184, 255, 0).astype(np.uint8)
    [(x, y, r)] = rims(binarize(bilevel))
    assert ring_coverage(binarize(bilevel), x, y, r, 3) > 0.9
    p = prepare_page(cv2.cvtColor(bilevel, cv2.COLOR_GRAY2RGB))
    assert "black_seal" in p.steps and p.seals
    assert ring_coverage(p.binary, x, y, r, 3) < 0.4  # where 42 rulings cross it
    columns = [rl for rl in detect_rulings(p.binary, p.seals) if not rl.horizontal]
    for cx in range(1000, 1401, 100):  # the column lines under the seal, whole
        assert any(abs(rl.x0 - cx - 1) < 4 and rl.top < 320 and rl.bottom > 1980
                   for rl in columns), cx


def test_lines_a_threshold_left_as_dots_are_found_on_a_black_and_white_scan() -> None:
    # Table 3's continuation on page 3 of a generated 150-dpi scan binarised at 151
    # (a JPEG), at its place on the page: some of its lines are trails of dots 3-12
    # px apart. Without them the part had 7 columns, was not joined to its first
    # part, and 150 of its 200 fields were lost.
    page = _fixture_page("dotted_lines.png", (1772, 1241), (150, 250))
    plain, dotted = detect_rulings(page), detect_rulings(page, dotted=True)
    for rulings in (plain, dotted):  # the 0s' column lines, solid
        for x in (553, 758, 826, 894):
            assert covered(rulings, False, x, 175, 715)
        # a label's strokes chained down its column are no line
        assert not any(not r.horizontal and 400 < r.x0 < 540 for r in rulings)
    for rulings, found in ((plain, False), (dotted, True)):
        assert covered(rulings, False, 962, 175, 715) is found  # a dotted column line
        assert covered(rulings, True, 347, 380, 1030) is found  # dotted row lines
        assert covered(rulings, True, 525, 380, 1030) is found


def test_a_column_of_0s_chained_through_the_row_lines_is_no_dotted_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.scan.rulings as rulings

    # Table 3 of a generated 150-dpi scan binarised at 155, at its place on a page of
    # its size: its 0s, a few px from the row lines above and below them, chain down
    # a column as a dotted line would. Taken for one, it split the column in two.
    page = _fixture_page("zero_columns.png", (1791, 1268), (120, 160))
    lines = [563, 635, 707, 780, 852, 924, 996, 1068]  # the printed column lines
    assert sorted(round(r.x0) for r in detect_rulings(page, dotted=True)
                  if not r.horizontal and r.x0 > 500) == lines
    # without the test of the paper beside the dots, the 0s make lines
    monkeypatch.setattr(rulings, "_dots_alone", lambda *a: True)
    chained = {round(r.x0) for r in detect_rulings(page, dotted=True) if not r.horizontal}
    assert chained - set(lines) >= {744, 816}


def test_a_column_of_1s_chained_through_the_row_lines_is_no_dotted_line() -> None:
    # The last three columns of table 3 of a generated 150-dpi scan binarised hard
    # (10213-0013), at their place on the page: six rows running of a total of 1 or 2,
    # each a stroke 11 px long, chain down the 总计 column between the row lines. Taken
    # for a dotted line, it cut the column in two and 90 was read 9.
    page = _fixture_page("digit_column.png", (1784, 1262), (250, 860))
    columns = [r.x0 for r in detect_rulings(page, dotted=True) if not r.horizontal]
    assert any(abs(x - 1012) <= 2 for x in columns) and any(abs(x - 1089) <= 2 for x in columns)
    assert not any(1020 < x < 1080 for x in columns)


def _fixture(name: str) -> np.ndarray:
    """A fixture image of tests/fixtures/scan, grey."""
    from pathlib import Path

    from PIL import Image

    return np.asarray(Image.open(Path(__file__).parent / "fixtures/scan" / name).convert("L"))


def _fixture_page(name: str, shape: tuple[int, int], at: tuple[int, int]) -> np.ndarray:
    """A fixture's ink (black on white in the file) at its place on a page of `shape`."""
    ink = 255 - _fixture(name)
    page = np.zeros(shape, np.uint8)
    page[at[0] : at[0] + ink.shape[0], at[1] : at[1] + ink.shape[1]] = ink
    return page


def test_a_tables_dotted_border_is_found_where_its_row_lines_end() -> None:
    # Table 2 of a generated 150-dpi scan binarised at 153 (10351-0028, page 1): its
    # right border is a sparse trail of dots, each beside a row line's end, and its
    # bottom line (under 行政处罚) is dotted. Neither was found: the 现行有效件数 column
    # and the 行政处罚 row were lost.
    rulings = detect_rulings(_fixture_page("dotted_border.png", (2350, 1671), (1650, 150)),
                             dotted=True)
    assert covered(rulings, False, 1454, 1689, 1879)
    assert covered(rulings, False, 1454, 1957, 2061)
    assert covered(rulings, True, 2150, 209, 1457)
    # and the column line standing on it, solid but short
    assert covered(rulings, False, 642, 2057, 2152)


def test_two_dotted_sides_of_a_corner_hold_each_other_up() -> None:
    # The first part of table 3 on page 3 of the same scan: its left border and the
    # top line of its first column are both dotted, and neither crosses a line found
    # solid. Lost, the part had 7 columns and was not joined to the rest of table 3.
    rulings = detect_rulings(_fixture_page("dotted_corner.png", (2373, 1703), (200, 150)),
                             dotted=True)
    assert covered(rulings, False, 226, 249, 1625)
    assert covered(rulings, True, 249, 226, 358)


def test_a_colon_between_two_row_lines_is_no_dotted_column_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.scan.rulings as rulings

    # 本年收费金额（单位：万元） in the same scan, page 2: the colon's two dots stand
    # between the row lines, with paper beside them.
    page = _fixture_page("colon_row.png", (2392, 1731), (200, 200))

    def columns() -> list[int]:
        return [round(r.x0) for r in detect_rulings(page, dotted=True)
                if not r.horizontal and 700 < r.x0 < 1450]

    assert columns() == []
    monkeypatch.setattr(rulings, "MIN_DOTS", 0)
    assert columns() == [1154]


def test_a_line_found_a_few_px_off_covers_its_dots() -> None:
    from extractors.scan.rulings import _dot_trails, _held, _trails

    # A binarised 200-dpi scan: table 2's column line at x=672 was found at 665 (the
    # median of pieces of line chained across it); taken again from its dots at
    # 672, it made a column 7 px wide, and table 2's numbers moved one column over.
    page = np.zeros((1772, 1241), np.uint8)
    _rule(page, (200, 672, 926, 1174), range(500, 901, 50))
    rows = [[200.0, 1177.0, y + 1.0, 977.0] for y in range(500, 901, 50)]

    def added(found: list[list[float]]) -> list[int]:
        trails = _trails(page, False, 1772)
        return [round(s[2]) for s in _dot_trails(page, found, rows, False, 12.4, (), trails)
                if 600 < s[2] < 700 and _held(s, rows, 12.4)]

    assert added([]) == [673]
    assert added([[500.0, 901.0, 665.0, 400.0]]) == []


def test_bow_is_how_far_a_runs_centre_line_leaves_its_chord() -> None:
    from extractors.scan.rulings import _bow

    # two pixels a step: centres 1, 2, 5, 2, 1 against the chord 1 -> 1
    along = np.array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    across = np.array([0, 2, 1, 3, 4, 6, 1, 3, 0, 2])
    assert _bow(along, across) == 4.0
    assert _bow(along[::-1], across[::-1]) == 4.0  # pixel order does not matter
    straight = np.arange(50)
    assert _bow(straight, 3 + straight // 10) < 1.0  # the stairs of a sloped line: no bow
    assert _bow(np.array([5, 6]), np.array([0, 9])) == 0.0  # too short to bow


def _lone_row_page() -> np.ndarray:
    # The top of page 4 of a generated 150-dpi scan binarised at 167 (10313-0013), at
    # its place on the page: the last row of table 3 alone (四、结转下年度继续办理), then
    # table 4, whose left border the threshold left as a trail of dots, and the first
    # characters of the prose below, in line with it.
    page = _fixture_page("lone_row.png", (1791, 1268), (170, 190))
    return page


def test_a_dotted_column_line_in_line_with_a_stroke_of_text_is_drawn_on_its_dots() -> None:
    # Table 4's left border is a trail of dots, with no solid run. A character of the
    # prose below, in line with it, has a stroke 4 px beside it: the line was drawn
    # at that stroke, off its dots, was lost, and the 行政复议 cells with it.
    rulings = detect_rulings(_lone_row_page(), dotted=True)
    assert covered(rulings, False, 226, 300, 488)


def test_a_tables_last_row_alone_at_the_top_of_a_page_is_found() -> None:
    # Its column lines are as short as the row (44 px), too short to tell from a
    # character's strokes by themselves, and its lower line is dotted: nothing kept
    # either, the row was lost and table 3 had no 结转下年度继续办理 (8 fields).
    # The box they make together tells them.
    rulings = detect_rulings(_lone_row_page(), dotted=True)
    assert covered(rulings, True, 183, 230, 1055)
    assert covered(rulings, True, 226, 230, 1055)
    for x in (226, 549, 622, 694, 767, 839, 912, 985, 1057):
        assert covered(rulings, False, x, 186, 224), x
    # and nothing between the row lines but its column lines (table 4's line at 613,
    # whose pieces group with the row's 622, is not drawn down the row)
    assert not [r for r in rulings if r.horizontal and 186 < r.top < 223]
    assert not [r for r in rulings if not r.horizontal and r.top < 224 and r.bottom > 186
                and all(abs(r.x0 - x) > 3 for x in (226, 549, 622, 694, 767, 839, 912, 985, 1057))]


def test_lines_a_seal_left_in_pieces_end_on_lines_and_not_in_the_seal() -> None:
    # Table 2 of a generated 200-dpi scan (10313-0028) at its place on the page, a
    # red seal taken out over its right half. The column line between 本年废止件数
    # and 现行有效件数 (x 1156) is broken 27 px under the seal, in no row line's
    # way, and the row line under 规范性文件 (y 669) stops at x 1086, under the seal
    # and on no column line. Both were lost: the 现行有效件数 column joined the one
    # before it, and six fields of table 2 with it.
    page = _fixture_page("seal_over_table_2.png", (2367, 1695), (420, 270))
    seals = [(1059.0, 479.0, 1472.0, 891.0), (1197.0, 617.0, 1326.0, 747.0)]
    rulings = detect_rulings(page, seals)
    assert covered(rulings, False, 1156, 492, 666)
    # on to the table's right border, where the other row lines end
    assert covered(rulings, True, 669, 300, 1390)


def _dotted_borders_page() -> np.ndarray:
    # Page 3 of a generated 150-dpi scan binarised at 151 (10437-0029), its tables at
    # their place on the page: the end of table 3, whose right border the threshold
    # left as one to three dots a row, and table 4, dotted on its left, right and
    # bottom sides and down some of its column lines.
    return _fixture_page("dotted_borders.png", (2381, 1715), (180, 200))


def test_a_border_left_as_a_few_dots_is_drawn_where_the_row_lines_end() -> None:
    # Table 3's column 总计 and table 4's first and last columns were lost: table 3's
    # part had 8 columns and was not joined to its first part, table 4 had 13, and
    # 121 of 198 fields were lost.
    rulings = detect_rulings(_dotted_borders_page(), dotted=True)
    # as far as the column line before it runs, past the rows whose lines end short
    assert covered(rulings, False, 1485, 222, 1200)
    assert covered(rulings, False, 251, 1383, 1590)  # table 4's left and right borders
    assert covered(rulings, False, 1485, 1383, 1590)
    assert covered(rulings, True, 1592, 253, 1484)  # and its bottom line, dotted
    # a row line found up to the column line before the border runs on to it
    for y in (286, 572, 781, 1067):
        assert covered(rulings, True, y, 451, 1483), y
    plain = detect_rulings(_dotted_borders_page(), dotted=False)
    assert not [r for r in plain if not r.horizontal and abs(r.x0 - 1485) < 4]


def test_a_dotted_column_line_ending_short_of_its_bottom_line_is_held_by_the_row_it_crosses(
        ) -> None:
    # Table 4's line between 复议后起诉's 结果维持 and 结果纠正: its dots run from the
    # row line above the headings across the one under them, and stop 40 px short of
    # the bottom line. Lost, the two columns were one and 0 0 read "00".
    rulings = detect_rulings(_dotted_borders_page(), dotted=True)
    assert covered(rulings, False, 1154, 1449, 1550)


def test_strokes_of_characters_nearly_as_tall_as_their_row_are_no_column_lines() -> None:
    # Table 2 on page 2 of a generated clean 200-dpi long image (10449-0001), a page
    # cropped to its table and so scaled to 1226 px: its characters are large for the
    # page, and the upright strokes of 事 and 收 in 行政事业性收费, 36 px in rows 46
    # high, ended a few px from both row lines. Taken for column lines, they cut the
    # label in pieces and 行政事业性收费's two numbers were lost.
    page = _fixture_page("tall_strokes.png", (2354, 1226), (300, 0))
    columns = [r for r in detect_rulings(page) if not r.horizontal]
    assert not [r for r in columns if 150 < r.x0 < 400 and r.top < 580 and r.bottom > 548]
    for x in (426, 692):  # the table's column lines stay
        assert covered(columns, False, x, 500, 587), x


def test_a_rulings_piece_one_row_high_that_runs_into_its_row_line_is_kept() -> None:
    # Table 2 atop page 2 of a generated heavy 150-dpi photo (10437-0023): the column
    # line between 行政强制 and its first number survives in that row alone, solid and
    # joined to the row line above it, but with paper beside it no clearer than a
    # stroke's. Taken for a character's stroke, it merged the number into the label:
    # 4 was lost.
    page = _fixture_page("short_line_piece.png", (1802, 1216), (60, 0))
    assert covered(detect_rulings(page), False, 478, 190, 227)


def test_column_lines_one_row_high_between_thick_row_lines_are_kept() -> None:
    # Table 3's (七)总计 alone atop page 3 of a generated heavy 150-dpi photo
    # (10533-0006): its row lines are 5-6 px thick, so a fifth of the length of each
    # column line has ink beside it, which read as text's. Its right border and the
    # line at 898 were lost, the row's grid was 1x7 of 9 cells, and the row (9
    # fields) could not be placed.
    page = _fixture_page("lone_row_thick_lines.png", (1811, 1270), (150, 0))
    columns = detect_rulings(page)
    for x in (144, 250, 571, 652, 734, 816, 898, 980, 1062, 1144):
        assert covered(columns, False, x, 190, 222), x
    assert len([r for r in columns if not r.horizontal]) == 10


def test_a_1_over_a_14_in_the_next_row_is_no_dotted_column_line() -> None:
    # Table 3's last rows on page 3 of a generated black-and-white 200-dpi scan
    # (10557-0045): the 1 of (六)其他处理 and the 1 of 14 below it, a few px apart,
    # made a trail of "dots" across the row line between them: one stroke 16 px long
    # and two specks. Taken for a column line, it cut both cells in two; the 1s
    # were lost and 14 read 4.
    page = _fixture_page("ones_down_a_column.png", (2374, 1678), (230, 0))
    columns = [r for r in detect_rulings(page, dotted=True) if not r.horizontal]
    assert not [r for r in columns if 760 < r.x0 < 820 and r.top < 500 and r.bottom > 410]
    for x in (741, 845, 948):  # the table's column lines stay
        assert covered(columns, False, x, 250, 500), x


def test_stacked_photos_are_cut_in_the_strip_that_a_blurred_edge_parts_from_the_ground(
) -> None:
    # A collage of three heavy 150-dpi photos (10581-0006, here 500 px wide as the cut
    # is found on such a copy): between photos 1 and 2 the even dark ground (rows
    # 681-703) and the collage's light strip (706-714) are parted by two rows the
    # JPEG blurred, too uneven to count as empty. The cut fell in the ground, photo 2
    # kept the strip, its outline took it in, the page was not flattened and table 3
    # was lost (175 fields wrong).
    from extractors.scan.stacked import split_stacked

    parts = split_stacked(_fixture("photo_collage_strip.jpg"))
    assert len(parts) == 3
    # the second photo holds none of the strip: no flat light row across it
    top = parts[1][:60].astype(np.float32)
    assert not ((top.mean(axis=1) > 200) & (top.std(axis=1) < 10)).any()
    # ... and the first none of the second photo: its last rows are its ground
    assert float(parts[0][-3:].mean()) < 128


def test_stacked_photos_are_cut_in_the_strip_beside_ground_an_uneven_light_parts_from_it(
) -> None:
    # 10785-0006 (heavy photos): the light fell off along each photo's foot, one
    # side of its ground 81, the other 90; nine rows of the work copy too uneven to
    # count as empty parted the even ground from the collage's strip. The cut fell
    # in the ground, the second photo kept the strip, its outline took the strip in
    # and the page was not flattened: table 3 was lost (190 fields wrong).
    from extractors.scan.stacked import split_stacked
    from samples.generator.containers import stitch

    pages = []
    for i in range(3):
        # the first photo the tallest: the place a cut is expected lies in its ground
        photo = cv2.copyMakeBorder(_page(i + 1), 14, 64 if i == 0 else 24, 16, 16,
                                   cv2.BORDER_CONSTANT, value=100)
        foot = photo[-7:]
        foot[:, : foot.shape[1] // 2] = 90  # the light falling off unevenly
        foot[:, foot.shape[1] // 2 :] = 110
        pages.append(cv2.cvtColor(photo, cv2.COLOR_GRAY2RGB))
    parts = split_stacked(stitch(pages, gap=24))
    assert len(parts) == 3
    for part in parts[1:]:
        # no flat light row of the strip across the top of the next photo
        top = cv2.cvtColor(part, cv2.COLOR_RGB2GRAY)[:60].astype(np.float32)
        assert not ((top.mean(axis=1) > 200) & (top.std(axis=1) < 10)).any()
    for part, page in zip(parts, pages, strict=True):
        # each part holds all of its page's ink and none of another's
        assert int((part < 60).sum()) == int((page < 60).sum())


def test_row_lines_a_labels_strokes_chained_into_one_run_are_each_a_line() -> None:
    # Rows 6-8 of 不予公开 on a generated 200-dpi scan binarised at 155 (10833-0044,
    # page 2; 8-pt print, rows 44 px apart, a seal printed black on the right): the
    # strokes of 7.属于行政执法案卷 chained the lines above and below it into one run,
    # found as one line at the run's median (569). The row was lost, 7 fields.
    page = _fixture_page("chained_row_lines.png", (2398, 1715), (470, 290))
    rows = sorted(round((r.top + r.bottom) / 2) for r in detect_rulings(page)
                  if r.horizontal and r.x1 - r.x0 > 800)
    assert [y for y in rows if 480 < y < 640] == pytest.approx([496, 540, 585, 629], abs=2)


def test_a_one_row_tables_border_where_its_bowed_row_lines_end_is_a_line() -> None:
    # The last row of table 2 carried to page 2 of a 200-dpi phone photo
    # (10881-0015): 政府集中采购 | 0 | 0, one row 63 px tall whose row lines bow up
    # 12 px at the right end, so the right border's ink runs into them 12 px off their
    # medians. It was dropped, and with it the 采购总金额 cell.
    page = _fixture_page("bowed_one_row_table.png", (2412, 1654), (150, 100))
    columns = sorted(round(r.x0) for r in detect_rulings(page)
                     if not r.horizontal and r.bottom < 320)
    assert columns == pytest.approx([162, 623, 911, 1485], abs=2)
