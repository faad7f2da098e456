"""Zero marks told from digits by the shape of their ink, in scanned cells.

OCR models read an isolated dash or slash (printed for 0) as "1" or "7", at times
with high confidence: a silent error. A dash is a short flat stroke, a slash a
thin diagonal one, a "1" a thin upright one; the ink says which, whatever the
recogniser claims.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

import numpy as np

from extractors.text import is_cjk

Mark = Literal["empty", "dash", "blob", "slash", "bar", "bows", "other"]

# Readings that a lone stroke can produce; only these are checked.
STROKE_READINGS = frozenset(
    {"1", "7", "/", "-", "—", "一", "l", "I", "|", "_", "－", "–", "╱", "■", "▪", "▬", "=", "."}
)


def _ink(crop: np.ndarray, contrast: float = 40, level: float = 0.5) -> np.ndarray:
    gray = crop if crop.ndim == 2 else crop.mean(axis=2)
    h, w = gray.shape
    # Stay clear of the cell's ruling lines.
    my, mx = max(2, int(0.12 * h)), max(2, int(0.06 * w))
    inner = gray[my : h - my, mx : w - mx].astype(np.float32)
    if inner.size == 0 or min(inner.shape) < 3:
        return np.zeros((0, 0), dtype=bool)
    import cv2

    inner = cv2.GaussianBlur(inner, (3, 3), 0)  # noise would break a faint stroke apart
    paper = float(np.percentile(inner, 90))
    darkest = float(inner.min())
    if paper - darkest < contrast:  # no contrast: nothing printed
        return np.zeros_like(inner, dtype=bool)
    dark = (inner < paper - level * (paper - darkest)).astype(np.uint8)
    ink = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    # A ruling line inside the crop (the grid is a little off on warped photos)
    # is not the cell's content: drop long straight runs.
    ih, iw = ink.shape
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(3, int(0.6 * ih)), 1), np.uint8))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                                  np.ones((1, max(3, int(0.6 * iw))), np.uint8))
    ink = (ink > 0) & (vertical == 0) & (horizontal == 0)
    # A stretch of a bowed or broken ruling along the crop's edge is too short
    # for the openings above; it is flat and lies along the top or foot, or upright
    # along a side (numbers are printed in the middle).
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        flat = h <= max(3, 0.15 * ih) and w >= 2 * h
        upright = w <= max(3, 0.1 * iw) and h >= 2 * w
        edge, side = max(2, 0.15 * ih), max(2, 0.06 * iw)
        if (flat and (y < edge or y + h > ih - edge)) or \
                (upright and (x < side or x + w > iw - side)):
            ink[labels == i] = False
    return ink


def _centred(xs: np.ndarray, ys: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Ink in the middle of the cell, where its number is printed (not a speck or a
    full stop at the foot)."""
    ih, iw = shape[:2]
    return abs(float(xs.mean()) - iw / 2) <= 0.2 * iw and abs(float(ys.mean()) - ih / 2) <= 0.2 * ih


def classify(crop: np.ndarray, contrast: float = 40, level: float = 0.5) -> Mark:
    """What the ink of one cell looks like; darker than the paper by `contrast` (0-255)
    at least, or "empty"."""
    import cv2

    ink = _ink(crop, contrast, level)
    if ink.size == 0 or not ink.any():
        return "empty"
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    if len(areas) == 0 or areas.max() < max(4, 0.0005 * ink.size):
        return "empty"
    # Specks of noise and JPEG artefacts beside the stroke do not count.
    keep = [i + 1 for i, a in enumerate(areas) if a >= 0.2 * areas.max()]
    mask = np.isin(labels, keep)
    ys, xs = np.nonzero(mask)
    w_ink = int(xs.max() - xs.min() + 1)
    h_ink = int(ys.max() - ys.min() + 1)
    cell_h = crop.shape[0]
    if len(keep) > 2:
        # A thin dash that binarisation broke into a row of specks, in the middle.
        if h_ink <= 0.12 * cell_h and w_ink >= 3 * h_ink and _centred(xs, ys, ink.shape):
            return "dash"
        return "other"
    if h_ink <= 0.16 * cell_h and w_ink >= 1.8 * h_ink:
        return "dash"
    if len(keep) == 1 and h_ink <= 0.14 * cell_h and w_ink >= 0.8 * h_ink \
            and len(xs) >= 0.6 * w_ink * h_ink and _centred(xs, ys, ink.shape):
        return "blob"  # a short hyphen blurred into a blob, in the middle of the cell
    if len(keep) == 2 and _facing_bows(labels, stats, keep, cell_h):
        return "bows"
    corr = 0.0
    if len(keep) == 1 and len(xs) > 10 and w_ink > 1 and h_ink > 1:
        corr = float(np.corrcoef(xs, ys)[0, 1])
        rows = mask.sum(axis=1)
        rows = rows[rows > 0]
        q = max(1, len(rows) // 4)
        # "/": every row crosses the stroke once, narrower than the glyph (a small
        # blurred slash is a few pixels thick, a little more at its middle); a "7"
        # has a top row as wide as the glyph, a "1" with a foot a bottom row, and
        # both fall far less steeply.
        # A small slash is nearly as thick as it is wide, so its ends are
        # measured against its own thickness.
        ends = max(0.6 * w_ink, 1.35 * float(np.median(rows)) + 1)
        if corr < -0.6 and w_ink >= 0.25 * h_ink and rows.max() <= 0.8 * w_ink \
                and rows[:q].max() <= ends and rows[-q:].max() <= ends:
            return "slash"
        if w_ink <= 0.45 * h_ink and abs(corr) < 0.6:
            return "bar"
    # A stroke falling to the left as steeply as a slash is never a "1". (Small
    # print in a tall cell: a 1 of 23 px in a 151 px cell, 10617-0000.)
    if w_ink <= 0.8 * h_ink and h_ink >= 0.12 * cell_h and corr > -0.6:
        # A "1" with a flag and a foot: one upright stroke through its whole height.
        per_col = mask.sum(axis=0)
        k = max(3, w_ink // 5)
        band = np.convolve(per_col, np.ones(k), mode="same")
        peak = int(band.argmax())
        stroke = per_col[max(0, peak - k // 2) : peak + k // 2 + 1]
        # ... and that stroke holds most of the ink (a "0" has two sides).
        if stroke.max() >= 0.75 * h_ink and band.max() >= 0.5 * per_col.sum():
            return "bar"
    return "other"


BOW = 0.25  # pixels: a 3-pixel stroke of a small 0 bows by about half a pixel


def _facing_bows(labels: np.ndarray, stats: np.ndarray, keep: list[int], cell_h: int) -> bool:
    """Two upright strokes of one height bowed away from each other, "( )": a thin
    "0" whose top and foot the scanner's threshold erased. Two "1"s stand straight,
    their flags to the upper left: the left stroke's middle is never its leftmost."""
    (lx, ly, lw, lh), (rx, ry, rw, rh) = sorted(
        (tuple(int(v) for v in stats[i, :4]) for i in keep), key=lambda b: b[0])
    height = max(lh, rh)
    if min(lh, rh) < max(6, 0.1 * cell_h) or max(lw, rw) > 0.5 * min(lh, rh):
        return False
    if abs(ly - ry) > 2 or abs(ly + lh - ry - rh) > 2 or rx + rw - lx > 1.6 * height:
        return False
    if rx - (lx + lw) < max(2, 0.5 * max(lw, rw)):  # the inside of a 0 between them
        return False

    def bow(i: int, y0: int, h: int) -> float:
        """How far the stroke's middle third lies right of its ends."""
        ys, xs = np.nonzero(labels == i)
        third = [xs[(ys >= y0 + k * h / 3) & (ys < y0 + (k + 1) * h / 3)] for k in range(3)]
        if any(t.size == 0 for t in third):
            return 0.0
        return float(third[1].mean() - (third[0].mean() + third[2].mean()) / 2)

    left, right = sorted(keep, key=lambda i: int(stats[i, 0]))
    return bow(left, ly, lh) <= -BOW and bow(right, ry, rh) >= BOW


# Letters a recogniser puts for a blurred or broken "0" in a numeric cell.
ROUND_READINGS = frozenset(
    {"O", "o", "C", "c", "U", "u", "V", "v", "D", "Q", "(", ")", "()", "〇", "。", "°"}
)
ROUND_LETTERS = frozenset("Oo〇")
_LOOKALIKES = str.maketrans("SsOoIl|B", "55001118")
LOOKALIKE_CONFIDENCE = 0.6  # for an identity to vouch for, or a person
# A ruling's sliver beside a number, read as a flat stroke after it ("1一", "0_").
_TRAILING_SLIVER = re.compile(r"^(\S+?)[_一—–]+$")
_LEADING_ZERO = re.compile(r"^0\d+$")
_BRACKETED = re.compile(r"^[(（\[]?(\d+)[)）\]]?$")  # not "|": a 1 may read as one
_SPECKED = re.compile(r"^[.,'`·:;]+(\d+)$")
SLIVER_CONFIDENCE = 0.6  # the number may be right; the identities must say so
# A round blob is a blurred hyphen, or at times the dark core of a very blurred digit
# in a tall cell: below validation's threshold, so an identity must vouch for it.
BLOB_CONFIDENCE = 0.7
_ZERO_MARKS: dict[str, tuple[str, float]] = {
    "dash": ("—", 0.9), "slash": ("/", 0.9), "blob": ("—", BLOB_CONFIDENCE)}
# A mark seen only in the ink (the recogniser read nothing): an identity must vouch.
FAINT_DASH_CONFIDENCE = 0.8
# Readings of upright strokes only; a broken 0 ("( )") is read as one of these.
_UPRIGHTS = re.compile(r"^[1lI|()\[\]（）0Oo]{1,3}$")
BOWS_CONFIDENCE = 0.7  # an identity must vouch for it
_DASHES = re.compile(r"^[-—–―‐‑‒－一_…⋯.~～=\s]+$")
NOISE_CONFIDENCE = 0.3  # below this, a digit on blank paper is the recogniser's guess
DOUBTFUL_DIGIT = 0.9  # a lone digit read with less is checked against the ink
# Darkest ink that still counts when a doubtful lone digit stands on paper that looks
# empty: blurred 150-dpi hyphens darken it by 33-37; noise alone, about 25.
FAINT_CONTRAST = 30.0
SURE_DIGIT = 0.95  # a digit read this surely is not turned into a dash by its bar alone
FAINT_LEVEL = 0.3  # share of the ink's depth to which a surely read digit's strokes are traced


MINUS_CONFIDENCE = 0.8  # a sign seen only in the ink: a person confirms it
MINUS_LEVEL = 0.3  # ink darker than the paper by this share of the darkest ink's depth
# A hyphen blurred into a blob as tall as a third of the digits at MINUS_LEVEL is
# flat again nearer its core (10881-0007, a 150-dpi photo: -12 read as 12).
MINUS_CORE_LEVEL = 0.45
POINT_CONFIDENCE = 0.8  # a decimal point in the ink the reading lacks: a person looks
Piece = tuple[int, int, int, int]  # a piece of ink's box: x, y, width, height


def _parts(crop: np.ndarray, level: float) -> list[Piece]:
    """The ink's pieces (x, y, w, h) at `level`, left to right, specks of noise left out."""
    import cv2

    ink = _ink(crop, level=level)
    if ink.size == 0 or not ink.any():
        return []
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    boxes = [(int(stats[i, 0]), int(stats[i, 1]), int(stats[i, 2]), int(stats[i, 3]))
             for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= 4]
    return sorted(boxes, key=lambda b: b[0])


def _leading_minus(crop: np.ndarray, parts: list[Piece],
                   dot: bool = False) -> bool:
    """Whether a short flat stroke stands just left of the number, at its middle;
    with `dot`, also a speck as wide as it is high there. `parts`: the crop's
    `_parts` at MINUS_LEVEL."""
    # a thin hyphen blurs paler than the digits; a blurred one is flat only at its core
    # (no dots there: deeper, any speck of noise shrinks to one)
    return _minus_in(parts, dot) or _minus_in(_parts(crop, MINUS_CORE_LEVEL), False)


def _minus_in(parts: list[Piece], dot: bool) -> bool:
    """Whether the first of `parts` is a hyphen before the rest, a row of digits."""
    if len(parts) < 2:
        return False
    (x, y, w, h), rest = parts[0], parts[1:]
    left = min(b[0] for b in rest)
    top, foot = min(b[1] for b in rest), max(b[1] + b[3] for b in rest)
    tall = foot - top
    if tall < 8 or max(b[3] for b in rest) < 0.8 * tall:
        return False  # what follows is no row of digits (thin ones may break in pieces)
    middle = y + h / 2 - top
    # a hyphen that a scanner's threshold left as a dot is as wide as it is high
    flat = 1.5 * h <= w or (dot and h <= 0.25 * tall and h <= w)
    return (h <= 0.3 * tall and flat and w <= 1.2 * tall and x + w <= left
            and left - (x + w) <= 0.8 * tall and 0.3 * tall <= middle <= 0.7 * tall)


def _inner_point(parts: list[Piece]) -> bool:
    """Whether, of a crop's `_parts` at MINUS_LEVEL, a speck sits on the digits' foot in
    a gap between two of them, clear of every other piece of ink above or below it: a
    decimal point."""
    if len(parts) < 3:
        return False
    top = min(b[1] for b in parts)
    foot = max(b[1] + b[3] for b in parts)
    tall = foot - top
    digits = [b for b in parts if b[3] >= 0.6 * tall]
    if tall < 8 or not digits:
        return False
    for x, y, w, h in parts:
        if not (2 <= h <= 0.3 * tall and w <= 0.4 * tall and 0.5 * h <= w <= 2 * h
                and foot - (y + h) <= 0.15 * tall):
            continue
        before = [b for b in digits if b[0] + b[2] <= x]
        after = [b for b in digits if b[0] >= x + w]
        alone = all(b[0] + b[2] <= x or b[0] >= x + w for b in parts if b[:2] != (x, y))
        if (before and after and alone and x - max(b[0] + b[2] for b in before) <= 0.5 * tall
                and min(b[0] for b in after) - (x + w) <= 0.5 * tall):
            return True
    return False


def _ascii_digit(ch: str) -> str:
    """A digit in another form ("²", "₂", "２") as its ASCII digit; other characters
    unchanged."""
    if ch.isdigit() and not ch.isascii():
        n = unicodedata.digit(ch, None)
        if n is not None:
            return str(n)
    return ch


def _pale_strokes(crop: np.ndarray, flat: tuple[Mark, ...] = ("dash",)) -> bool:
    """Whether ink that is a dash at half its depth shows more than `flat` marks deeper:
    a digit whose strokes are far fainter than its bar (only the bar shows at half the
    depth, the rest deeper); a hyphen stays flat however deep one looks (blurred, it
    may spread into a blob)."""
    return classify(crop, level=FAINT_LEVEL) not in flat


def check_reading(text: str, confidence: float, crop: np.ndarray) -> tuple[str, float]:
    """The cell's text and confidence once the ink has had its say."""
    t = text.strip()
    if any(ch.isdigit() and not ch.isascii() for ch in t):
        # A raised or lowered digit ("²") is an odd reading of a small or
        # misplaced mark; full-width ones are the recogniser's usual forms.
        odd = any(unicodedata.category(ch) == "No" for ch in t)
        t = "".join(_ascii_digit(ch) for ch in t)
        text = t
        if odd:
            confidence = min(confidence, SLIVER_CONFIDENCE)
    if not t:
        # Read as blank, yet ink in the middle: a dash too faint or too broken
        # (binarisation leaves specks) for the detector, or a lone "1" it missed —
        # a blank must not pass as a certain 0 then.
        mark = classify(crop)
        if mark in ("dash", "slash"):
            return _ZERO_MARKS[mark][0], min(confidence, FAINT_DASH_CONFIDENCE)
        if mark == "bar":
            return "1", min(confidence, SLIVER_CONFIDENCE)
        if mark in ("bows", "other"):
            return text, min(confidence, 0.5)
        return text, confidence
    if _UPRIGHTS.match(t) and t != "0" and classify(crop) == "bows":
        # "1", "11" or "()" read from what binarisation left of a thin 0.
        return "0", BOWS_CONFIDENCE
    if _DASHES.match(t) and t not in STROKE_READINGS:
        # A dash read as several ("一-", "---", "…一"): one flat stroke in the ink.
        mark = classify(crop)
        if mark in ("dash", "blob"):
            return _ZERO_MARKS[mark]
        return text, min(confidence, 0.6)
    # A dot there counts only before a number read surely: under a seal, its
    # remnants beside a doubtful reading leave specks too.
    if t.isdigit() and (int(t) != 0 or len(t) > 1):
        parts = _parts(crop, MINUS_LEVEL)  # (the sign's and the point's ink alike)
        if int(t) != 0 and _leading_minus(crop, parts, dot=confidence >= SURE_DIGIT):
            # The recogniser drops a small hyphen before a number ("-5" read as "5"): a
            # sign lost there is a silent error, as no identity checks table 2's changes.
            return "-" + t, min(confidence, MINUS_CONFIDENCE)
        if len(t) > 1 and confidence > POINT_CONFIDENCE and _inner_point(parts):
            # The recogniser drops a small point ("302.4" read surely as "3024"): an
            # amount ten times too large, which no identity checks.
            return text, POINT_CONFIDENCE
    if _LEADING_ZERO.match(t):
        # No count is printed with a leading 0: a mark or speck before the number
        # was read as one ("01" from a dash and a seal's remnant).
        return text, min(confidence, SLIVER_CONFIDENCE)
    bracketed = _BRACKETED.match(t) or _SPECKED.match(t)
    if bracketed and bracketed.group(1) != t:
        # "0)" or "(0)": a ruling's sliver beside the number read as a bracket; ".44":
        # a speck beside it read as a point (no count has one)
        t, confidence = bracketed.group(1), min(confidence, SLIVER_CONFIDENCE)
        text = t
    sliver = _TRAILING_SLIVER.match(t)
    if sliver and (sliver.group(1)[-1].isdigit() or sliver.group(1) in ROUND_READINGS):
        t, confidence = sliver.group(1), min(confidence, SLIVER_CONFIDENCE)
        if t in ROUND_READINGS:
            return "0", min(confidence, 0.5)
        return t, confidence
    if len(t) > 1 and set(t) <= ROUND_LETTERS:
        # A font whose 0 is as round as an O, a row of 0s in one cell whose column
        # lines were lost ("OOO"): 0s, for an identity or a person to confirm.
        return "0" * len(t), min(confidence, SLIVER_CONFIDENCE)
    if t in ROUND_READINGS:
        mark = classify(crop)
        if mark == "dash":
            return "—", max(confidence, 0.9)
        if mark == "blob":
            return _ZERO_MARKS[mark]
        if mark in ("empty", "slash"):
            return ("" if mark == "empty" else "/"), min(confidence, 0.5)
        # A round glyph: most likely 0, possibly 6, 8 or 9. Never certain: the
        # identities vouch for it, or repair it, or a person looks.
        return "0", min(confidence, 0.5)
    looks = t.translate(_LOOKALIKES)
    if looks != t and looks.isdigit() and (any(ch.isdigit() for ch in t) or t in "Ss"):
        # a digit read as the letter it looks like ("S7", "1O", a lone "S" for 5)
        return looks, min(confidence, LOOKALIKE_CONFIDENCE)
    if t not in STROKE_READINGS:
        stray = len(t) == 1 or (len(t) == 2 and not any(is_cjk(ch) for ch in t))
        if stray and not any(ch.isdigit() for ch in t):
            # A blurred mark read as a stray letter or sign ("M", "+", "大"): the ink
            # may still show the dash or slash. (Two CJK characters are a word.)
            mark = classify(crop)
            if mark in _ZERO_MARKS:
                return _ZERO_MARKS[mark]
            if mark == "empty":  # read from noise, or from a mark too faint to see
                return "", 0.5
        elif t.isdigit() and (confidence < NOISE_CONFIDENCE
                              or (len(t) == 1 and confidence < DOUBTFUL_DIGIT)):
            mark = classify(crop)
            if len(t) == 1 and mark == "empty" and confidence < DOUBTFUL_DIGIT:
                # A hyphen so blurred it barely darkens the paper, yet the recogniser
                # saw something there: look again for fainter ink.
                faint = classify(crop, FAINT_CONTRAST)
                if faint in ("dash", "blob"):
                    return "—", BLOB_CONFIDENCE
                if faint == "empty":
                    # Nothing there even faintly: the grain of a noisy photo, read
                    # as "2" at up to 0.87 (10665-0030). A blank, doubtful.
                    return "", 0.5
            if len(t) == 1 and mark == "dash" and _pale_strokes(crop, ("dash", "blob")):
                # A 4 whose upper strokes a seal's suppression left pale (10821-0045).
                # Kept doubtful, for the identities.
                return text, min(confidence, SLIVER_CONFIDENCE)
            if len(t) == 1 and mark in _ZERO_MARKS:
                # A blurred hyphen read as "4" or "2": a digit's ink is never as flat
                # as a dash (tested on every font the samples use).
                return _ZERO_MARKS[mark]
            if mark == "empty" and confidence < NOISE_CONFIDENCE:
                return "", 0.5  # a digit "read" where no ink stands out from the paper
        return text, confidence
    mark = classify(crop)
    if mark == "dash" and t.isdigit() and confidence >= SURE_DIGIT and _pale_strokes(crop):
        # A 7 read surely whose stem is far fainter than its bar. Kept, for an
        # identity to vouch for.
        return text, min(confidence, SLIVER_CONFIDENCE)
    if mark in ("dash", "slash"):
        return _ZERO_MARKS[mark][0], max(confidence, 0.9)
    if mark == "blob":
        return _ZERO_MARKS[mark]
    if mark == "bar" and t in {"1", "l", "I", "|"}:
        return "1", confidence
    if mark == "empty":
        return "", min(confidence, 0.5)
    # The shape does not confirm the reading: never let it pass as certain.
    return text, min(confidence, 0.6)
