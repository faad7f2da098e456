"""Zero marks told from digits by the shape of their ink."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.marks import check_reading, classify

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FIXTURES = Path(__file__).parent / "fixtures" / "scan"


def _cell(text: str, *, size: int = 26, slant: bool = False) -> np.ndarray:
    """A 60x110 table cell with its ruling lines and the text in the middle."""
    im = Image.new("L", (110, 60), 245)
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 109, 59), outline=30, width=2)
    if slant:
        d.line((50, 42, 62, 18), fill=20, width=3)
    elif text:
        font = ImageFont.truetype(FONT, size)
        d.text((55, 30), text, fill=20, font=font, anchor="mm")
    rng = np.random.default_rng(len(text))
    arr = np.asarray(im).astype(np.int16) + rng.normal(0, 6, (60, 110)).astype(np.int16)
    return np.stack([arr.clip(0, 255).astype(np.uint8)] * 3, axis=2)


def _drawn_cell(size: tuple[int, int], strokes: list[tuple[tuple[int, int, int, int], int, int]],
                *, seed: int) -> np.ndarray:
    """A ruled cell of `size` (width, height) with `strokes` ((x0, y0, x1, y1), grey,
    width) drawn on light paper, and a little noise."""
    w, h = size
    im = Image.new("L", size, 245)
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, w - 1, h - 1), outline=30, width=2)
    for xy, fill, width in strokes:
        d.line(xy, fill=fill, width=width)
    rng = np.random.default_rng(seed)
    arr = (np.asarray(im).astype(np.int16) + rng.normal(0, 4, (h, w))).clip(0, 255)
    return np.stack([arr.astype(np.uint8)] * 3, axis=2)


@pytest.mark.parametrize(("text", "mark"), [("—", "dash"), ("-", "dash"), ("", "empty"),
                                            ("1", "bar")])
def test_shapes(text: str, mark: str) -> None:
    assert classify(_cell(text)) == mark


def test_slash() -> None:
    assert classify(_cell("", slant=True)) == "slash"


@pytest.mark.parametrize("text", ["0", "8", "12", "7", "307"])
def test_digits_are_never_zero_marks(text: str) -> None:
    assert classify(_cell(text)) not in ("dash", "slash", "empty")


def test_a_dash_read_as_one_becomes_a_zero_mark() -> None:
    assert check_reading("1", 0.99, _cell("—")) == ("—", 0.99)


def test_a_sure_seven_whose_stem_is_faint_is_kept_for_an_identity_to_vouch_for() -> None:
    # A 200-dpi medium scan: the 7's bar dark, its thin stem blurred to a light grey
    # (under half the bar's depth), read "7" at 0.9999. At half the ink's depth only
    # the bar shows, a dash's shape: it had become a sure "—", a silent 0 for 7.
    seven = _drawn_cell((110, 60), [((48, 20, 62, 20), 40, 3),  # the bar
                                    ((61, 22, 53, 42), 150, 2)], seed=7)  # the stem
    assert classify(seven) == "dash"
    text, conf = check_reading("7", 0.9999, seven)
    assert text == "7" and conf <= 0.6
    # a dash read as a sure 7 is still a dash: it is flat however deep one looks
    assert check_reading("7", 0.99, _cell("—")) == ("—", 0.99)


def test_an_unconfirmed_one_is_never_certain() -> None:
    text, conf = check_reading("1", 0.99, _cell("7"))
    assert text == "1" and conf <= 0.6


@pytest.mark.parametrize("reading", ["C", "U", "O", "(", "。"])
def test_a_round_letter_in_a_number_cell_is_an_uncertain_zero(reading: str) -> None:
    text, conf = check_reading(reading, 0.97, _cell("0"))
    assert text == "0" and conf <= 0.5


def test_a_row_of_round_letters_is_a_row_of_uncertain_zeros() -> None:
    # a font whose 0 is an O; three 0s in one cell whose column lines were lost
    text, conf = check_reading("OOO", 0.96, _cell("0 0 0"))
    assert text == "000" and conf <= 0.6
    assert check_reading("Oa", 0.96, _cell("0a"))[0] == "Oa"


@pytest.mark.parametrize(("read", "number"), [("S7", "57"), ("1O", "10"), ("S", "5"),
                                              ("2l4", "214"), ("B0", "80")])
def test_a_digit_read_as_the_letter_it_looks_like_is_that_digit_in_doubt(
        read: str, number: str) -> None:
    text, conf = check_reading(read, 0.9, _cell(number))
    assert text == number and conf <= 0.6


@pytest.mark.parametrize("read", [".44", "·44", "'44"])
def test_a_speck_read_as_a_point_before_a_number_is_dropped_and_makes_it_doubtful(
        read: str) -> None:
    text, conf = check_reading(read, 0.9, _cell("44"))
    assert text == "44" and conf <= 0.6


def test_other_readings_are_left_alone() -> None:
    assert check_reading("25", 0.97, _cell("25")) == ("25", 0.97)


@pytest.mark.parametrize(("read", "text", "most"), [
    ("1一", "1", 0.6), ("36_", "36", 0.6), ("U一", "0", 0.5), ("0—", "0", 0.6),
])
def test_a_ruling_sliver_after_a_number_is_dropped_and_makes_it_doubtful(
    read: str, text: str, most: float
) -> None:
    got, conf = check_reading(read, 0.99, _cell(text))
    assert got == text and conf <= most


def test_a_number_read_with_a_leading_zero_is_doubtful() -> None:
    # no count is printed so: a speck or mark before it was read as a 0
    assert check_reading("01", 0.99, _cell("01")) == ("01", 0.6)
    assert check_reading("10", 0.99, _cell("10")) == ("10", 0.99)
    assert check_reading("0", 0.99, _cell("0"))[1] > 0.6


def test_a_sign_before_a_number_is_kept() -> None:
    assert check_reading("-4", 0.99, _cell("-4")) == ("-4", 0.99)
    assert check_reading("一", 0.99, _cell("—"))[0] == "—"  # a lone dash is still a zero mark


def _font_cell(text: str, font: str, px: int, blur: float) -> np.ndarray:
    import cv2

    from samples.generator.fonts import FONTS, font_file

    im = Image.new("L", (int(px * 3.5), int(px * 2)), 245)
    f = ImageFont.truetype(str(font_file(font)), px, index=FONTS[font][1])
    ImageDraw.Draw(im).text((im.width // 2, im.height // 2), text, fill=20, font=f, anchor="mm")
    g = np.asarray(im).astype(np.float32)
    if blur:
        g = cv2.GaussianBlur(g, (0, 0), blur)
    g = np.clip(g + np.random.default_rng(1).normal(0, 6, g.shape), 0, 255).astype(np.uint8)
    return np.stack([g] * 3, axis=2)


@pytest.mark.parametrize("font", ["wqy-zenhei", "wqy-microhei", "ar-uming", "ar-ukai"])
@pytest.mark.parametrize("px", [16, 22, 30, 40])
def test_a_minus_the_recogniser_dropped_is_put_back_for_review(font: str, px: int) -> None:
    if px >= 30:  # smaller, a blurred hyphen may merge into its digit or fade
        for number in ("5", "12", "307"):
            crop = _font_cell(f"-{number}", font, px, 0.8)
            assert check_reading(number, 1.0, crop) == (f"-{number}", 0.8)
            assert check_reading(f"-{number}", 0.99, crop) == (f"-{number}", 0.99)
    for number in ("5", "15", "75", "47", "17", "2", "307", "1954", "0", "10"):
        assert check_reading(number, 1.0, _font_cell(number, font, px, 0.8))[0] == number


def _dotted_minus(number: str) -> np.ndarray:
    """A 200-dpi scan binarised hard: the hyphen before `number` left as a 4x3 dot."""
    crop = _font_cell(number, "wqy-zenhei", 24, 0.8)
    crop = np.where(crop < 140, 0, 255).astype(np.uint8)
    cols = np.nonzero((crop[..., 0] == 0).any(axis=0))[0]
    rows = np.nonzero((crop[..., 0] == 0).any(axis=1))[0]
    mid = (rows[0] + rows[-1]) // 2
    crop[mid - 1 : mid + 2, cols[0] - 7 : cols[0] - 3] = 0
    return crop


def test_a_minus_a_threshold_left_as_a_dot_is_put_back_for_review() -> None:
    # "-2" read "2" at 0.99999: table 2's changes have no identity, so the sign lost
    # was a silent error.
    assert check_reading("2", 0.99999, _dotted_minus("2")) == ("-2", 0.8)
    assert check_reading("15", 0.99, _dotted_minus("15")) == ("-15", 0.8)
    # before a doubtful reading (what a seal left, "7" at 0.6) a speck is no sign
    assert check_reading("15", 0.6, _dotted_minus("15")) == ("15", 0.6)
    # no "-0" is printed: a speck before a 0 is no sign (it had become unreadable)
    assert check_reading("0", 0.99, _dotted_minus("0")) == ("0", 0.99)


@pytest.mark.parametrize("font", ["wqy-zenhei", "wqy-microhei", "ar-uming", "ar-ukai"])
def test_small_blurred_slashes_are_slashes_and_sevens_and_ones_never(font: str) -> None:
    for px in (14, 18, 24):  # 8-9 pt table text at 150-200 dpi
        for blur in (0.0, 1.0, 1.5):
            assert classify(_font_cell("7", font, px, blur)) != "slash", (px, blur)
            assert classify(_font_cell("1", font, px, blur)) != "slash", (px, blur)
            # the arphic fonts draw "/" as a hairline; past sigma 1 a small one is a blob
            if font.startswith("wqy") and blur <= 1.0:
                assert classify(_font_cell("/", font, px, blur)) == "slash", (px, blur)


def test_a_small_thick_slash_under_a_bowed_ruling_is_a_slash() -> None:
    # 150 dpi phone photo: the slash is 14 px tall and nearly as thick as it is
    # wide, and the grid, a little off, leaves stretches of a ruling at the top.
    import cv2

    for ruling, (x0, x1) in ((False, (39, 35)), (True, (40, 35))):
        g = np.full((42, 74), 225, np.float32)
        if ruling:
            g[5:8, 3:20] = g[5:8, 45:62] = 60  # pieces of the row line above
        cv2.line(g, (x0, 16), (x1, 30), 70, 4)
        g = cv2.GaussianBlur(g, (0, 0), 0.8)
        g = np.clip(g + np.random.default_rng(3).normal(0, 8, g.shape), 0, 255).astype(np.uint8)
        crop = np.stack([g] * 3, axis=2)
        assert classify(crop) == "slash", ruling
        assert check_reading("1", 0.6, crop) == ("/", 0.9)


@pytest.mark.parametrize("font", ["wqy-zenhei", "wqy-microhei", "ar-uming", "ar-ukai"])
def test_a_short_hyphen_blurred_into_a_blob_is_a_dash_and_digits_never(font: str) -> None:
    # 150 dpi: "-" is a few pixels each way, no longer wider than tall.
    for px, blur in ((14, 1.0), (18, 1.0), (18, 1.5), (24, 1.5)):
        assert classify(_font_cell("-", font, px, blur)) in ("dash", "blob"), (px, blur)
    for px in (12, 14, 18, 24):
        for blur in (0.0, 1.0, 1.5, 2.0):
            for digit in "0123456789":
                mark = classify(_font_cell(digit, font, px, blur))
                assert mark not in ("dash", "blob"), (digit, px, blur)


def test_a_blob_off_the_middle_is_not_a_dash() -> None:
    import cv2

    for cx, cy in ((55, 30), (20, 30), (55, 44)):  # middle; near the left; at the foot
        g = np.full((60, 110), 230, np.float32)
        cv2.rectangle(g, (cx - 3, cy - 2), (cx + 3, cy + 2), 60, -1)
        g = cv2.GaussianBlur(g, (0, 0), 1.0)
        mark = classify(np.stack([g.astype(np.uint8)] * 3, axis=2))
        assert (mark in ("dash", "blob")) == ((cx, cy) == (55, 30)), (cx, cy, mark)


def test_a_dash_read_as_a_stray_letter_is_a_zero_mark() -> None:
    crop = _font_cell("-", "wqy-zenhei", 18, 1.5)
    for reading in ("M", "+", "大", "."):
        text, conf = check_reading(reading, 0.0, crop)
        assert text == "—" and conf >= 0.7
    assert check_reading("M", 0.0, _font_cell("8", "wqy-zenhei", 18, 1.5)) == ("M", 0.0)


def test_a_short_label_is_never_taken_for_a_stray_reading() -> None:
    # Whatever the ink of a label cell looks like, a word read there stays a word.
    crop = _font_cell("-", "wqy-zenhei", 18, 1.5)
    assert check_reading("规章", 0.99, crop) == ("规章", 0.99)


def test_a_reading_where_no_ink_stands_out_is_blank_and_doubtful() -> None:
    blank = _cell("")
    assert check_reading("M", 0.0, blank) == ("", 0.5)  # noise read as a letter
    assert check_reading("2", 0.07, blank) == ("", 0.5)  # ... or as a digit, unsure
    assert check_reading("25", 0.97, _cell("25")) == ("25", 0.97)
    assert check_reading("2", 0.2, _cell("2")) == ("2", 0.2)  # ink there: left alone


def test_a_blurred_hyphen_read_as_a_doubtful_digit_is_a_dash() -> None:
    crop = _font_cell("-", "wqy-zenhei", 18, 1.5)
    assert check_reading("4", 0.31, crop)[0] == "—"
    assert check_reading("2", 0.07, crop)[0] == "—"
    four = _font_cell("4", "wqy-zenhei", 18, 1.5)
    assert check_reading("4", 0.31, four) == ("4", 0.31)  # a real 4 stays a doubtful 4



def test_a_doubtful_four_whose_upper_strokes_a_seal_left_pale_is_kept_in_doubt() -> None:
    # 10821-0045 (150 dpi, under a seal): the 4's bar and foot dark, its upright and
    # slant suppressed with the seal's red to a light grey, read "4" at 0.90. At half
    # the ink's depth only the bar shows, a dash's shape: it had become "—", 0 for 4.
    four = _drawn_cell((77, 41), [((31, 26, 45, 26), 40, 3),  # the bar
                                  ((41, 27, 41, 30), 60, 2),  # the foot of the upright
                                  ((41, 12, 41, 25), 165, 2),  # the upright, pale
                                  ((41, 12, 32, 25), 165, 2)], seed=4)  # the slant, pale
    assert classify(four) == "dash"
    text, conf = check_reading("4", 0.8966, four)
    assert text == "4" and conf <= 0.6


def _faint_hyphen(depth: float, noise: float, seed: int) -> np.ndarray:
    """A cell of a heavily blurred 150-dpi photo: grey paper with noise of std `noise`
    and, when `depth` > 0, a short hyphen at its middle about `depth` darker."""
    import cv2

    rng = np.random.default_rng(seed)
    g = np.full((76, 90), 200, np.float32)
    if depth:
        cv2.ellipse(g, (45, 38), (6, 2), 0, 0, 360, 200 - 1.1 * depth, -1)
    g = cv2.GaussianBlur(g, (0, 0), 2.0) + rng.normal(0, noise, g.shape)
    return np.stack([np.clip(g, 0, 255).astype(np.uint8)] * 3, axis=2)


def test_a_hyphen_barely_darker_than_the_paper_read_as_a_doubtful_digit_is_a_dash() -> None:
    for seed in range(5):
        crop = _faint_hyphen(38, 5, seed)  # 33-37 darker than the paper, as seen
        assert classify(crop) == "empty"  # too faint for the ordinary look
        assert check_reading("4", 0.32, crop) == ("—", 0.7)
        assert check_reading("4", 0.95, crop) == ("4", 0.95)  # a sure digit is left alone
        # noise as strong as the heaviest photos' (it darkens paper by 22-28) is no dash
        noise = _faint_hyphen(0, 13, seed)
        assert check_reading("6", 0.38, noise)[0] != "—"


def test_a_digit_read_doubtfully_where_not_even_faint_ink_stands_out_is_a_doubtful_blank(
        ) -> None:
    # Blank cells of a 150-dpi photo (10665-0030, totals only): the recogniser read
    # the grain as "5", "2" and "3" at 0.73-0.87, and the six blank applicant columns
    # were taken for zeros.
    for seed in range(5):
        noise = _faint_hyphen(0, 13, seed)
        assert check_reading("2", 0.87, noise) == ("", 0.5)
        assert check_reading("2", 0.95, noise) == ("2", 0.95)  # a sure digit is left alone
        faint = _faint_hyphen(38, 5, seed)  # ... and a faint hyphen is still a dash
        assert check_reading("2", 0.87, faint) == ("—", 0.7)


def test_a_blob_is_a_zero_mark_only_an_identity_can_confirm() -> None:
    # The dark core of a very blurred digit in a tall cell looks like a blurred
    # hyphen: a blob never reads as certain.
    import cv2

    g = np.full((61, 74), 225, np.float32)
    cv2.ellipse(g, (37, 30), (5, 3), 0, 0, 360, 120, -1)
    g = cv2.GaussianBlur(g, (0, 0), 1.5)
    crop = np.stack([g.astype(np.uint8)] * 3, axis=2)
    assert classify(crop) == "blob"
    assert check_reading("8", 0.13, crop) == ("—", 0.7)


@pytest.mark.parametrize("read", ["0)", "(0)", "0）", "[0"])
def test_a_bracket_beside_a_number_is_a_sliver_and_makes_it_doubtful(read: str) -> None:
    text, conf = check_reading(read, 0.97, _cell("0"))
    assert text == "0" and conf <= 0.6


@pytest.mark.parametrize("read", ["一-", "-一", "---", "…一", "- –"])
def test_a_dash_read_as_several_dashes_is_a_zero_mark(read: str) -> None:
    crop = _cell("—")
    assert check_reading(read, 0.0, crop) == ("—", 0.9)
    text, conf = check_reading(read, 0.9, _cell("25"))  # not a stroke: stays unreadable
    assert text == read and conf <= 0.6


def test_a_dash_broken_into_specks_is_a_doubtful_zero_mark() -> None:
    # Binarisation leaves a thin dash as a row of specks that the recogniser reads
    # as nothing; taken for blank, a 0 was lost (a blank 总计 is not 0).
    g = np.full((52, 104), 245, np.uint8)
    for x in (44, 50, 56, 62):
        g[25:27, x : x + 2] = 20
    crop = np.stack([g] * 3, axis=2)
    assert classify(crop) == "dash"
    text, conf = check_reading("", 1.0, crop)
    assert text == "—" and conf < 0.85  # an identity must vouch for it
    assert check_reading("", 1.0, _cell("")) == ("", 1.0)  # a blank cell stays blank


def _broken_zero(font: str, px: int) -> np.ndarray:
    """A thin 0 after a high threshold: its flat top and foot gone, two bows left."""
    crop = _font_cell("0", font, px, 0.0)
    g = crop[..., 0].copy()
    rows = np.nonzero((g < 128).any(axis=1))[0]
    cut = max(2, round(0.15 * (rows[-1] - rows[0] + 1)))
    g[rows[0] : rows[0] + cut] = 245
    g[rows[-1] - cut + 1 : rows[-1] + 1] = 245
    return np.stack([g] * 3, axis=2)


@pytest.mark.parametrize(("font", "px"), [("wqy-zenhei", 24), ("wqy-zenhei", 30),
                                         ("wqy-microhei", 30)])
def test_a_zero_left_as_two_bows_by_binarisation_is_a_doubtful_zero(font: str, px: int) -> None:
    # (Smaller, or microhei's straighter sides at 24 px: the bow is under a pixel and
    # nothing is claimed; the reading stays as doubtful as it was.)
    crop = _broken_zero(font, px)
    assert classify(crop) == "bows"
    assert check_reading("1", 0.6, crop) == ("0", 0.7)
    assert check_reading("11", 0.6, crop) == ("0", 0.7)


@pytest.mark.parametrize("font", ["wqy-zenhei", "wqy-microhei", "ar-uming", "ar-ukai"])
def test_ones_stand_straight_and_are_never_bows(font: str) -> None:
    for px in (12, 14, 18, 24, 30):  # flag up left: the left stroke never bows out
        for blur in (0.0, 1.0, 1.5):
            for text in ("1", "11", "10", "01", "111", "17", "71"):
                assert classify(_font_cell(text, font, px, blur)) != "bows", (text, px, blur)


def test_ink_in_a_cell_read_as_blank_is_never_a_certain_blank() -> None:
    # A clear "1" the detector missed was a certain blank, that is a certain 0.
    text, conf = check_reading("", 1.0, _font_cell("1", "ar-uming", 24, 1.0))
    assert text == "1" and conf <= 0.6
    text, conf = check_reading("", 1.0, _font_cell("25", "wqy-zenhei", 24, 1.0))
    assert conf <= 0.5  # ink that is no mark: a doubtful blank
    text, conf = check_reading("", 1.0, _font_cell("/", "wqy-zenhei", 24, 0.0))
    assert text == "/" and conf < 0.85
    assert check_reading("", 1.0, _cell("")) == ("", 1.0)


@pytest.mark.parametrize(("reading", "read"), [("²", "2"), ("1²", "12"), ("₃", "3")])
def test_a_raised_or_lowered_digit_reads_as_its_digit_for_a_person_to_confirm(
        reading: str, read: str) -> None:
    # 10289-0027 (light, 200 dpi): a "2" read "²" at 0.81; int("²") raised and the
    # whole document failed with an internal error.
    text, conf = check_reading(reading, 0.81, _cell(read))
    assert text == read
    assert conf <= 0.6


def test_a_full_width_digit_keeps_its_confidence() -> None:
    assert check_reading("２", 0.97, _cell("2")) == ("2", 0.97)


def test_no_numeric_character_of_unicode_breaks_the_check() -> None:
    # Every character str.isdigit() or str.isnumeric() accepts beyond ASCII ("①",
    # "½", "٣", "Ⅻ", ...), alone and beside a digit: a reading, never an exception.
    crop = _cell("2")
    odd = [chr(i) for i in range(0x80, 0x30000) if chr(i).isdigit() or chr(i).isnumeric()]
    assert len(odd) > 1000
    for ch in odd:
        for t in (ch, "1" + ch, "-" + ch):
            text, conf = check_reading(t, 0.9, crop)
            assert isinstance(text, str) and 0 <= conf <= 0.9


@pytest.mark.parametrize("font", ["ar-uming", "ar-ukai", "wqy-zenhei"])
def test_a_one_small_in_a_tall_cell_is_a_one(font: str) -> None:
    # 10617-0000 (clean, 300 dpi): a "1" with a flag and a foot, 23 px high in a cell
    # 151 px high, was doubtful (0.6) for its shape; its printed break was then taken
    # for a misreading and the 1 inferred to be 0.
    from samples.generator.fonts import FONTS, font_file

    im = Image.new("L", (160, 150), 250)
    f = ImageFont.truetype(str(font_file(font)), 32, index=FONTS[font][1])
    ImageDraw.Draw(im).text((80, 75), "1", fill=10, font=f, anchor="mm")
    g = np.asarray(im).astype(np.float32) + np.random.default_rng(1).normal(0, 3, (150, 160))
    cell = np.stack([g.clip(0, 255).astype(np.uint8)] * 3, axis=2)
    assert classify(cell) == "bar"
    assert check_reading("1", 0.99, cell) == ("1", 0.99)


def _fixture(name: str) -> np.ndarray:
    return np.asarray(Image.open(FIXTURES / name))


def test_a_minus_blurred_into_a_blob_is_put_back_for_review() -> None:
    # 10881-0007, a 150-dpi photo: the hyphen before 12 is a 7x6 blob at MINUS_LEVEL,
    # too tall to be flat; "12" was read at 0.9995 and -12 lost its sign silently.
    assert check_reading("12", 0.9995, _fixture("photo_minus_12.png")) == ("-12", 0.8)
    # the same page's 12 without a sign keeps its reading
    assert check_reading("12", 0.9999, _fixture("photo_twelve.png")) == ("12", 0.9999)


def test_a_decimal_point_the_recogniser_dropped_puts_the_reading_in_doubt() -> None:
    # 10881-0006, a 200-dpi photo: 302.4 read "3024" at 0.99, an amount ten times
    # too large that no identity checks.
    assert check_reading("3024", 0.9915, _fixture("photo_point_302_4.png")) == ("3024", 0.8)


@pytest.mark.parametrize("font", ["wqy-zenhei", "wqy-microhei", "ar-uming", "ar-ukai"])
@pytest.mark.parametrize("blur", [0.0, 0.8, 1.5])
def test_a_point_between_digits_is_seen_and_digits_alone_are_left_alone(font: str,
                                                                           blur: float) -> None:
    # smaller or more blurred, a point may merge into its digit or fade: a safety net
    for px in ((30, 40) if blur < 1.5 else (40,)):
        for printed in ("302.4", "0.5", "1234.56"):
            read = printed.replace(".", "")
            assert check_reading(read, 0.99, _font_cell(printed, font, px, blur)) == (read, 0.8)
    for px in (16, 22, 30, 40):
        for number in ("3024", "125", "1954", "10", "307", "88", "11", "41", "7777", "2020"):
            crop = _font_cell(number, font, px, blur)
            assert check_reading(number, 0.99, crop) == (number, 0.99), (px, number)
