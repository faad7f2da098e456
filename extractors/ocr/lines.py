"""Recognition inputs and decoding for a PP-OCR (CTC) line recogniser.

The recogniser was trained on lines at least 320 px wide (at height 48). Fed
narrower, a short crop reads worse, and with high confidence ("0" became "10"
at 0.94 and "O" on our samples); packed side by side with other crops into one
line it reads worse too (neighbours' context turns a column of "0" into "O",
and a character is given to the wrong crop). So every crop is padded to at
least 320 px, as PaddleOCR does, and read one to a run of the model: batched,
each is padded to the widest of its batch, and on the 2-core machines measured
here a batch of one runs fastest (a 640 px input 28 ms alone, 40 ms each in
threes). A reading's confidence is pulled down by its most doubtful character.
Words are another matter: a table's labels read packed several to a line (`pack`, `split`)
as well as alone, and the scan path keeps such a reading only where it is words.

Pure numpy/OpenCV; the engine runs the model.
"""

from __future__ import annotations

from itertools import pairwise

import cv2
import numpy as np

HEIGHT = 48  # the model's input height
LINE = 320  # the narrowest input the model was trained on
STEP = 8  # px of input per CTC time step
CONF_SLACK = 0.05  # how far a reading's confidence may sit above its weakest character


def scaled(crop: np.ndarray) -> np.ndarray:
    """An RGB crop as the model's input: BGR, height 48, own width, values in [-1, 1],
    3 x 48 x W float32."""
    h, w = crop.shape[:2]
    width = max(STEP, int(np.ceil(HEIGHT * w / max(1, h))))
    bgr = cv2.cvtColor(cv2.resize(crop, (width, HEIGHT)), cv2.COLOR_RGB2BGR)
    return np.ascontiguousarray((bgr.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1))


def _chars(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Greedy CTC: (class, probability, time step) of each emitted character."""
    idx = probs.argmax(axis=1)
    best = probs.max(axis=1)
    keep = np.ones(len(idx), bool)
    keep[1:] = idx[1:] != idx[:-1]
    keep &= idx != 0  # the blank
    steps = np.flatnonzero(keep)
    return idx[steps], best[steps], steps


def confidence(p: np.ndarray) -> float:
    """Mean character probability, capped by the least sure character: one digit
    read at 0.6 among sure ones must not make the number look sure."""
    if p.size == 0:
        return 0.0
    return min(float(p.mean()), float(p.min()) + CONF_SLACK)


def decode(probs: np.ndarray, chars: list[str]) -> tuple[str, float]:
    """One T x C probability row to (text, confidence)."""
    cls, p, _ = _chars(probs)
    return "".join(chars[int(k)] for k in cls), confidence(p)


# The classes a count's reading is weighed on: blank, the ten digits, a dash, 无
# (none: a 0), and everything else (a seal's stroke read as 古 counts against all).
DIGIT_CLASSES = ("", *"0123456789", "—", "无", "*")
DASHES = "-—–一_－"
_DASH, _NONE, _OTHER = 11, 12, 13


def fold_columns(chars: list[str]) -> tuple[list[int], list[int], list[int]]:
    """Where `fold` finds its classes in a recogniser's alphabet `chars` (blank
    first): the ten digits, the dashes, 无. Worked out once per alphabet."""
    index = {c: i for i, c in enumerate(chars)}
    return ([index[str(d)] for d in range(10)], [index[c] for c in DASHES if c in index],
            [index["无"]] if "无" in index else [])


def fold(probs: np.ndarray, columns: tuple[list[int], list[int], list[int]]) -> np.ndarray:
    """T x C recogniser probabilities to T x 14 over `DIGIT_CLASSES` (`columns`
    from `fold_columns`)."""
    digits, dashes, none = columns
    out = np.zeros((probs.shape[0], len(DIGIT_CLASSES)), np.float32)
    out[:, 0] = probs[:, 0]
    out[:, 1:11] = probs[:, digits]
    out[:, _DASH] = probs[:, dashes].sum(axis=1)
    out[:, _NONE] = probs[:, none].sum(axis=1)
    out[:, _OTHER] = np.clip(probs.sum(axis=1) - out[:, :_OTHER].sum(axis=1), 0.0, None)
    return out


def log_likelihood(scores: np.ndarray, text: str) -> float:
    """log P(text | crop) under CTC, text made of digits, "—" and "无" (empty:
    nothing printed); the forward algorithm over the folded scores."""
    labels = [_DASH if ch == "—" else _NONE if ch == "无" else 1 + int(ch) for ch in text]
    ext = [0]
    for k in labels:
        ext += [k, 0]
    p = np.log(np.clip(scores, 1e-12, None).astype(np.float64))
    n = len(ext)
    alpha = np.full(n, -np.inf)
    alpha[0] = p[0, ext[0]]
    if n > 1:
        alpha[1] = p[0, ext[1]]
    for t in range(1, p.shape[0]):
        prev = alpha
        alpha = np.full(n, -np.inf)
        for s in range(n):
            best = [prev[s]]
            if s >= 1:
                best.append(prev[s - 1])
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                best.append(prev[s - 2])
            alpha[s] = np.logaddexp.reduce(best) + p[t, ext[s]]
    tail = alpha[-1] if n == 1 else np.logaddexp(alpha[-1], alpha[-2])
    return float(tail)


GAP = 16  # px of white between crops packed on one line: two time steps of paper
PACK_WIDTH = 480  # px: narrow crops are packed up to about this width


def packs(widths: list[int], budget: int = PACK_WIDTH, gap: int = GAP) -> list[list[int]]:
    """Indices of consecutive narrow inputs (own width under `LINE`) grouped to share
    one line of at most `budget` px; a wider input stands alone."""
    out: list[list[int]] = []
    used = budget  # no group open
    for i, w in enumerate(widths):
        if w >= LINE:
            out.append([i])
            used = budget
        elif used + gap + w <= budget:
            out[-1].append(i)
            used += gap + w
        else:
            out.append([i])
            used = w
    return out


def pack(inputs: list[np.ndarray], gap: int = GAP) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """`scaled` inputs side by side on one line, `gap` px of white (1.0) between:
    3 x 48 x W, and where each input stands on it, (x0, x1)."""
    parts: list[np.ndarray] = []
    spans: list[tuple[int, int]] = []
    x = 0
    for x_in in inputs:
        if parts:
            parts.append(np.ones((3, HEIGHT, gap), np.float32))
            x += gap
        parts.append(x_in)
        spans.append((x, x + x_in.shape[2]))
        x += x_in.shape[2]
    return np.concatenate(parts, axis=2), spans


def split(probs: np.ndarray, spans: list[tuple[int, int]],
          chars: list[str]) -> list[tuple[str, float]]:
    """(text, confidence) of each input of a packed line: a character goes to the
    input its time step stands on, a gap split halfway between its neighbours (a
    space read on the gap belongs to neither)."""
    cls, p, steps = _chars(probs)
    centre = steps * STEP + STEP / 2
    bounds = [(a + b) / 2 for (_, a), (b, _) in pairwise(spans)]
    where = np.searchsorted(np.asarray(bounds), centre, side="right")
    out = []
    for k in range(len(spans)):
        got = [(chars[int(c)], float(q)) for c, q in zip(cls[where == k], p[where == k],
                                                           strict=True)]
        while got and got[-1][0].isspace():  # the gap read as a space
            got.pop()
        while got and got[0][0].isspace():
            got.pop(0)
        out.append(("".join(ch for ch, _ in got), confidence(np.array([q for _, q in got]))))
    return out


def stack(inputs: list[np.ndarray], width: int | None = None) -> np.ndarray:
    """N x 3 x 48 x W: inputs padded on the right (with the normalised 0 PaddleOCR
    pads with) to the widest, and to at least `width`."""
    w = max([width or 0, *(x.shape[2] for x in inputs)])
    out = np.zeros((len(inputs), 3, HEIGHT, w), np.float32)
    for k, x in enumerate(inputs):
        out[k, :, :, : x.shape[2]] = x
    return out


__all__ = ["DIGIT_CLASSES", "GAP", "LINE", "confidence", "decode", "fold",
           "fold_columns", "log_likelihood", "pack", "packs", "scaled", "split", "stack"]
